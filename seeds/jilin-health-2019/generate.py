"""Demo data for jilin-health-2019: a provincial health commission's party organizations.

Names are invented; the shape follows 吉卫党委发〔2020〕1号: one 机关党委 (reporting to 省直机关工委),
the commission's office branches, and directly affiliated units — some with their own 党委 (and
branches, one with a 党总支), some with only a branch. Every organization gets an evaluation;
together they cover all four grades and every veto flag. Run: `python generate.py` (deterministic).
"""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

HERE = Path(__file__).parent
rng = random.Random(20200108)

OFFICES = ["办公室", "人事处", "规划发展与信息化处", "财务处", "法规处", "体制改革处", "疾病预防控制处",
           "医政医管处", "基层卫生健康处", "卫生应急办公室", "妇幼健康处", "老龄健康处"]
UNITS_WITH_COMMITTEE = [
    ("省第一人民医院", 5), ("省中心医院", 4), ("省肿瘤医院", 4), ("省妇幼保健院", 3),
    ("省疾病预防控制中心", 3), ("省卫生健康监督所", 3), ("省急救中心", 3), ("省职业病防治院", 3),
]
UNITS_WITH_BRANCH = ["省卫生健康宣传中心", "省医学会", "省卫生健康信息中心", "省人口发展研究中心"]
BRANCH_NAMES = ["机关第一党支部", "机关第二党支部", "内科党支部", "外科党支部", "医技党支部",
                "离退休党支部"]


def organizations() -> list[dict]:
    orgs = [{"id": "jl-jgdw", "name": "省卫生健康委机关党委", "type": "organ_committee",
             "parent_id": None, "attributes": {"members": 0}}]
    for i, office in enumerate(OFFICES, 1):
        orgs.append({"id": f"jl-b{i:02d}", "name": f"{office}党支部", "type": "branch",
                     "parent_id": "jl-jgdw", "attributes": {"kind": "在职", "members": rng.randint(6, 15)}})
    orgs.append({"id": "jl-b13", "name": "委机关离退休干部党支部", "type": "branch",
                 "parent_id": "jl-jgdw", "attributes": {"kind": "离退休", "members": 24}})
    for u, (unit, branches) in enumerate(UNITS_WITH_COMMITTEE, 1):
        unit_id = f"jl-u{u:02d}"
        orgs.append({"id": unit_id, "name": f"{unit}党委", "type": "committee",
                     "parent_id": "jl-jgdw", "attributes": {"people": rng.randint(80, 2400)}})
        parent = unit_id
        if u == 1:
            orgs.append({"id": f"{unit_id}-z1", "name": f"{unit}门诊党总支", "type": "general_branch",
                         "parent_id": unit_id, "attributes": {}})
        for b in range(1, branches + 1):
            if u == 1 and b > 3:
                parent = f"{unit_id}-z1"
            kind = "离退休" if b == branches else "在职"
            orgs.append({"id": f"{unit_id}-b{b}", "name": f"{unit}{BRANCH_NAMES[b - 1 if b < branches else 5]}",
                         "type": "branch", "parent_id": parent,
                         "attributes": {"kind": kind, "members": rng.randint(8, 60)}})
    for s, unit in enumerate(UNITS_WITH_BRANCH, 1):
        orgs.append({"id": f"jl-s{s:02d}", "name": f"{unit}党支部", "type": "branch",
                     "parent_id": "jl-jgdw", "attributes": {"kind": "在职", "members": rng.randint(7, 20)}})
    return orgs


BALLOT_OF = [(90, "好"), (80, "较好"), (60, "一般"), (0, "差")]
# Where each organization's ratings centre: most are good, a few fair, two poor.
CENTRES = {"好": 94, "较好": 86, "一般": 72, "差": 50}
SPECIAL = {
    "jl-b05": ("好", {"integrity_problem": True}),
    "jl-u03": ("较好", {"many_problems": True}),
    "jl-u06-b2": ("一般", {"poor_mass_appraisal": True}),
    "jl-s03": ("差", {"integrity_problem": True, "serious": True}),
    "jl-u07-b1": ("差", {}),
    "jl-b09": ("一般", {}),
    "jl-u02-b3": ("一般", {}),
}


def ballot(score: int) -> str:
    return next(label for bound, label in BALLOT_OF if score >= bound)


