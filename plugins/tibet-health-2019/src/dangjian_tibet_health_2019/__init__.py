"""西藏自治区卫生健康委党支部“八化”标准化建设与软弱涣散党组织排查"""

from importlib.resources import files

from dangjian import hookimpl

from .diagnostics import DIAGNOSTICS


@hookimpl
def register_schemes(register):
    register(files(__package__) / "scheme.toml")


@hookimpl
def register_diagnostics(register):
    for diagnostic in DIAGNOSTICS:
        register(diagnostic)
