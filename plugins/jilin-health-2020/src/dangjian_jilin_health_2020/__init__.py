"""吉林省卫生健康委员会2020年党建工作要点（吉卫党委发〔2020〕16号）落实情况考核。"""

from importlib.resources import files

from dangjian import hookimpl


@hookimpl
def register_schemes(register):
    register(files(__package__) / "scheme.toml")
