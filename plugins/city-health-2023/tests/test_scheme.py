"""The branch-structure scheme registers cleanly, states its rules, and passes its golden table."""

from __future__ import annotations

from dangjian.catalogue.check import check_scheme
from dangjian.tools.golden import golden_for_scheme


def test_the_scheme_is_installed_and_passes_the_kernel_check(city_catalog):
    loaded = city_catalog.scheme("city-health-2023")
    assert loaded.plugin == "city-health-2023"
    errors = [f for f in check_scheme(loaded.scheme, city_catalog) if f.level == "error"]
    assert errors == []
    assert city_catalog.owner("method", "structure_check") == "city-health-2023"
    assert city_catalog.owner("diagnostic", "branch_structure") == "city-health-2023"


def test_each_problem_of_the_study_is_a_diagnostic_with_a_severity(city):
    severities = {d.id: d.severity for d in city.scheme.diagnostics}
    assert severities == {"thin_committee": "高", "unsupported_team": "中", "overloaded": "中",
                          "ageing": "中"}
    rules = city.scheme.extra["structure"]
    assert rules["ageing"]["average_at_least"] == 50 and rules["ageing"]["young_below"] == 40
    assert rules["committee"]["full_members_at_least"] == 7


def test_every_diagnostic_is_a_tracked_flag(city):
    """The README lists this plugin under tracked flags: the scheme names them."""
    from dangjian.store.tracking import tracked_flags_of

    assert tracked_flags_of(city.scheme) == [d.id for d in city.scheme.diagnostics]


def test_the_golden_table_passes_and_covers_every_rule(city_catalog):
    report = golden_for_scheme(city_catalog, "city-health-2023")
    assert report.ok, report.text()
    assert [i.title for i in report.coverage if not i.covered] == []
