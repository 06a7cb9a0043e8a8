"""The msgspec type generated from a scheme's inputs takes a clean record in one call and never
takes what the per-field checks refuse: a bound a float cannot hold exactly is left to them."""

from __future__ import annotations

from decimal import Decimal

import msgspec
import pytest

from dangjian import Evaluation, Reject
from dangjian.scoring.typed import typed_decoder
from tests.conftest import plan_of_scheme

SCHEME = """
id = "typed"
title = "类型"
version = "1"
max = 100
[[inputs]]
name = "share"
title = "比例"
min = 0
max = 0.1
[[inputs]]
name = "count"
title = "次数"
type = "integer"
min = 1
max = 9.5
required = false
[[inputs]]
name = "votes"
title = "票"
type = "list"
items = "label"
choices = ["好", "差"]
required = false
[[criteria]]
id = "c"
title = "丙"
max = 100
method = "number"
input = "share"
[[bands]]
grade = "合格"
min = 0
"""


@pytest.fixture(scope="module")
def plan():
    return plan_of_scheme(SCHEME)


def line(inputs: str) -> bytes:
    return f'{{"org_id":"a","inputs":{{{inputs}}}}}'.encode()


def test_the_reference_scheme_is_decoded_by_its_generated_type(catalog):
    plan = catalog.plan("jilin-health-2019")
    assert plan._typed_complete
    record = plan._typed.decode(line('"onsite":[95,"好"],"superior":80'))
    assert record.inputs.onsite == [95, "好"] and record.inputs.superior == 80
    with pytest.raises(msgspec.ValidationError, match=r"<= 100"):
        plan._typed.decode(line('"onsite":[101],"superior":80'))
    with pytest.raises(msgspec.ValidationError, match="Invalid enum value '优秀'"):
        plan._typed.decode(line('"onsite":["优秀"],"superior":80'))


@pytest.mark.parametrize(("share", "accepted"), [
    ("0.1", True), ("0.1000000000000000055511151231257827", True), ("0.10000000000000002", False),
    ("0.11", False), ("0", True), ("-0.0", True)])
def test_a_bound_floats_cannot_hold_is_checked_on_the_decimal(plan, share, accepted):
    decoded = plan.decode(line(f'"share":{share}'), row=1)
    assert isinstance(decoded, Evaluation) is accepted, decoded
    if not accepted:
        assert decoded.field == "inputs.share" and "超过上限0.1" in decoded.reason


def test_integer_bounds_are_rounded_inward(plan):
    assert isinstance(plan.decode(line('"share":0,"count":9'), row=1), Evaluation)
    reject = plan.decode(line('"share":0,"count":10'), row=1)
    assert isinstance(reject, Reject) and reject.reason == "次数（count）为10，超过上限9.5"


def test_what_the_type_refuses_but_the_checks_accept_still_decodes(plan):
    decoded = plan.decode(line('"share":"0.05","count":"3","votes":" 好 ; 差"'), row=1)
    assert isinstance(decoded, Evaluation)
    result = plan.assess(msgspec.structs.replace(decoded, org=None))
    assert result.total == Decimal("50.00")


def test_an_input_name_msgspec_cannot_hold_falls_back_to_the_checks():
    from dangjian.scheme import InputSpec

    spec = msgspec.convert({"name": "a-b", "title": "甲乙"}, InputSpec)
    decoder, complete = typed_decoder([spec])
    assert not complete
    with pytest.raises(msgspec.DecodeError):
        decoder.decode(line('"a-b":1'))
