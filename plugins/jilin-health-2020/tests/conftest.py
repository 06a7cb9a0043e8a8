"""Fixtures for the Jilin health 2020 work points: the catalogue, the plan, a full year of
records for a branch and a 党委, and the demo seed files."""

from __future__ import annotations

import datetime
from pathlib import Path

import msgspec
import pytest
from dangjian import Activity, Evaluation, OrgInline, load_catalog

SCHEME_ID = "jilin-health-2020"
SEEDS = Path(__file__).resolve().parents[3] / "seeds" / SCHEME_ID
POINTS = [f"p{i:02d}" for i in range(1, 21)]


@pytest.fixture(scope="session")
def jilin_catalog():
    return load_catalog()


@pytest.fixture(scope="session")
def jilin(jilin_catalog):
    return jilin_catalog.plan(SCHEME_ID)


def read_jsonl(name: str, type_=None):
    with open(SEEDS / name, "rb") as lines:
        return [msgspec.json.decode(line, type=type_) if type_ else msgspec.json.decode(line)
                for line in lines if line.strip()]


def act(kind: str, date: str, person: str | None = None, note: str | None = None) -> Activity:
    return Activity(kind=kind, date=datetime.date.fromisoformat(date), person=person, note=note)


def common_year() -> list[Activity]:
    """What every assessed organization records in 2020 to meet the scheme in full."""
    return [act("谈心谈话", "2020-05-12"), act("专题培训班", "2020-09-15"),
            act("理论知识测试", "2020-06-10"), act("理论知识测试", "2020-11-10"),
            act("意识形态工作报告", "2020-12-15"), act("星级评定", "2020-11-20"),
            act("述职评议", "2020-01-15"), act("廉政风险点排查", "2020-07-10"),
            act("走访慰问", "2020-01-20"), act("走访慰问", "2020-07-01")]


def branch_year() -> list[Activity]:
    """A branch's full year: monthly theme days, 支委会 and 党小组会, quarterly 党员大会 and 党课
    (the June one by the secretary 李明), the organization-life meeting, appraisal, the
    secretary's lecture plan."""
    records = common_year()
    for month in range(1, 13):
        records.append(act("主题党日", f"2020-{month:02d}-16"))
        records.append(act("支委会", f"2020-{month:02d}-05"))
        records.append(act("党小组会", f"2020-{month:02d}-09"))
    records.append(act("组织生活会", "2020-12-18", note="2020年度组织生活会"))
    for month in (2, 5, 8, 11):
        records.append(act("党员大会", f"2020-{month:02d}-25"))
    for month in (3, 6, 9, 12):
        records.append(act("党课", f"2020-{month:02d}-26", "李明" if month == 6 else None))
    records += [act("民主评议党员", "2020-01-21"), act("党课教案", "2020-05-28", "李明")]
    return records


def committee_year() -> list[Activity]:
    return [*common_year(), act("党课", "2020-04-18", "甲书记"), act("党课", "2020-06-18", "乙委员")]


BRANCH = {"secretary": "李明", "lecturers": ["李明"]}
COMMITTEE = {"secretary": "甲书记", "lecturers": ["甲书记", "乙委员"]}


def evaluation(org_type: str = "branch", *, activities=None, attributes=None,
               **inputs) -> Evaluation:
    """An evaluation meeting every point (all tasks 完成 with evidence, a full year of records),
    with `inputs` overriding; an input set to None is left out."""
    values: dict = {}
    for point in POINTS:
        values[point] = "完成"
        values[f"{point}_evidence"] = "材料"
    values.update(inputs)
    if activities is None:
        activities = branch_year() if org_type == "branch" else committee_year()
    base = BRANCH if org_type == "branch" else COMMITTEE
    org = OrgInline(name="用例党组织", type=org_type,
                    attributes=base if attributes is None else attributes)
    return Evaluation(org_id="t1", org=org,
                      inputs={k: v for k, v in values.items() if v is not None},
                      activities=list(activities))


def line(result, criterion_id: str):
    return next(line for line in result.lines if line.id == criterion_id)


def weight_comments(path) -> dict[str, str]:
    """Each criterion id in a scheme file with the comment that explains its weight: the
    comment lines right above its table, or a group comment "13—16条各4分" covering a point."""
    import re

    found: dict[str, str] = {}
    groups: list[tuple[int, int, str]] = []
    comment: list[str] = []
    pending = False
    for raw in path.read_text(encoding="utf-8").splitlines():
        text = raw.strip()
        if text.startswith("#"):
            comment.append(text.lstrip("# "))
            continue
        if text.startswith("[[criteria"):
            pending, above, comment = True, "".join(comment), []
            for first, last in re.findall(r"(\d+)—(\d+)条各", above):
                groups.append((int(first), int(last), above))
            continue
        if pending and text.startswith("id = "):
            node_id = text.split('"')[1]
            found[node_id] = above
            if not above and re.fullmatch(r"p\d\d", node_id):
                number = int(node_id[1:])
                found[node_id] = next((g for a, b, g in groups if a <= number <= b), "")
            pending = False
        if not text:
            comment = []
    return found
