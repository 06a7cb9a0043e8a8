"""Scheme files: decoding errors name file, key and problem; check finds what is wrong."""

from __future__ import annotations

import pytest

from dangjian import SchemeError, hookimpl, load_catalog
from dangjian.catalogue.check import check_scheme
from dangjian.catalogue.loading import decode_scheme, load_scheme, scheme_hash

from .conftest import DATA

MINIMAL = """
id = "t"
title = "测试"
version = "1"
[[bands]]
grade = "合格"
min = 0
"""


def test_wrong_type_names_file_and_key():
    with pytest.raises(SchemeError) as exc:
        decode_scheme((MINIMAL + '\n[[criteria]]\nid = "a"\ntitle = "甲"\nmax = "十"\n').encode(),
                      file="bad.toml")
    assert exc.value.file == "bad.toml"
    assert exc.value.field == "criteria[0].max"


def test_unknown_key_is_refused():
    with pytest.raises(SchemeError) as exc:
        decode_scheme(MINIMAL.encode() + b'weight = 3\n', file="bad.toml")
    assert "未知的键 weight" in exc.value.message


def test_missing_required_key():
    with pytest.raises(SchemeError) as exc:
        decode_scheme(b'id = "t"\ntitle = "x"\n', file="bad.toml")
    assert "缺少必填键 version" in exc.value.message


def test_toml_syntax_error_names_the_file():
    with pytest.raises(SchemeError) as exc:
        decode_scheme(b'id = \n', file="broken.toml")
    assert "无法解析 TOML" in exc.value.message and "broken.toml" in str(exc.value)


def test_json_scheme_is_accepted():
    scheme = decode_scheme(b'{"id": "j", "title": "J", "version": "1"}', file="s.json", fmt="json")
    assert scheme.id == "j"


def test_hash_depends_on_content_not_on_formatting():
    a = decode_scheme(MINIMAL.encode(), file="a.toml")
    b = decode_scheme(MINIMAL.replace("\n", "\n\n").encode(), file="b.toml")
    c = decode_scheme(MINIMAL.replace('"1"', '"2"').encode(), file="c.toml")
    assert scheme_hash(a) == scheme_hash(b) != scheme_hash(c)


@pytest.fixture(scope="module")
def defaults():
    return load_catalog(entry_points=False)


def findings(toml: str, defaults) -> list[str]:
    return [f"{f.level}:{f.message}" for f in check_scheme(decode_scheme(toml.encode(), file="x"),
                                                              defaults)]


def test_check_passes_the_test_schemes(defaults):
    for name in ("weighted.toml", "mixed.toml"):
        errors = [f for f in check_scheme(load_scheme(DATA / name), defaults) if f.level == "error"]
        assert errors == []


def test_check_finds_band_gap_and_overlap(defaults):
    gap = MINIMAL.replace('min = 0', 'min = 0\nbelow = 50') + '[[bands]]\ngrade = "优"\nmin = 60\n'
    assert any("50—59.99分之间的总分没有对应等次" in f for f in findings(gap, defaults))
    overlap = MINIMAL.replace('min = 0', 'min = 0\nbelow = 70') + '[[bands]]\ngrade = "优"\nmin = 60\n'
    assert any("重叠" in f for f in findings(overlap, defaults))
    low = MINIMAL.replace('min = 0', 'min = 10')
    assert any("0—10分之间" in f for f in findings(low, defaults))


def test_check_finds_weights_not_summing_to_max(defaults):
    toml = MINIMAL + """
[[inputs]]
name = "a"
title = "甲"
[[components]]
id = "a"
title = "甲"
weight = 0.6
method = "number"
input = "a"
"""
    assert any("合计60分，与方案满分100分不符" in f for f in findings(toml, defaults))


def test_check_finds_vetoes_that_can_never_fire(defaults):
    toml = MINIMAL + """
[[honours]]
id = "h"
title = "先进"
[[vetoes]]
id = "v"
title = "否决"
when = { flags = ["nowhere"], grades = ["优秀"] }
reason = "不会发生"
blocks = ["h"]
"""
    found = findings(toml, defaults)
    assert any("输入 nowhere 未声明，永远不会触发" in f for f in found)
    assert any("等次“优秀”不在等次划分中，永远不会触发" in f for f in found)


def test_check_finds_unknown_methods_fields_and_bad_params(defaults):
    toml = MINIMAL + """
[[inputs]]
name = "a"
title = "甲"
[[criteria]]
id = "c"
title = "丙"
max = 10
method = "magic"
input = "b"
"""
    found = findings(toml, defaults)
    assert any("未知的评分方法 magic" in f for f in found)
    assert any("未声明的输入 b" in f for f in found)
    params = MINIMAL + """
[[inputs]]
name = "a"
title = "甲"
[[criteria]]
id = "c"
title = "丙"
max = 10
method = "checklist"
input = "a"
params = { dedcut = 2 }
"""
    assert any("不认识参数 dedcut" in f for f in findings(params, defaults))


def test_a_plugin_registering_an_invalid_scheme_is_refused_and_named():
    class Broken:
        @hookimpl
        def register_schemes(self, register):
            register(decode_scheme(MINIMAL.replace('min = 0', 'min = 50').encode(), file="x"))
            register(DATA / "weighted.toml")

    catalog = load_catalog(entry_points=False, plugins=[Broken()])
    assert "test-weighted" in catalog.schemes and "t" not in catalog.schemes
    assert catalog.problems and catalog.problems[0][0] == "Broken"
    assert "0—50分之间" in catalog.problems[0][1]
