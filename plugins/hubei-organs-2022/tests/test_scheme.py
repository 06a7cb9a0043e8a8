"""The 2022 work points are installed as a scheme of 6 sections and 20 points titled as in the
document, weighted to 100, passing the kernel's check and its own golden table."""

from __future__ import annotations

from decimal import Decimal
from importlib.resources import files

from dangjian import load_catalog
from dangjian.catalogue.check import check_scheme
from dangjian.tools.golden import golden_for_scheme
from dangjian.numbers import fmt

from .conftest import SCHEME_ID, weight_comments

SECTIONS = {
    "一、突出政治统领，增强坚持“两个确立”、做到“两个维护”的高度自觉": (1, 3, 25),
    "二、深化理论武装，深学细悟笃行习近平新时代中国特色社会主义思想": (4, 7, 21),
    "三、坚持大抓基层，提升机关基层党组织凝聚力战斗力": (8, 10, 16),
    "四、持续正风肃纪，涵养风清气正机关政治生态": (11, 13, 14),
    "五、服务中心大局，以高质量党建引领高质量发展": (14, 17, 12),
    "六、加强组织领导，推动机关党建工作成势见效": (18, 20, 12),
}
POINT_TITLES = [
    "加强政治机关建设", "严明党的政治纪律和政治规矩", "严肃党内政治生活", "夯实思想根基",
    "迎接宣传贯彻党的二十大和省第十二次党代会", "牢牢掌握意识形态工作领导权", "做细做实思想政治工作",
    "筑牢支部战斗堡垒", "强化党员教育管理", "抓好统战和群团工作", "建设清廉机关", "深化纠治“四风”",
    "严格监督执纪", "推动党建业务深度融合", "助力深入实施区域发展布局", "深化党建引领基层治理",
    "服务优化营商环境", "压实党建主体责任", "建强党务干部队伍", "推动工作创新发展",
]


def _max(node) -> Decimal:
    return node.max if node.max is not None else sum(_max(c) for c in node.children)


def _scored(nodes):
    for section in nodes:
        for point in section.children:
            yield point
            yield from point.children


def _leaves(nodes):
    for node in nodes:
        if node.method:
            yield node
        yield from _leaves(node.children)


def test_the_plugin_is_listed_and_its_scheme_passes_the_kernel_check(hubei_catalog):
    assert "hubei-organs-2022" in hubei_catalog.plugins
    loaded = hubei_catalog.scheme(SCHEME_ID)
    assert loaded.plugin == "hubei-organs-2022"
    assert check_scheme(loaded.scheme, hubei_catalog) == []
    assert sorted(load_catalog(selected="hubei-organs-2022").schemes) == [SCHEME_ID]


def test_six_sections_hold_the_twenty_points_in_the_document_order(hubei):
    scheme = hubei.scheme
    assert [s.title for s in scheme.criteria] == list(SECTIONS)
    points = []
    for section in scheme.criteria:
        first, last, weight = SECTIONS[section.title]
        assert [int(p.id[1:]) for p in section.children] == list(range(first, last + 1))
        assert _max(section) == weight
        points.extend(section.children)
    assert [p.title for p in points] == [f"{n}.{t}" for n, t in enumerate(POINT_TITLES, 1)]
    assert sum(_max(s) for s in scheme.criteria) == scheme.max == 100


def test_the_countable_rules_carry_the_documents_frequencies(hubei):
    rules = {n.id: n.params for n in _leaves(hubei.scheme.criteria)
             if n.method in ("frequency", "deadline")}
    assert rules["p02_ecology"] == {"kind": "政治生态报告", "period": "year",
                                    "org_types": ["organ_committee"]}
    assert rules["p03_theme"] == {"kind": "主题党日", "period": "month", "org_types": ["branch"]}
    assert rules["p03_lecture"] == {"kind": "党课", "period": "year", "people": "lecturers"}
    assert rules["p05_theme"]["until"] == "2022-10-15"           # before the Congress opened
    assert rules["p05_meeting"]["kind"] == "组织生活会"
    assert rules["p07_thinking"]["period"] == "half"
    assert rules["p08_term"]["years_by_type"] == {"organ_committee": 5, "branch": 3}
    assert rules["p08_term"]["years_attribute"] == "term_years"
    assert rules["p18_assembly"]["kind"] == "党员大会"
    assert rules["p19_committee_head"]["months"] == rules["p19_discipline_head"]["months"] == 6


def test_every_task_is_scored_by_completion_with_named_evidence(hubei):
    completions = [n for n in _leaves(hubei.scheme.criteria) if n.method == "completion"]
    assert sorted(n.input for n in completions) == [f"p{i:02d}" for i in range(1, 21)]
    for node in completions:
        assert node.params["evidence"] == f"{node.input}_evidence"
        assert node.params["evidence_title"]


def test_every_weight_has_its_reason_in_a_comment_beside_it(hubei):
    blocks = weight_comments(files("dangjian_hubei_organs_2022") / "scheme.toml")
    for node in _scored(hubei.scheme.criteria):
        comment = blocks[node.id]
        assert f"{fmt(_max(node))}分" in comment and "：" in comment, node.id


def test_the_grades_are_stated_as_the_plugins_choice(hubei):
    scheme = hubei.scheme
    assert [(b.grade, b.min, b.below) for b in scheme.bands] == [
        ("好", 90, None), ("较好", 80, 90), ("一般", 60, 80), ("差", 0, 60)]
    assert "本插件的选择，不是文件的规定" in scheme.description
    assert scheme.as_of.isoformat() == "2022-12-31" and scheme.year == 2022


def test_the_golden_table_passes_and_covers_every_band_method_and_reject(hubei_catalog):
    report = golden_for_scheme(hubei_catalog, SCHEME_ID)
    assert report.ok, report.text()
    assert len(report.cases) >= 20
    assert [i.title for i in report.coverage if not i.covered] == []
