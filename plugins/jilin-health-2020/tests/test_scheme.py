"""The 2020 work points are installed as a scheme of 5 sections and 20 points titled as in the
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
    "一、突出政治引领，扎实推进省直卫生健康系统党的建设": (1, 5, 33),
    "二、真学真信真用，学懂弄通习近平新时代中国特色社会主义思想": (6, 8, 15),
    "三、突出基层导向，提升基层党组织战斗堡垒作用": (9, 12, 20),
    "四、强化作风建设，营造风清气正政治环境": (13, 17, 20),
    "五、突出党建引领，推动党建与中心工作深度融合": (18, 20, 12),
}
POINT_TITLES = [
    "带头做到“两个维护”", "带头严明政治纪律和政治规矩", "带头严肃党内政治生活", "带头落实政治责任",
    "带头亮身份担使命", "深化理论武装", "深化理想信念教育", "落实意识形态工作责任制", "建强抓实支部",
    "严格党员教育管理", "加强服务和指导", "激励担当作为", "突出政治监督", "坚持不懈改进作风",
    "开展反腐倡廉教育", "强化监督执纪检查", "加强廉政风险防范机制建设", "坚持围绕中心、服务大局",
    "发挥群团组织凝心聚力作用", "坚持健全服务保障机制",
]


def _max(node) -> Decimal:
    return node.max if node.max is not None else sum(_max(c) for c in node.children)


def _scored(nodes):
    """The points and the scored items below them (everything but the sections)."""
    for section in nodes:
        for point in section.children:
            yield point
            yield from point.children


def _leaves(nodes):
    for node in nodes:
        if node.method:
            yield node
        yield from _leaves(node.children)


def test_the_plugin_is_listed_and_its_scheme_passes_the_kernel_check(jilin_catalog):
    assert "jilin-health-2020" in jilin_catalog.plugins
    loaded = jilin_catalog.scheme(SCHEME_ID)
    assert loaded.plugin == "jilin-health-2020"
    assert check_scheme(loaded.scheme, jilin_catalog) == []
    assert sorted(load_catalog(selected="jilin-health-2020").schemes) == [SCHEME_ID]


def test_five_sections_hold_the_twenty_points_in_the_document_order(jilin):
    scheme = jilin.scheme
    assert [s.title for s in scheme.criteria] == list(SECTIONS)
    points = []
    for section in scheme.criteria:
        first, last, weight = SECTIONS[section.title]
        numbers = [int(p.id[1:]) for p in section.children]
        assert numbers == list(range(first, last + 1))
        assert _max(section) == weight
        points.extend(section.children)
    assert [p.title for p in points] == [f"{n}.{t}" for n, t in enumerate(POINT_TITLES, 1)]
    assert sum(_max(s) for s in scheme.criteria) == scheme.max == 100


def test_every_task_is_scored_by_completion_with_named_evidence(jilin):
    completions = [n for n in _leaves(jilin.scheme.criteria) if n.method == "completion"]
    assert len(completions) == 20
    assert sorted(n.input for n in completions) == [f"p{i:02d}" for i in range(1, 21)]
    for node in completions:
        assert node.params["evidence"] == f"{node.input}_evidence"
        assert node.params["evidence_title"]


def test_countable_items_use_the_kinds_the_documents_name(jilin):
    kinds = {n.params["kind"] for n in _leaves(jilin.scheme.criteria) if n.method == "frequency"}
    assert kinds == {"主题党日", "支委会", "党小组会", "党员大会", "党课", "组织生活会", "谈心谈话",
                     "民主评议党员", "专题培训班",
                     "理论知识测试", "意识形态工作报告", "星级评定", "述职评议", "党课教案",
                     "廉政风险点排查", "走访慰问"}


def test_every_weight_has_its_reason_in_a_comment_beside_it(jilin):
    blocks = weight_comments(files("dangjian_jilin_health_2020") / "scheme.toml")
    for node in _scored(jilin.scheme.criteria):
        comment = blocks[node.id]
        assert f"{fmt(_max(node))}分" in comment and "：" in comment, node.id


def test_the_grades_are_stated_as_the_plugins_choice(jilin):
    scheme = jilin.scheme
    assert [(b.grade, b.min, b.below) for b in scheme.bands] == [
        ("好", 90, None), ("较好", 80, 90), ("一般", 60, 80), ("差", 0, 60)]
    assert "本插件的选择，不是文件的规定" in scheme.description
    assert scheme.as_of.isoformat() == "2020-12-31" and scheme.year == 2020


def test_the_golden_table_passes_and_covers_every_band_method_and_reject(jilin_catalog):
    report = golden_for_scheme(jilin_catalog, SCHEME_ID)
    assert report.ok, report.text()
    assert len(report.cases) >= 20
    assert [i.title for i in report.coverage if not i.covered] == []
