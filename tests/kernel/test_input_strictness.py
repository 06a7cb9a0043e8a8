"""What counts as a number, an organization id and a readable record: digits are ASCII digits,
-0 is 0, and whatever is refused is refused in Chinese, naming the field."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dangjian import Reject, Result

ORG = '"org":{"type":"branch"}'


@pytest.fixture(scope="module")
def jilin(catalog):
    return catalog.plan("jilin-health-2019")


def record(inputs: str, org_id: str = '"a"') -> bytes:
    return f'{{"org_id":{org_id},{ORG},"inputs":{{{inputs}}}}}'.encode()


def assess(plan, raw: bytes) -> Result | Reject:
    decoded = plan.decode(raw, row=7, source="in.jsonl")
    if isinstance(decoded, Reject):
        return decoded
    (outcome,) = plan.assess_many([(7, decoded)])
    return outcome


@pytest.mark.parametrize(("inputs", "field", "why"), [
    ('"onsite":[95],"superior":"9_5"', "inputs.superior", "“9_5”不是数字（数字中不能有下划线）"),
    ('"onsite":[95],"superior":"１_００"', "inputs.superior", "“１_００”不是数字（只能用半角数字0—9书写）"),
    ('"onsite":[95],"superior":"٩٥"', "inputs.superior", "“٩٥”不是数字（只能用半角数字0—9书写）"),
    ('"onsite":["9_5"],"superior":80', "inputs.onsite", "第1项“9_5”不是数字（数字中不能有下划线）"),
    ('"onsite":[95,"９５"],"superior":80', "inputs.onsite", "第2项“９５”不是数字（只能用半角数字0—9书写）"),
])
def test_underscores_and_non_ascii_digits_are_not_numbers(jilin, inputs, field, why):
    reject = assess(jilin, record(inputs))
    assert isinstance(reject, Reject), reject
    assert (reject.row, reject.source, reject.field) == (7, "in.jsonl", field)
    assert why in reject.reason


def test_the_same_cells_through_score_are_refused_the_same_way(jilin):
    from tests.conftest import evaluation

    for value in ("9_5", "１_００", "٩٥"):
        (reject,) = jilin.score_many([(1, evaluation(onsite=[95], superior=value))])
        assert isinstance(reject, Reject) and "不是数字" in reject.reason


@pytest.mark.parametrize("zero", ['-0', '-0.0', '"-0"', '"-0.00"'])
def test_minus_zero_is_zero(jilin, zero):
    result = assess(jilin, record(f'"onsite":[{zero}],"superior":{zero}'))
    assert isinstance(result, Result), result
    assert f"{result.total:f}" == "0.00"
    assert all(not c.points.is_signed() for c in result.components)
    (explained,) = jilin.score_many([(1, jilin.decode(record(f'"onsite":[{zero}],"superior":{zero}'),
                                                      row=1))])
    assert "-0" not in explained.lines[1].text and "-0" not in repr(explained.lines[1].inputs)


def test_a_five_thousand_digit_integer_gets_a_chinese_reason(jilin):
    reject = assess(jilin, record('"onsite":[95],"superior":' + "9" * 5000))
    assert isinstance(reject, Reject)
    assert reject.reason == "数字超出可表示的范围" and reject.field == "inputs.superior"


def test_a_lone_surrogate_gets_a_chinese_reason(jilin):
    reject = assess(jilin, record('"onsite":["\\ud800"],"superior":80'))
    assert isinstance(reject, Reject)
    assert "不成对的 UTF-16 代理项" in reject.reason and "surrogate" not in reject.reason


@pytest.mark.parametrize(("org_id", "why"), [
    ('""', "组织编号为空"), ('"   "', "组织编号只有空白字符"),
    ('"b\\u0000"', "组织编号含有空字符（NUL），不是有效的编号"),
])
def test_empty_blank_and_nul_org_ids_are_refused(jilin, org_id, why):
    reject = assess(jilin, record('"onsite":[95],"superior":80', org_id=org_id))
    assert isinstance(reject, Reject) and (reject.field, reject.reason) == ("org_id", why)


def test_resolve_org_refuses_an_empty_id_from_a_spreadsheet(jilin):
    from tests.conftest import evaluation

    (reject,) = jilin.assess_many([(3, evaluation(" ", onsite=[95], superior=80))])
    assert (reject.row, reject.field, reject.reason) == (3, "org_id", "组织编号只有空白字符")


def test_a_clean_record_decodes_and_scores_as_before(jilin):
    result = assess(jilin, record('"onsite":[95,"好",88.5],"superior":80'))
    # mean(95, 95, 88.5) = 92.833… → 0.7 × 92.833… + 0.3 × 80 = 88.98… → 88.98 较好
    assert (result.total, result.grade) == (Decimal("88.98"), "较好")
