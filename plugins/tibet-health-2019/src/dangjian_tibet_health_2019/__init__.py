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


def _standardization(orgs, results):
    from .rollup import standardization_rollup

    return list(standardization_rollup(orgs, results).values())


@hookimpl
def register_rollups(register):
    from dangjian import Rollup

    register(Rollup(name="tibet_standardization", title="“八化”标准化建设汇总",
                    schemes=["tibet-health-2019"], run=_standardization,
                    doc="各单位党支部数、党员数，已达标、后进党支部数，对照2020年全面标准化目标"))
