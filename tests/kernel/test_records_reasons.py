"""A JSONL line that cannot be read is rejected in Chinese, naming the field when there is one;
no line, whatever its bytes, raises out of `decode_evaluation`."""

from __future__ import annotations

import pytest
from dangjian.models import Evaluation, Reject
from dangjian.scoring.records import decode_evaluation


@pytest.mark.parametrize(("line", "field", "reason"), [
    (b'{"org_id":"a","inputs":{"superior":1e400}}', "inputs.superior", "数字超出可表示的范围"),
    (b'{"org_id":"a","inputs":{"onsite":[95,88,1e999]}}', "inputs.onsite[2]",
     "数字超出可表示的范围"),
    (b'{"org_id":"a","org":{"attributes":{"members":-1e309}}}', "org.attributes.members",
     "数字超出可表示的范围"),
    (b'{"org_id":"a","inputs":{"superior":NaN}}', "inputs.superior",
     "不是有效的 JSON（第 36 个字节）：NaN 和 Infinity 不是 JSON 中的数字"),
    (b'{"org_id":"a","inputs":{"onsite":[90,-Infinity]}}', "inputs.onsite[1]",
     "NaN 和 Infinity 不是 JSON 中的数字"),
    (b'{"org_id":"a","inputs":{"superior":NaN}', None, "NaN 和 Infinity 不是 JSON 中的数字"),
    (b'{"org_id":"a",', None, "不是有效的 JSON：内容不完整（括号或引号没有闭合）"),
    (b'{"org_id":"a",}', None, "不是有效的 JSON（第 15 个字节）：对象末尾多了逗号"),
    (b'{"org_id":"a"} {"org_id":"b"}', None, "JSON 对象之后还有多余的字符"),
    (b"{'org_id':'a'}", None, "对象的键应为双引号括起的字符串"),
    (b'{"org_id":"a","activities":[{"kind":"theme_day","date":"2019-13-01"}]}',
     "activities[0].date", "日期格式应为 YYYY-MM-DD"),
    (b'{"org_id":"a","org":{"typo":1}}', "org.typo", "未知字段 typo"),
])
def test_a_bad_line_names_its_field_in_chinese(line, field, reason):
    reject = decode_evaluation(line, row=7, source="in.jsonl")
    assert isinstance(reject, Reject)
    assert (reject.row, reject.source, reject.field) == (7, "in.jsonl", field)
    assert reason in reject.reason


def test_a_gbk_encoded_line_is_a_reject_not_an_exception():
    line = '{"org_id":"x","org":{"name":"财务处党支部"}}'.encode("gbk")
    reject = decode_evaluation(line, row=3)
    assert isinstance(reject, Reject)
    assert reject.reason == "本行不是 UTF-8 编码（看起来是 GBK/GB18030 编码），JSONL 文件应存为 UTF-8"
    assert "无法识别的字节" in decode_evaluation(b'{"org_id":"\xff\xff"}', row=4).reason


def test_a_good_line_still_decodes():
    item = decode_evaluation(b'{"org_id":"a","inputs":{"superior":80}}', row=1)
    assert isinstance(item, Evaluation) and item.inputs == {"superior": 80}


def test_a_value_under_a_blank_header_cell_is_a_reject_not_silently_dropped(catalog):
    from dangjian.scoring.records import RowReader

    scheme = catalog.scheme("jilin-health-2019").scheme
    reader = RowReader(scheme, ["组织编号", "组织类型", "现场评议测评", "上级党组织评议得分", ""],
                       source="in.xlsx")
    reject = reader.evaluation(["a", "branch", "95", 80, "好"], row=3)
    assert isinstance(reject, Reject) and reject.field is None
    assert reject.reason == "本行比表头多出数据“好”（第 E 列没有表头）"
    beyond = reader.evaluation(["a", "branch", "95", 80, None, None, "x" * 100], row=4)
    assert beyond.reason == f"本行比表头多出数据“{'x' * 20}…”（第 G 列没有表头）"
    assert isinstance(reader.evaluation(["a", "branch", "95", 80, None], row=5), Evaluation)


def test_json_nested_too_deep_is_a_reject_not_a_recursion_error():
    deep = b'{"org_id":"a","inputs":{"onsite":' + b"[" * 100_000 + b"]" * 100_000 + b"}}"
    reject = decode_evaluation(deep, row=2)
    assert isinstance(reject, Reject)
    assert reject.reason == "不是可以评分的 JSON：数组或对象嵌套过深"