def evaluation(org: dict) -> dict:
    target, flags = SPECIAL.get(org["id"], (rng.choice(["好", "好", "较好", "较好", "好"]), {}))
    centre = CENTRES[target]
    raters = []
    for _ in range(rng.randint(15, 40)):
        score = max(0, min(100, round(rng.gauss(centre, 3))))
        raters.append(ballot(score) if rng.random() < 0.4 else score)
    superior = max(0, min(100, round(rng.gauss(centre, 2))))
    return {"org_id": org["id"], "inputs": {"onsite": raters, "superior": superior, **flags}}


COMPLIANT = """2019年度述职述责述廉报告（内分泌科党支部书记）

一、成绩清单
2019年，支部坚持以习近平新时代中国特色社会主义思想为指导，认真履行抓基层党建第一责任人职责。全年召开支部委员会12次、党员大会4次，讲党课3次，开展主题党日12次，组织党员参加“学习强国”学习，人均积分超过一万分。围绕“不忘初心、牢记使命”主题教育，开展专题学习8次，检视问题9条，已整改8条。支部创建为三星级党支部，两名党员获院级优秀共产党员。结合科室业务，开展义诊6次，服务群众1200余人次，门诊满意度提高到97%。

二、问题清单
一是理论学习深度不够，个别党员满足于读原文，联系实际思考不多，学习笔记内容较为单薄。二是组织生活质量有待提升，主题党日形式较为单一，党员参与讨论不够积极，对青年党员的吸引力不强。三是党建与业务融合不够紧密，党员先锋岗作用发挥不均衡，少数党员在急难险重任务面前主动性不足。四是作为书记本人，抓党建的精力投入不够，有时以业务工作代替党建工作，对支部委员的分工督促不到位。

三、任务清单
2020年，一是建立“第一议题”学习制度，每月至少组织一次集中研讨，书记带头撰写心得体会，年内完成全体党员轮训。二是丰富主题党日形式，结合医疗服务开展志愿服务和案例讨论，每季度评选一次党员示范岗。三是推动党建与业务深度融合，设立糖尿病健康教育党员服务队，全年义诊不少于8次。四是落实书记抓党建责任清单，每季度向党委报告一次党建工作，年底接受党员群众评议，对本次查摆的问题逐项销号。
"""

MISSING_LIST = """2019年度述职述责述廉报告（财务处党支部书记）

一、成绩清单
全年组织集中学习24次，开展主题党日12次，完成支部换届，建立党员积分制管理台账。配合完成年度预算编制和内部审计，未发生违纪违规问题。

二、问题清单
学习教育形式单一，支部委员分工不够明确，党建与业务结合不紧。
"""


def too_long() -> str:
    filler = "支部坚持把政治建设摆在首位，严格落实“三会一课”制度，认真开展主题党日活动，不断提高组织生活质量。"
    parts = ["2019年度述职述责述廉报告（某医院党委书记）\n", "一、成绩清单\n"]
    parts.append(filler * 40 + "\n")
    parts.append("二、问题清单\n" + filler * 12 + "\n")
    parts.append("三、任务清单\n" + filler * 12 + "\n")
    return "".join(parts)


SUBMISSIONS = [
    ("jl-u01", "report", "2020-01-09"), ("jl-u01", "plan", "2020-01-13"),
    ("jl-u01", "script", "2020-01-16"), ("jl-u01", "meeting", "2020-02-10"),
    ("jl-u01", "summary", "2020-02-18"),
    ("jl-u02", "report", "2020-01-12"), ("jl-u02", "plan", "2020-01-14"),
    ("jl-u02", "script", "2020-01-17"), ("jl-u02", "meeting", "2020-01-19"),
    ("jl-u03", "report", "2020-01-10"), ("jl-u03", "plan", "2020-01-14"),
    ("jl-u03", "script", "2020-01-15"), ("jl-u03", "meeting", "2020-02-16"),
    ("jl-u03", "summary", "2020-02-20"),
]


def main() -> None:
    orgs = organizations()
    with open(HERE / "orgs.jsonl", "w", encoding="utf-8") as f:
        for org in orgs:
            f.write(json.dumps(org, ensure_ascii=False) + "\n")
    with open(HERE / "evaluations.jsonl", "w", encoding="utf-8") as f:
        for org in orgs:
            f.write(json.dumps(evaluation(org), ensure_ascii=False) + "\n")
    (HERE / "reports" / "compliant.txt").write_text(COMPLIANT, encoding="utf-8")
    (HERE / "reports" / "missing_list.txt").write_text(MISSING_LIST, encoding="utf-8")
    (HERE / "reports" / "too_long.txt").write_text(too_long(), encoding="utf-8")
    with open(HERE / "submissions.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["org_id", "step", "date"])
        writer.writerows(SUBMISSIONS)


if __name__ == "__main__":
    main()
