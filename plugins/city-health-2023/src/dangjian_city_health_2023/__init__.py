"""市卫生健康委基层党组织建设质量诊断"""

from importlib.resources import files

from dangjian import hookimpl

from .checks import DIAGNOSTICS, METHODS


@hookimpl
def register_schemes(register):
    register(files(__package__) / "scheme.toml")


@hookimpl
def register_methods(register):
    for method in METHODS:
        register(method)


@hookimpl
def register_diagnostics(register):
    for diagnostic in DIAGNOSTICS:
        register(diagnostic)
