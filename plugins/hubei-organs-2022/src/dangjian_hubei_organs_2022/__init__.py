"""2022年湖北省直机关党建工作要点落实情况考核（活动记录、频次与期限）。"""

from importlib.resources import files

from dangjian import hookimpl


@hookimpl
def register_schemes(register):
    register(files(__package__) / "scheme.toml")
