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


def _structure(orgs, results):
    from .rollup import structure_rollup

    return list(structure_rollup(orgs, results).values())


@hookimpl
def register_rollups(register):
    from dangjian import Rollup

    register(Rollup(name="city_structure", title="组织结构汇总", schemes=["city-health-2023"],
                    run=_structure,
                    doc="各单位按党组织形式和类别计数，党支部按在职/离退休计数，党员在职/离退休人数，诊断问题数"))
