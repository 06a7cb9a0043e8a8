"""Build the Hubei provincial organs 2022 demo: three units, a year of activity records (deterministic).

Each invented unit has its 党组, its 机关党委 (assessed) and four 机关党支部 (assessed): 15 assessed
organizations. Every organization keeps the 2022 work points in full except for the gaps listed
in GAPS, which are the kinds of gaps an assessment meets: a missed August theme day, a secretary
who gave no party lecture, a late report, an expired committee term, a vacancy not filled in six
months. `gaps.jsonl` lists each gap with the words its explanation line must contain.

Run: python generate.py  (writes orgs.jsonl, evaluations.jsonl, gaps.jsonl here)
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
YEAR = 2022

# (unit id, unit name, 党组书记 and 党组成员, 机关党委书记)
UNITS = [
    ("hb-u1", "省荆楚规划研究院", ["周建国", "陈立新", "吴海燕"], "郑文斌"),
    ("hb-u2", "省长江生态服务中心", ["孙志远", "黄晓梅", "林国栋"], "何春生"),
    ("hb-u3", "省楚天数据管理局", ["马德华", "朱丽君", "胡启明"], "高建军"),
]
BRANCHES = ["办公室党支部", "综合业务处党支部", "政策研究处党支部", "机关服务中心党支部"]
SECRETARIES = {
    "hb-u1": ["李明远", "王秀英", "张志刚", "刘桂兰"],
    "hb-u2": ["陈晓峰", "杨丽华", "赵永强", "徐淑芬"],
    "hb-u3": ["周海波", "罗小燕", "梁国庆", "宋玉梅"],
}
MEMBERS = {"hb-u1": [12, 9, 8, 15], "hb-u2": [10, 11, 7, 18], "hb-u3": [14, 8, 9, 13]}

EVIDENCE = {
    "p01": "模范机关建设实施方案、督查问责台账",
    "p02": "重大事项请示报告登记簿、巡察整改台账",
    "p03": "双重组织生活登记表、政治生日活动记录",
    "p04": "理论学习中心组学习记录",
    "p05": "代表候选人推荐材料、主题宣传活动记录",
    "p06": "意识形态工作分析研判记录",
    "p07": "谈心谈话记录本、关爱帮扶台账",
    "p08": "支部标准化规范化建设自查表",
    "p09": "发展党员档案、党费收缴台账",
    "p10": "工会、团委、妇委会活动记录",
    "p11": "清廉机关建设方案、宣传教育月活动材料",
    "p12": "纠治“四风”工作台账",
    "p13": "廉政谈话记录、廉政档案",
    "p14": "党员先锋岗创建材料",
    "p15": "驻点帮扶工作台账",
    "p16": "下沉社区工作台账",
    "p17": "“我为企业办实事”活动清单",
    "p18": "机关党建责任清单、督查通报",
    "p19": "党务干部配备名单、轮训记录",
    "p20": "课题研究报告",
}

# The gaps, one per line: (org id, what happened, words the explanation must contain).
GAPS = [
    ("hb-u1-b2", "8月未开展主题党日", "8月未达到"),
    ("hb-u1-b3", "支部书记张志刚全年未讲党课", "未达到：张志刚"),
    ("hb-u1-oc", "党组成员吴海燕全年未讲党课", "未达到：吴海燕"),
    ("hb-u1-oc", "全年未召开机关党员干部大会", "党员大会全年开展0次"),
    ("hb-u1-b4", "党支部标准化规范化建设只部分完成", "党支部标准化规范化建设：部分完成"),
    ("hb-u2-oc", "上半年思想动态报告7月才报送", "思想动态报告全年开展2次，要求2次（每半年至少1次），上半年未达到"),
    ("hb-u2-oc", "机关党委负责人出缺近8个月才补齐",
     "机关党委负责人出缺2022-01-10起6个月内（2022-07-10前），已于2022-08-30补齐，逾期51天"),
    ("hb-u2-b1", "任期届满后逾期换届", "已于2022-05-10换届，逾期56天"),
    ("hb-u2-b2", "未召开学习贯彻党的二十大精神专题组织生活会", "组织生活会（主题含“二十大精神”，2022-10-16起）全年开展0次"),
    ("hb-u2-b3", "清廉机关建设填报完成但没有佐证材料", "填报“完成”但缺少清廉机关建设方案和宣传教育月活动材料"),
    ("hb-u2-b4", "支部委员会任期届满未换届", "截至2022-12-31尚未换届，逾期225天"),
    ("hb-u3-oc", "政治生态情况报告到次年1月才报送", "政治生态报告全年开展0次"),
    ("hb-u3-oc", "机关纪委负责人出缺超过6个月未补齐",
     "机关纪委负责人出缺2022-04-01起6个月内（2022-10-01前），截至2022-12-31尚未补齐，逾期91天"),
    ("hb-u3-b1", "“喜迎二十大”主题党日在二十大开幕后才开展",
     "主题党日（主题含“喜迎二十大”，截至2022-10-15）全年开展0次"),
    ("hb-u3-b2", "深化党建引领基层治理未完成", "深化党建引领基层治理：未完成"),
    ("hb-u3-b3", "1月、7月未开展主题党日", "1月、7月未达到"),
    ("hb-u2-b3", "意识形态工作未完成", "6.牢牢掌握意识形态工作领导权：未完成"),
    ("hb-u2-b3", "纠治“四风”只部分完成", "12.深化纠治“四风”：部分完成"),
    # a lagging branch: several tasks half done, theme days and a lecture missed
    ("hb-u3-b4", "2月、3月、8月未开展主题党日", "2月、3月、8月未达到"),
    ("hb-u3-b4", "支部书记宋玉梅全年未讲党课", "未达到：宋玉梅"),
    ("hb-u3-b4", "未召开学习贯彻党的二十大精神专题组织生活会", "组织生活会（主题含“二十大精神”，2022-10-16起）全年开展0次"),
    ("hb-u3-b4", "双重组织生活和政治仪式只部分完成", "双重组织生活、列席指导组织生活会和政治仪式：部分完成"),
    ("hb-u3-b4", "夯实思想根基只部分完成", "4.夯实思想根基：部分完成"),
    ("hb-u3-b4", "强化党员教育管理未完成", "9.强化党员教育管理：未完成"),
    ("hb-u3-b4", "统战和群团工作只部分完成", "10.抓好统战和群团工作：部分完成"),
    ("hb-u3-b4", "党建业务深度融合未完成", "14.推动党建业务深度融合：未完成"),
    ("hb-u3-b4", "助力区域发展布局只部分完成", "15.助力深入实施区域发展布局：部分完成"),
]


def day(month: int, seed: int) -> str:
    return f"{YEAR}-{month:02d}-{10 + (seed * 7 + month * 3) % 15:02d}"


def record(kind: str, date: str, org_id: str, person: str | None = None,
           note: str | None = None) -> dict:
    out = {"kind": kind, "date": date, "org_id": org_id}
    if person:
        out["person"] = person
    if note:
        out["note"] = note
    return out


def build_orgs() -> list[dict]:
    orgs = []
    for u, (unit, name, leaders, committee_secretary) in enumerate(UNITS):
        orgs.append({"id": f"{unit}-pg", "name": f"中共{name}党组", "type": "party_group",
                     "parent_id": None, "attributes": {"secretary": leaders[0]}})
        attributes = {"secretary": committee_secretary,
                      "lecturers": [*leaders, committee_secretary],
                      "term_start": f"{2019 + u}-0{3 + u}-18", "term_years": 5}
        if unit == "hb-u1":
            attributes |= {"committee_head_vacant_since": "2022-03-01",
                           "committee_head_filled_on": "2022-07-15"}
        if unit == "hb-u2":
            attributes |= {"committee_head_vacant_since": "2022-01-10",
                           "committee_head_filled_on": "2022-08-30"}
        if unit == "hb-u3":
            attributes |= {"discipline_head_vacant_since": "2022-04-01"}
        orgs.append({"id": f"{unit}-oc", "name": f"{name}机关党委", "type": "organ_committee",
                     "parent_id": f"{unit}-pg", "attributes": attributes})
        for b, branch in enumerate(BRANCHES):
            secretary = SECRETARIES[unit][b]
            term_start = f"{2020 + (b + u) % 3}-{1 + (5 * b + u) % 12:02d}-{8 + b:02d}"
            attributes = {"secretary": secretary, "lecturers": [secretary],
                          "members": MEMBERS[unit][b], "term_start": term_start}
            if (unit, b) == ("hb-u2", 0):
                attributes |= {"term_start": "2019-03-15", "reelected_on": "2022-05-10"}
            if (unit, b) == ("hb-u2", 3):
                attributes |= {"term_start": "2019-05-20"}
            orgs.append({"id": f"{unit}-b{b + 1}", "name": f"{name}{branch}", "type": "branch",
                         "parent_id": f"{unit}-oc", "attributes": attributes})
    return orgs


def branch_records(org: dict, seed: int) -> list[dict]:
    org_id = org["id"]
    secretary = org["attributes"]["secretary"]
    skip = {"hb-u1-b2": {8}, "hb-u3-b3": {1, 7}, "hb-u3-b4": {2, 3, 8}}.get(org_id, set())
    records = []
    for month in range(1, 13):
        if month in skip:
            continue
        note = "主题党日：学习党的创新理论"
        if month == 9 and org_id != "hb-u3-b1":
            note = "“喜迎二十大 奋进新征程”主题党日"
        if month == 10 and org_id == "hb-u3-b1":
            records.append(record("主题党日", f"{YEAR}-10-20", org_id,
                                  note="“喜迎二十大 奋进新征程”主题党日（二十大开幕后补办）"))
            continue
        records.append(record("主题党日", day(month, seed), org_id, note=note))
    if org_id not in ("hb-u1-b3", "hb-u3-b4"):
        records.append(record("党课", day(4, seed), org_id, secretary, "支部书记讲党课"))
    records.append(record("党课", day(6, seed + 1), org_id, note="党员微党课"))
    records.append(record("组织生活会", f"{YEAR}-01-{20 + seed % 8:02d}", org_id,
                          note="2021年度组织生活会"))
    if org_id not in ("hb-u2-b2", "hb-u3-b4"):
        records.append(record("组织生活会", f"{YEAR}-11-{15 + seed % 10:02d}", org_id,
                              note="“学习贯彻党的二十大精神”专题组织生活会"))
    return records


def committee_records(org: dict, seed: int) -> list[dict]:
    org_id = org["id"]
    records = []
    for person in org["attributes"]["lecturers"]:
        if (org_id, person) == ("hb-u1-oc", "吴海燕"):
            continue
        records.append(record("党课", day(3 + seed % 5, seed), org_id, person, "讲专题党课"))
        seed += 1
    if org_id == "hb-u3-oc":
        records.append(record("政治生态报告", "2023-01-12", org_id, note="2022年度政治生态分析研判报告"))
    else:
        records.append(record("政治生态报告", f"{YEAR}-11-28", org_id,
                              note="2022年度政治生态分析研判报告"))
    if org_id == "hb-u2-oc":
        records.append(record("思想动态报告", f"{YEAR}-07-08", org_id, note="2022年上半年思想动态分析"))
    else:
        records.append(record("思想动态报告", f"{YEAR}-06-24", org_id, note="2022年上半年思想动态分析"))
    records.append(record("思想动态报告", f"{YEAR}-12-20", org_id, note="2022年下半年思想动态分析"))
    if org_id != "hb-u1-oc":
        records.append(record("党员大会", f"{YEAR}-07-{12 + seed % 10:02d}", org_id,
                              note="机关党员干部大会：听取党组书记通报抓机关党建工作情况并评议"))
    return records


INPUT_GAPS = {
    ("hb-u1-b4", "p08"): ("部分完成", EVIDENCE["p08"]),
    ("hb-u2-b3", "p11"): ("完成", None),
    ("hb-u2-b3", "p06"): ("未完成", None),
    ("hb-u2-b3", "p12"): ("部分完成", EVIDENCE["p12"]),
    ("hb-u3-b2", "p16"): ("未完成", None),
    ("hb-u3-b4", "p03"): ("部分完成", EVIDENCE["p03"]),
    ("hb-u3-b4", "p04"): ("部分完成", EVIDENCE["p04"]),
    ("hb-u3-b4", "p09"): ("未完成", None),
    ("hb-u3-b4", "p10"): ("部分完成", EVIDENCE["p10"]),
    ("hb-u3-b4", "p14"): ("未完成", None),
    ("hb-u3-b4", "p15"): ("部分完成", EVIDENCE["p15"]),
}


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
        if org["type"] == "party_group":
            continue
        if org["type"] == "branch":
            records = branch_records(org, seed)
        else:
            records = committee_records(org, seed)
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
