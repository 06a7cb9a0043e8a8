"""Build the Jilin health commission 2020 demo: the commission's office branches and affiliated
units' 党委 (支部), with a year of activity records (deterministic).

The 2020 work points are addressed to "委机关各支部、委直属各单位党委（支部）": here 10 office
branches, 4 units with a 党委 and 2 small units with a branch only, 16 assessed organizations
under the commission's 党组 and 机关委员会 (names invented). Every organization keeps the work
points in full except for the gaps listed in GAPS (a missed August theme day, a secretary with no
lecture, only last year's ideology report, a missed 党小组会 …). Annual items are dated as they
happen: the 2020年度 述职评议 and 组织生活会 early in 2021. `gaps.jsonl` lists each gap with the
words its explanation line must contain.

Run: python generate.py  (writes orgs.jsonl, evaluations.jsonl, gaps.jsonl here)
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
YEAR = 2020

# (id, name, secretary, members)
OFFICE_BRANCHES = [
    ("jl-b01", "办公室党支部", "赵春雷", 16),
    ("jl-b02", "人事处党支部", "钱玉洁", 9),
    ("jl-b03", "规划发展与信息化处党支部", "孙宏伟", 11),
    ("jl-b04", "财务处党支部", "李淑琴", 8),
    ("jl-b05", "医政医管处党支部", "周志明", 14),
    ("jl-b06", "基层卫生健康处党支部", "吴桂香", 10),
    ("jl-b07", "疾病预防控制处党支部", "郑立国", 12),
    ("jl-b08", "妇幼健康处党支部", "王丽娟", 9),
    ("jl-b09", "综合监督处党支部", "冯德胜", 10),
    ("jl-b10", "离退休干部党支部", "陈秀兰", 45),
]
# (id, name, type, secretary, other leading cadres, members)
UNITS = [
    ("jl-u1", "吉林省松花湖医院党委", "committee", "褚卫东", ["蒋红梅", "沈建华"], 420),
    ("jl-u2", "吉林省长白山医院党委", "committee", "韩光明", ["杨雪松", "朱文静"], 365),
    ("jl-u3", "吉林省医学科学研究院党委", "committee", "秦永刚", ["尤晓丽"], 138),
    ("jl-u4", "吉林省卫生健康宣传教育中心党委", "committee", "许国平", ["何艳玲"], 57),
    ("jl-u5", "吉林省卫生健康人才交流中心党支部", "branch", "吕振华", [], 13),
    ("jl-u6", "吉林省卫生健康统计信息中心党支部", "branch", "施美玲", [], 11),
]
# 委领导 who keep 双重组织生活 in an office branch and lecture there
LEADERS_IN_BRANCH = {"jl-b01": "张庆林", "jl-b05": "曹志红"}

EVIDENCE = {
    "p01": "“两个维护”落实情况监督检查记录",
    "p02": "政治教育专题学习记录",
    "p03": "双重组织生活登记表",
    "p04": "党建工作责任清单",
    "p05": "疫情防控党员先锋岗、突击队材料",
    "p06": "理论学习中心组学习记录、学习强国积分统计",
    "p07": "理想信念教育活动记录",
    "p08": "宣传工作条例学习记录、宣传阵地推荐表",
    "p09": "党建质量提升工程台账",
    "p10": "党员教育培训记录",
    "p11": "巡视反馈意见整改台账",
    "p12": "优秀党员推荐材料",
    "p13": "政治监督检查记录",
    "p14": "机关作风评议材料",
    "p15": "警示教育活动记录",
    "p16": "谈话提醒记录",
    "p17": "廉政风险防控措施清单",
    "p18": "“支部联建”工作台账",
    "p19": "工会、团委活动记录",
    "p20": "困难党员工作台账",
}

# The gaps: (org id, what happened, words the explanation must contain).
GAPS = [
    ("jl-b01", "3月未召开党小组会", "党小组会全年开展11次，要求12次（每月至少1次），3月未达到"),
    ("jl-b02", "支部书记钱玉洁未报送党课教案", "党课教案：应每年至少1次的1人中0人达到，未达到：钱玉洁"),
    ("jl-b03", "8月未开展主题党日", "主题党日全年开展11次，要求12次（每月至少1次），8月未达到"),
    ("jl-b04", "第一季度未召开党员大会", "党员大会全年开展3次，要求4次（每季度至少1次），第一季度未达到"),
    ("jl-b05", "2月未召开支委会", "支委会全年开展11次，要求12次（每月至少1次），2月未达到"),
    ("jl-b06", "只有2019年度民主评议党员（2020年1月），没有2020年度的", "民主评议党员（按所属年度计）全年开展0次"),
    ("jl-b07", "支部书记郑立国全年未讲党课", "未达到：郑立国"),
    ("jl-b08", "上半年未参加理论知识测试", "理论知识测试全年开展1次，要求2次（每半年至少1次），上半年未达到"),
    ("jl-b09", "未召开2020年度组织生活会", "组织生活会（按所属年度计）全年开展0次"),
    ("jl-b08", "疫情防控“亮身份担使命”只部分完成", "5.带头亮身份担使命：部分完成"),
    ("jl-u1", "党委委员沈建华全年未讲党课", "未达到：沈建华"),
    ("jl-u1", "群团工作未完成", "19.发挥群团组织凝心聚力作用：未完成"),
    ("jl-u2", "只报送了2019年度意识形态工作报告（2020年1月），没有2020年度的",
     "意识形态工作报告（按所属年度计）全年开展0次"),
    ("jl-u3", "未开展关键岗位廉政风险点排查", "廉政风险点排查全年开展0次"),
    ("jl-u4", "下半年未开展走访慰问", "走访慰问全年开展1次，要求2次（每半年至少1次），下半年未达到"),
    ("jl-b04", "反腐倡廉教育填报完成但没有佐证材料", "填报“完成”但缺少纪律教育和警示教育活动记录"),
    # a lagging unit branch: several tasks half done and meetings missed
    ("jl-u6", "1月、2月、8月未开展主题党日", "1月、2月、8月未达到"),
    ("jl-u6", "1月、2月未召开支委会", "支委会全年开展10次，要求12次（每月至少1次），1月、2月未达到"),
    ("jl-u6", "第三季度未讲党课", "党课全年开展4次，要求4次（每季度至少1次），第三季度未达到"),
    ("jl-u6", "未开展谈心谈话", "谈心谈话全年开展0次"),
    ("jl-u6", "理想信念教育未完成", "7.深化理想信念教育：未完成"),
    ("jl-u6", "严格党员教育管理只部分完成", "10.严格党员教育管理：部分完成"),
    ("jl-u6", "加强服务和指导只部分完成", "11.加强服务和指导：部分完成"),
    ("jl-u6", "改进作风只部分完成", "14.坚持不懈改进作风：部分完成"),
    ("jl-u6", "围绕中心、服务大局未完成", "18.坚持围绕中心、服务大局：未完成"),
]
INPUT_GAPS = {
    ("jl-b08", "p05"): ("部分完成", EVIDENCE["p05"]),
    ("jl-u1", "p19"): ("未完成", None),
    ("jl-b04", "p15"): ("完成", None),
    ("jl-u6", "p07"): ("未完成", None),
    ("jl-u6", "p10"): ("部分完成", EVIDENCE["p10"]),
    ("jl-u6", "p11"): ("部分完成", EVIDENCE["p11"]),
    ("jl-u6", "p14"): ("部分完成", EVIDENCE["p14"]),
    ("jl-u6", "p18"): ("未完成", None),
}


def day(month: int, seed: int) -> str:
    return f"{YEAR}-{month:02d}-{8 + (seed * 5 + month * 3) % 17:02d}"


def record(kind: str, date: str, org_id: str, person: str | None = None,
           note: str | None = None) -> dict:
    out = {"kind": kind, "date": date, "org_id": org_id}
    if person:
        out["person"] = person
    if note:
        out["note"] = note
    return out


def build_orgs() -> list[dict]:
    orgs = [
        {"id": "jl-pg", "name": "中共吉林省卫生健康委员会党组", "type": "party_group",
         "parent_id": None, "attributes": {}},
        {"id": "jl-oc", "name": "中共吉林省卫生健康委员会机关委员会", "type": "organ_committee",
         "parent_id": "jl-pg", "attributes": {"unit_kind": "委机关"}},
    ]
    for org_id, name, secretary, members in OFFICE_BRANCHES:
        lecturers = [secretary] + ([LEADERS_IN_BRANCH[org_id]] if org_id in LEADERS_IN_BRANCH else [])
        attributes = {"unit_kind": "委机关", "category": "离退休" if org_id == "jl-b10" else "在职",
                      "secretary": secretary, "lecturers": lecturers, "members": members}
        if org_id == "jl-b10":
            attributes["party_groups"] = 0  # a small retired branch with no 党小组
        orgs.append({"id": org_id, "name": f"委机关{name}", "type": "branch", "parent_id": "jl-oc",
                     "attributes": attributes})
    for org_id, name, org_type, secretary, leaders, members in UNITS:
        attributes = {"unit_kind": "直属单位", "secretary": secretary,
                      "lecturers": [secretary, *leaders], "members": members}
        orgs.append({"id": org_id, "name": name, "type": org_type, "parent_id": "jl-oc",
                     "attributes": attributes})
    return orgs


def common_records(org: dict, seed: int) -> list[dict]:
    """What every assessed organization records: lectures, talks, training, reports, reviews."""
    org_id = org["id"]
    skip_lecture = {("jl-b07", "郑立国"), ("jl-u1", "沈建华")}
    records = []
    for n, person in enumerate(org["attributes"]["lecturers"]):
        if (org_id, person) not in skip_lecture:
            records.append(record("党课", day(4 + 3 * n, seed), org_id, person, "讲专题党课"))
    if org_id != "jl-u6":
        records.append(record("谈心谈话", day(5, seed), org_id, note="年度谈心谈话"))
    records.append(record("专题培训班", day(9, seed), org_id, note="省直卫生健康系统党务干部培训班"))
    if org_id != "jl-b08":
        records.append(record("理论知识测试", day(6, seed), org_id, note="理论知识网上答题"))
    records.append(record("理论知识测试", day(11, seed), org_id, note="理论知识网上答题"))
    if org_id == "jl-u2":
        records.append(record("意识形态工作报告", "2020-01-08", org_id, note="2019年度意识形态工作报告"))
    else:
        records.append(record("意识形态工作报告", day(12, seed), org_id,
                              note="2020年度意识形态工作报告"))
    records.append(record("星级评定", day(11, seed + 1), org_id, note="星级达标创建评定"))
    # the 2020年度 review is held early in 2021 (as the 2019年度 one was in January 2020)
    records.append(record("述职评议", f"{YEAR + 1}-01-{13 + seed % 6:02d}", org_id,
                          note=f"{YEAR}年度书记抓基层党建述职评议考核"))
    if org_id != "jl-u3":
        records.append(record("廉政风险点排查", day(7, seed), org_id, note="关键岗位廉政风险点排查"))
    records.append(record("走访慰问", day(1, seed), org_id, note="春节前走访慰问困难党员"))
    if org_id != "jl-u4":
        records.append(record("走访慰问", day(7, seed + 2), org_id, note="“七一”走访慰问老党员"))
    return records


def branch_records(org: dict, seed: int) -> list[dict]:
    """The branch's 三会一课, theme days, appraisal and lecture plan."""
    org_id = org["id"]
    secretary = org["attributes"]["secretary"]
    no_theme = {"jl-b03": {8}, "jl-u6": {1, 2, 8}}.get(org_id, set())
    no_committee = {"jl-b05": {2}, "jl-u6": {1, 2}}.get(org_id, set())
    no_assembly = {"jl-b04": {1}}.get(org_id, set())
    no_lecture = {"jl-u6": {3}}.get(org_id, set())
    no_group = {"jl-b01": {3}}.get(org_id, set())
    has_groups = org["attributes"].get("party_groups") != 0
    records = []
    for month in range(1, 13):
        if month not in no_theme:
            records.append(record("主题党日", day(month, seed), org_id, note="主题党日"))
        if month not in no_committee:
            records.append(record("支委会", day(month, seed + 3), org_id, note="支部委员会会议"))
        if has_groups and month not in no_group:
            records.append(record("党小组会", day(month, seed + 5), org_id, note="党小组学习"))
    for quarter in range(1, 5):
        month = 3 * quarter - 1
        if quarter not in no_assembly:
            records.append(record("党员大会", day(month, seed + 1), org_id, note="支部党员大会"))
        if quarter not in no_lecture:
            records.append(record("党课", day(month + 1, seed + 2), org_id, note="支部党课"))
    if org_id == "jl-b06":
        records.append(record("民主评议党员", f"{YEAR}-01-{20 + seed % 8:02d}", org_id,
                              note=f"{YEAR - 1}年度民主评议党员"))
    else:
        records.append(record("民主评议党员", f"{YEAR}-12-{20 + seed % 8:02d}", org_id,
                              note=f"{YEAR}年度民主评议党员"))
    if org_id != "jl-b09":
        records.append(record("组织生活会", f"{YEAR + 1}-01-{10 + seed % 8:02d}", org_id,
                              note=f"{YEAR}年度组织生活会"))
    if org_id != "jl-b02":
        records.append(record("党课教案", day(5, seed + 4), org_id, secretary, "支部书记讲党课教案"))
    return records


