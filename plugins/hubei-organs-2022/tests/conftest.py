"""Fixtures for the Hubei provincial organs 2022 work points: the catalogue, the plan, a full year
of records for a 机关党委 and a 机关党支部, and the demo seed files."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import msgspec
import pytest
from dangjian import Activity, Evaluation, OrgInline, load_catalog

SCHEME_ID = "hubei-organs-2022"
SEEDS = Path(__file__).resolve().parents[3] / "seeds" / SCHEME_ID
POINTS = [f"p{i:02d}" for i in range(1, 21)]


@pytest.fixture(scope="session")
def hubei_catalog():
    return load_catalog()


@pytest.fixture(scope="session")
def hubei(hubei_catalog):
    return hubei_catalog.plan(SCHEME_ID)


def read_jsonl(name: str, type_=None):
    with open(SEEDS / name, "rb") as lines:
        return [msgspec.json.decode(line, type=type_) if type_ else msgspec.json.decode(line)
                for line in lines if line.strip()]


def act(kind: str, date: str, person: str | None = None, note: str | None = None) -> Activity:
    return Activity(kind=kind, date=datetime.date.fromisoformat(date), person=person, note=note)


def branch_year() -> list[Activity]:
    """A branch's full 2022: a theme day every month (September's “喜迎二十大”), the secretary
    李明's lecture, last year's organization-life meeting and the 20th-Congress one."""
    records = [act("主题党日", f"2022-{m:02d}-18", note="主题党日") for m in range(1, 13) if m != 9]
    records += [act("主题党日", "2022-09-18", note="“喜迎二十大 奋进新征程”主题党日"),
                act("党课", "2022-04-12", "李明"),
                act("组织生活会", "2022-01-20", note="2021年度组织生活会"),
                act("组织生活会", "2022-11-22", note="“学习贯彻党的二十大精神”专题组织生活会")]
    return records


def committee_year() -> list[Activity]:
    """A 机关党委's full 2022: the political-ecology report, two half-yearly thinking reports,
    the all-member assembly, and a lecture by each of its two leading cadres."""
    return [act("政治生态报告", "2022-11-20"), act("思想动态报告", "2022-06-20"),
            act("思想动态报告", "2022-12-20"),
            act("党员大会", "2022-07-15", note="机关党员干部大会"),
            act("党课", "2022-04-10", "甲书记"), act("党课", "2022-05-10", "乙委员")]


BRANCH = {"secretary": "李明", "lecturers": ["李明"], "term_start": "2021-06-01"}
COMMITTEE = {"lecturers": ["甲书记", "乙委员"], "term_start": "2020-05-01", "term_years": 5}


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
