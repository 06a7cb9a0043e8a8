"""A plugin method that raises anything short of KeyboardInterrupt, or returns points that are
not a finite number or a value that cannot be stored, rejects only its own organization, in
Chinese, naming the plugin; the batch goes on. The same with and without explanations."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dangjian import Method, Outcome, Reject, Result, hookimpl, load_catalog
from dangjian.catalogue.loading import decode_scheme
from tests.conftest import evaluation

SCHEME = """
id = "contained"
title = "临时方案"
version = "1"
max = 10
[[inputs]]
name = "a"
title = "甲"
[[criteria]]
id = "c"
title = "丙"
max = 10
method = "moody"
input = "a"
[[bands]]
grade = "合格"
min = 0
"""


def moody(ctx):
    """A method whose behaviour each organization's input picks."""
    a = ctx.inputs["a"]
    if a == 1:
        raise SystemExit(3)
    if a == 2:
        raise GeneratorExit("插件内部")
    if a == 3:
        return Outcome(Decimal("Infinity"), "无穷")
    if a == 4:
        return Outcome(float("nan"), "非数")
    if a == 5:
        return Outcome(Decimal(5), "带对象", {"x": object()})
    if a == 6:
        raise KeyboardInterrupt
    if a == 7:
        return Outcome(Decimal("-Infinity"), "负无穷")
    if a == 10:
        return Outcome("九", "文字")
    return Outcome(a, f"得{a}分", {"a": a})


class Moody:
    @hookimpl
    def register_methods(self, register):
        register(Method(name="moody", title="多变", compile=lambda spec: moody))

    @hookimpl
    def register_schemes(self, register):
        register(decode_scheme(SCHEME.encode(), file="contained.toml"))


@pytest.fixture(scope="module")
def plan():
    catalog = load_catalog(entry_points=False, plugins=[Moody()])
    assert catalog.problems == []
    return catalog.plan("contained")


def rows(*values):
    return [(i, evaluation(f"o{i}", org_type="", a=v)) for i, v in enumerate(values, 1)]


@pytest.mark.parametrize("many", ["score_many", "assess_many"])
@pytest.mark.parametrize(("value", "reason"), [
    (1, "评分方法 moody 出错（插件 Moody）：SystemExit: 3"),
    (2, "评分方法 moody 出错（插件 Moody）：GeneratorExit: 插件内部"),
    (3, "评分方法 moody（插件 Moody）给出的分数“Infinity”不是有限数字，无法评分"),
    (4, "评分方法 moody（插件 Moody）给出的分数“nan”不是有限数字，无法评分"),
    (7, "评分方法 moody（插件 Moody）给出的分数“-Infinity”不是有限数字，无法评分"),
    (10, "评分方法 moody（插件 Moody）给出的分数不是数字（类型 str），无法评分"),
])
def test_one_organization_is_rejected_and_the_batch_goes_on(plan, many, value, reason):
    out = list(getattr(plan, many)(rows(8, value, 9)))
    assert [type(o).__name__ for o in out] == ["Result", "Reject", "Result"]
    assert (out[1].row, out[1].org_id, out[1].field, out[1].reason) == (2, "o2", "c", reason)
    assert [o.total for o in (out[0], out[2])] == [Decimal(8), Decimal(9)]


def test_an_unstorable_value_in_the_explanation_rejects_that_organization(plan):
    for many in (plan.score_many, plan.assess_many):
        reject = list(many(rows(5)))[0]
        assert isinstance(reject, Reject)
        assert reject.reason.startswith("评分方法 moody（插件 Moody）的说明或所用输入无法保存")


def test_keyboard_interrupt_still_stops_the_batch(plan):
    for many in (plan.score_many, plan.assess_many):
        with pytest.raises(KeyboardInterrupt):
            list(many(rows(8, 6, 9)))


def test_infinity_is_not_clamped_to_full_marks(plan):
    (reject,) = plan.assess_many(rows(3))
    assert not isinstance(reject, Result)


class Village:
    """A plugin that adds an organization type and a scheme that scopes a rule to it."""

    @hookimpl
    def register_org_types(self, register):
        from dangjian import OrgType

        register(OrgType(id="village", title="村党支部", level=6))

    @hookimpl
    def register_schemes(self, register):
        register(decode_scheme("""
id = "village-scope"
title = "村级"
version = "1"
year = 2022
org_types = ["village", "branch"]
[[criteria]]
id = "theme"
title = "主题党日"
max = 12
method = "frequency"
params = { kind = "主题党日", period = "month", org_types = ["village"] }
[[bands]]
grade = "合格"
min = 0
""".encode(), file="village.toml"))


def test_a_type_registered_by_a_plugin_is_named_by_its_title():
    plan = load_catalog(entry_points=False, plugins=[Village()]).plan("village-scope")
    result = plan.score(evaluation("b1", org_type="党支部"))
    assert result.lines[0].text == "主题党日：本项只要求村党支部，本组织不涉及，得12分"
    assert plan.org_type_id("村党支部") == "village" and plan.org_type_id("village") == "village"
    assert plan.org_type_id("村委会") is None
