"""A row with several bad cells is rejected once, naming every bad cell by its Chinese title,
whether it came as a JSONL record or as a spreadsheet row."""

from __future__ import annotations

import pytest

from dangjian import Reject
from dangjian.scoring.records import RowReader

ROW = ('{"org_id":"a","org":{"type":"branch"},"inputs":{"onsite":[95,"优秀"],'
       '"superior":120,"serious":"也许"}}')
EXPECTED = ("现场评议测评（onsite）第2项“优秀”不是有效值（应为 好 / 较好 / 一般 / 差）；"
            "上级党组织评议得分（superior）为120，超过上限100；"
            "情况严重（serious）应为是/否（true/false），实为“也许”")


@pytest.fixture(scope="module")
def jilin(catalog):
    return catalog.plan("jilin-health-2019")


def test_three_bad_cells_of_a_jsonl_record_are_named_in_one_reject(jilin):
    reject = jilin.decode(ROW.encode(), row=4, source="in.jsonl")
    assert isinstance(reject, Reject)
    assert (reject.row, reject.source, reject.field, reject.org_id) == (
        4, "in.jsonl", "inputs.onsite", "a")
    assert reject.reason == EXPECTED


def test_a_bad_type_and_a_missing_input_are_named_together(jilin):
    raw = '{"org_id":"a","org":{"type":"党组"},"inputs":{"onsite":[95]}}'.encode()
    reject = jilin.decode(raw, row=2)
    assert reject.reason == ("组织类型“党组”不在本方案的适用范围内；"
                             "缺少必填输入 superior（上级党组织评议得分）")
    assert reject.field == "org.type"


def test_three_bad_cells_of_a_spreadsheet_row_are_named_by_score_and_assess(jilin):
    header = ["组织编号", "组织类型", "现场评议测评", "上级党组织评议得分", "情况严重"]
    evaluation = RowReader(jilin.scheme, header).evaluation(
        ["a", "党支部", "95;优秀", "120", "也许"], row=5)
    for run in (jilin.score_many, jilin.assess_many):
        (reject,) = run([(5, evaluation)])
        assert (reject.row, reject.field) == (5, "inputs.onsite")
        assert reject.reason == EXPECTED


def test_one_bad_cell_keeps_its_reason_word_for_word(jilin):
    raw = '{"org_id":"a","org":{"type":"branch"},"inputs":{"onsite":[95],"superior":120}}'
    reject = jilin.decode(raw.encode(), row=1)
    assert reject.reason == "上级党组织评议得分（superior）为120，超过上限100"
