"""`--set PATH=VALUE` on the Jilin 2019 scheme: paths as the scheme file is written, values read
by the type of the key, the result checked exactly as `dangjian check` checks a scheme."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dangjian.errors import SchemeError
from dangjian.catalogue.loading import scheme_hash
from dangjian.catalogue.overrides import apply_overrides, overridden, parse_assignment

SCHEME = "jilin-health-2019"


@pytest.fixture(scope="module")
def loaded(catalog):
    return catalog.scheme(SCHEME)


def change(loaded, catalog, *assignments):
    return overridden(loaded, dict(parse_assignment(a) for a in assignments), catalog).scheme


def test_component_weights_are_addressed_by_the_components_id(loaded, catalog):
    scheme = change(loaded, catalog, "components.onsite.weight=0.6",
                    "components.superior.weight=0.4")
    assert [(c.id, c.weight) for c in scheme.components] == [
        ("onsite", Decimal("0.6")), ("superior", Decimal("0.4"))]


def test_a_weight_that_no_longer_adds_up_is_the_check_error(loaded, catalog):
    with pytest.raises(SchemeError) as caught:
        change(loaded, catalog, "components.onsite.weight=0.6")
    assert caught.value.message == "components：各分项 权重×满分 合计90分，与方案满分100分不符"


def test_moving_the_good_line_to_92_moves_the_end_of_fair_with_it(loaded, catalog):
    scheme = change(loaded, catalog, "bands.好.min=92")
    assert [(b.grade, b.min, b.below) for b in scheme.bands] == [
        ("好", 92, None), ("较好", 80, 92), ("一般", 60, 80), ("差", 0, 60)]


def test_a_gap_between_bands_set_explicitly_is_the_check_error(loaded, catalog):
    with pytest.raises(SchemeError, match="91—91.99分之间的总分没有对应等次"):
        change(loaded, catalog, "bands.好.min=92", "bands.较好.below=91")


def test_nothing_changed_keeps_the_scheme_and_its_hash(loaded):
    assert apply_overrides(loaded.scheme, {}) == loaded.scheme
    assert scheme_hash(apply_overrides(loaded.scheme, {})) == loaded.hash


@pytest.mark.parametrize(("assignment", "message"), [
    ("components.onsite.wieght=0.6",
     "未知的路径：components.onsite 下没有“wieght”（可用：id、title、weight、max、method、input、"
     "params、criteria、note）"),
    ("components.onsit.weight=0.6", "components 中没有“onsit”（有：onsite、superior）"),
    ("bands.优秀.min=95", "bands 中没有“优秀”（有：好、较好、一般、差）"),
    ("components.onsite.weight=六成", "components.onsite.weight 的值应为数字，实为“六成”"),
    ("rounding.places=2.5", "rounding.places 的值应为整数，实为“2.5”"),
    ("rounding.mode=up", "rounding.mode 的值应为 down / half_even / half_up 之一，实为“up”"),
    ("components.onsite=0.6", "components.onsite 是一个完整的项，请写到其中的键，如 …weight、…min"),
    ("title.short=述职", "未知的路径：title 是一个值，下面没有“short”"),
    ("draw.fraction.x=1", "未知的路径：draw.fraction 是一个值，下面没有“x”"),
])
def test_unknown_paths_and_bad_values_are_refused_in_chinese(loaded, catalog, assignment,
                                                              message):
    with pytest.raises(SchemeError) as caught:
        change(loaded, catalog, assignment)
    assert caught.value.message == message
    assert caught.value.field == assignment.partition("=")[0]


def test_an_assignment_without_equals_sign_says_how_to_write_it():
    with pytest.raises(SchemeError, match="应写成 路径=值，如 components.onsite.weight=0.6"):
        parse_assignment("components.onsite.weight")


def test_ids_with_dots_and_method_params_and_lists(loaded, catalog):
    scheme = change(loaded, catalog, "criteria.c1.children.c1.2.note=议党",
                    "components.onsite.params.ballots.差=40",
                    "honours.excellent_rating.requires_grades=好、较好")
    assert scheme.criteria[0].children[1].note == "议党"
    assert scheme.components[0].params["ballots"]["差"] == 40
    assert scheme.honours[0].requires_grades == ["好", "较好"]
