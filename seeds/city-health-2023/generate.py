"""Build the city health commission demo tree and its branch-structure survey (deterministic).

Counts follow the source study: the 直属单位党委 manages 12 units (8 public hospitals, 4
institutions); 6 grassroots 党委, 3 总支 units and 3 branch-level units; 144 branches; 3,151
members (2,411 in service, 740 retired). A branch-level unit is itself one of the 144
branches. The study gives no split of retired members by unit, so retired branches sit in the
larger units. The study counts no 预备党员: each in-service branch of 10 or more members is
given one or two, so that the 支部工作条例's line of 7 正式党员 is met or missed as in real
branches. Names are invented.

Run: python generate.py  (writes orgs.jsonl and evaluations.jsonl here)
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
DIGITS = "〇一二三四五六七八九"

# (id, name, kind, form, in-service branches, in-service members, retired branches, retired)
UNITS = [
    ("ct-u01", "市人民医院", "公立医院", "基层党委", 27, 600, 3, 170),
    ("ct-u02", "市中心医院", "公立医院", "基层党委", 22, 480, 3, 150),
    ("ct-u03", "市第三人民医院", "公立医院", "基层党委", 20, 400, 2, 110),
    ("ct-u04", "市中医医院", "公立医院", "基层党委", 16, 320, 2, 100),
    ("ct-u05", "市第五人民医院", "公立医院", "基层党委", 13, 250, 2, 90),
    ("ct-u06", "市妇幼保健院", "公立医院", "基层党委", 11, 170, 1, 50),
    ("ct-u07", "市眼科医院", "公立医院", "总支单位", 7, 80, 1, 40),
    ("ct-u08", "市口腔医院", "公立医院", "总支单位", 5, 55, 1, 30),
    ("ct-u09", "市疾病预防控制中心", "卫生健康事业单位", "总支单位", 5, 20, 0, 0),
    ("ct-u10", "市急救中心", "卫生健康事业单位", "支部单位", 1, 15, 0, 0),
    ("ct-u11", "市卫生健康监督所", "卫生健康事业单位", "支部单位", 1, 12, 0, 0),
    ("ct-u12", "市血液中心", "卫生健康事业单位", "支部单位", 1, 9, 0, 0),
]
FORM_TYPE = {"基层党委": "committee", "总支单位": "general_branch", "支部单位": "branch"}
COMMISSION = {
    "responsibility_items": {"委党组": 19, "党组书记": 13, "领导班子其他成员": 13},
    "integrity_files": 408,
}
SUPPORT_GAPS = ["支委业务排班紧，支部活动时间无保障", "支委未参加党务培训", "支部工作经费和活动场地不足"]
YOUNG = [45, 38, 33, 41, 36]
OLD = [56, 52, 49, 55, 51]
RETIRED_AGES = [68, 71, 66, 74, 69]


def cn(n: int) -> str:
    if n < 10:
        return DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else DIGITS[tens]) + "十" + (DIGITS[ones] if ones else "")


def split(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def member_attributes(members: int, category: str) -> dict:
    in_service = members if category == "在职" else 0
    return {"category": category, "members": members, "members_in_service": in_service,
            "members_retired": members - in_service}


def build_orgs() -> list[dict]:
    orgs = [{"id": "ct-pg", "name": "市卫生健康委党组", "type": "party_group", "parent_id": None,
             "attributes": COMMISSION},
            {"id": "ct-oc", "name": "市卫生健康委直属单位党委", "type": "organ_committee",
             "parent_id": "ct-pg", "attributes": {}}]
    for unit_id, name, kind, form, branches, members, retired, retired_members in UNITS:
        unit = {"id": unit_id, "type": FORM_TYPE[form], "parent_id": "ct-oc",
                "attributes": {"unit_kind": kind, "unit_form": form}}
        if form == "支部单位":
            unit["name"] = f"{name}党支部"
            unit["attributes"].update(member_attributes(members, "在职"))
            orgs.append(unit)
            continue
        unit["name"] = f"{name}{'党委' if form == '基层党委' else '党总支'}"
        orgs.append(unit)
        short = name.removeprefix("市")
        for i, size in enumerate(split(members, branches), 1):
            orgs.append({"id": f"{unit_id}-b{i:02d}", "name": f"{short}第{cn(i)}党支部",
                         "type": "branch", "parent_id": unit_id,
                         "attributes": member_attributes(size, "在职")})
        for i, size in enumerate(split(retired_members, retired) if retired else [], 1):
            orgs.append({"id": f"{unit_id}-r{i:02d}", "name": f"{short}离退休第{cn(i)}党支部",
                         "type": "branch", "parent_id": unit_id,
                         "attributes": member_attributes(size, "离退休")})
    return orgs


def survey(position: int, org: dict) -> dict:
    """One branch's structure, with problems placed at fixed positions so every rule fires."""
    attributes = org["attributes"]
    members, category = attributes["members"], attributes["category"]
    probationary = 0 if category == "离退休" or members < 10 else 1 + position % 2
    full = members - probationary
    if full < 7:
        size = 1                                   # no committee required
    elif position % 23 == 7:
        size = 1                                   # secretary alone: thin_committee
    elif position % 29 == 11:
        size = 2                                   # two of at least three: thin_committee
    else:
        size = 5 if members >= 20 else 3
    deputy = members >= 30 and position % 4 != 1  # large branches mostly have a deputy
    if position % 5 == 2:
        posts = [3, 2, 2, 1, 2][:size]             # most members hold 2+ other posts
    else:
        posts = [1, 0, 1, 2, 0][:size]
    dedicated = position % 10 != 2                 # 7, 17 …: busy but someone is dedicated
    if category == "离退休":
        ages = RETIRED_AGES[:size]                 # old, but the ageing rule does not apply
    elif position % 7 == 3:
        ages = OLD[:size]
    else:
        ages = YOUNG[:size]
    inputs = {"members": members, "full_members": full, "category": category,
              "committee_size": size, "committee_posts": posts, "committee_ages": ages}
    if deputy:
        inputs["deputy_secretary"] = True
        # “有副书记和支部委员，但班子队伍保障不够”: some hospital branches with a full team
        supported = position % 3 != 0
        inputs["team_support"] = "到位" if supported else "不够"
        if not supported:
            inputs["team_support_note"] = SUPPORT_GAPS[position % len(SUPPORT_GAPS)]
    if dedicated:
        inputs["dedicated_party_worker"] = True
    return inputs


def main() -> None:
    orgs = build_orgs()
    branches = [o for o in orgs if o["type"] == "branch"]
    evaluations = [{"org_id": o["id"],
                    "org": {"name": o["name"], "type": o["type"], "parent_id": o["parent_id"]},
                    "inputs": survey(i, o)} for i, o in enumerate(branches)]
    for name, rows in (("orgs.jsonl", orgs), ("evaluations.jsonl", evaluations)):
        with open(HERE / name, "w", encoding="utf-8") as out:
            out.writelines(json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n"
                           for row in rows)


if __name__ == "__main__":
    main()