def inputs_for(org_id: str) -> dict:
    inputs = {}
    for point, evidence in EVIDENCE.items():
        level, proof = INPUT_GAPS.get((org_id, point), ("完成", evidence))
        inputs[point] = level
        if proof:
            inputs[f"{point}_evidence"] = proof
    return inputs


def build_evaluations(orgs: list[dict]) -> list[dict]:
    evaluations = []
    for seed, org in enumerate(orgs):
        if org["type"] not in ("branch", "committee"):
            continue
        records = common_records(org, seed)
        if org["type"] == "branch":
            records += branch_records(org, seed)
        records.sort(key=lambda r: (r["date"], r["kind"]))
        evaluations.append({"org_id": org["id"], "inputs": inputs_for(org["id"]),
                            "activities": records})
    return evaluations


def write_jsonl(name: str, rows: list[dict]) -> None:
    with open(HERE / name, "w", encoding="utf-8") as out:
        out.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


def main() -> None:
    orgs = build_orgs()
    write_jsonl("orgs.jsonl", orgs)
    write_jsonl("evaluations.jsonl", build_evaluations(orgs))
    write_jsonl("gaps.jsonl", [{"org_id": o, "gap": g, "line_contains": t} for o, g, t in GAPS])


if __name__ == "__main__":
    main()
