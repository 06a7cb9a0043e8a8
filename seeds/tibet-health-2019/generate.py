"""Build the Tibet health commission demo tree and its 2019 八化 evaluations (deterministic).

Counts follow the source report (end of 2019): 1 党组, 8 党委 (the offices' 机关党委 and 7 unit
党委), 65 in-service branches, 1,706 members; the offices: 13 branches (11 in service, 2
retired), 164 members (98 in service, 66 retired). The offices' 11 in-service branches are among
the 65, and their 164 members among the 1,706; the report gives retired branches only for the
offices, so the units' 54 branches are all in service. It splits members into in service and
retired only for the offices: the units' branches state their members and nothing more (how
many of the 1,542 are retired is not published). Names are invented.

2019 outcomes follow the report too: 11 branches standardized, 7 lagging branches put under
整顿 (`followup.jsonl` re-evaluates those 7 after 整顿, in 2020).

Run: python generate.py  (writes orgs.jsonl, evaluations.jsonl, followup.jsonl here)
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
CN = "〇一二三四五六七八九十"

AREAS = ["setup", "committee", "members", "life", "premises", "systems", "operation", "support"]
EVIDENCE = {
    "setup": "支部设立批复、换届选举材料",
    "committee": "支委会成员分工表",
    "members": "党员花名册、党费收缴台账",
    "life": "“三会一课”记录本",
    "premises": "党员活动室照片",
    "systems": "支部工作制度汇编",
    "operation": "支委会议事记录",
    "support": "党建工作经费使用台账",
}

OFFICE_BRANCHES = ["办公室", "人事处", "规划与信息化处", "财务处", "医政医管处", "基层卫生健康处",
                   "疾病预防控制处", "藏医药管理处", "妇幼健康处", "综合监督处", "机关服务中心"]
# (id, name, in-service branches, members)
UNITS = [
    ("tb-u1", "自治区雪域医院", 12, 420),
    ("tb-u2", "自治区高原藏医院", 10, 330),
    ("tb-u3", "自治区格桑医院", 9, 260),
    ("tb-u4", "自治区拉萨河医院", 8, 210),
    ("tb-u5", "自治区疾病预防控制中心", 6, 140),
    ("tb-u6", "自治区卫生健康综合监督所", 5, 102),
    ("tb-u7", "自治区医学研究院", 4, 80),
]
FACTS_2019 = {
    "理论中心组学习会": 23, "厅级领导干部专题学习会": 8, "“两委”工作部署会": 10,
    "专题讲座": 16, "“三会一课”专题学习讨论": 210, "专题辅导讲座": 2,
    "入党积极分子和党务干部培训": 2, "整顿后进党支部": 7, "完成标准化建设党支部": 11,
    "委党组听取党建工作": 2, "专项整治任务": 12, "专项整治工作台账": 16,
    "形式主义官僚主义突出问题": 15, "函询机关干部": 7, "公立医院党建工作试点单位": 4,
    "结对帮扶建档立卡贫困户": 517,
}

# Branch positions (0-based, in tree order) with a fixed 2019 outcome.
STANDARDIZED = {0, 3, 8, 14, 20, 27, 33, 40, 47, 55, 62}
WEAK_COMMITTEE = {5, 17, 38, 58}      # 17: all eight areas met on paper, committee not working
LOW_RATE = {11, 29, 50}               # fewer than 4 areas met


def cn(n: int) -> str:
    return CN[n] if n <= 10 else "十" + CN[n - 10]


def split(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def branch(org_id, name, parent, members, category, split=True):
    """A branch; `split` states its members in service and retired, which the report gives
    only for the offices (98 in service, 66 retired)."""
    attributes = {"category": category, "members": members}
    if split:
        in_service = members if category == "在职" else 0
        attributes |= {"members_in_service": in_service, "members_retired": members - in_service}
    return {"id": org_id, "name": name, "type": "branch", "parent_id": parent,
            "attributes": attributes}


def build_orgs() -> list[dict]:
    orgs = [{"id": "tb-pg", "name": "自治区卫生健康委党组", "type": "party_group",
             "parent_id": None, "attributes": {"facts_2019": FACTS_2019}},
            {"id": "tb-oc", "name": "自治区卫生健康委机关党委", "type": "organ_committee",
             "parent_id": "tb-pg", "attributes": {"unit_kind": "委机关"}}]
    for i, (office, members) in enumerate(zip(OFFICE_BRANCHES, split(98, 11)), 1):
        orgs.append(branch(f"tb-oc-b{i:02d}", f"{office}党支部", "tb-oc", members, "在职"))
    for i, members in enumerate(split(66, 2), 1):
        orgs.append(branch(f"tb-oc-r{i:02d}", f"离退休干部第{cn(i)}党支部", "tb-oc", members, "离退休"))
    for unit_id, name, count, members in UNITS:
        orgs.append({"id": unit_id, "name": f"{name}党委", "type": "committee",
                     "parent_id": "tb-pg", "attributes": {"unit_kind": "直属单位"}})
        short = name.removeprefix("自治区")
        for i, size in enumerate(split(members, count), 1):
            orgs.append(branch(f"{unit_id}-b{i:02d}", f"{short}第{cn(i)}党支部", unit_id, size,
                               "在职", split=False))
    return orgs


def areas_for(position: int) -> dict:
    """The eight areas of one branch in 2019, with evidence for each area marked met."""
    inputs: dict = {}
    if position in STANDARDIZED or position == 17:
        unmet: set[str] = set()
    elif position in LOW_RATE:
        unmet = set(AREAS[position % 3:position % 3 + 5])          # 3 met
    else:
        missing = 1 + position % 4                                  # 4 to 7 met
        start = position % len(AREAS)
        unmet = {AREAS[(start + k) % len(AREAS)] for k in range(missing)}
    for area in AREAS:
        inputs[area] = "未达标" if area in unmet else "达标"
        if area not in unmet:
            inputs[f"{area}_evidence"] = EVIDENCE[area]
    met = [a for a in AREAS if a not in unmet]
    if position % 9 == 4 and position not in STANDARDIZED and len(met) >= 5:
        # marked met but the evidence is missing: the area does not count
        inputs.pop(f"{met[0]}_evidence")
    if position in WEAK_COMMITTEE:
        inputs["committee_weak"] = True
    return inputs


def evaluation(org: dict, inputs: dict) -> dict:
    return {"org_id": org["id"],
            "org": {"name": org["name"], "type": org["type"], "parent_id": org["parent_id"]},
            "inputs": inputs}


def main() -> None:
    orgs = build_orgs()
    branches = [o for o in orgs if o["type"] == "branch"]
    evaluations = [evaluation(o, areas_for(i)) for i, o in enumerate(branches)]
    lagging = sorted(WEAK_COMMITTEE | LOW_RATE)
    followup = []
    for n, position in enumerate(lagging):
        inputs = {area: "达标" for area in AREAS}
        inputs.update({f"{area}_evidence": EVIDENCE[area] for area in AREAS})
        if n % 3 == 2:      # reorganized but two areas still short of the standard
            inputs["premises"] = inputs["support"] = "未达标"
            del inputs["premises_evidence"], inputs["support_evidence"]
        followup.append(evaluation(branches[position], inputs))
    for name, rows in (("orgs.jsonl", orgs), ("evaluations.jsonl", evaluations),
                       ("followup.jsonl", followup)):
        with open(HERE / name, "w", encoding="utf-8") as out:
            out.writelines(json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n"
                           for row in rows)


if __name__ == "__main__":
    main()
