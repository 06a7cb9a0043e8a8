"""The reference explanations: every golden case of the installed plugins, generated records of
the reference scheme and of a 25-criterion scheme using every built-in method, and the seeds'
demo data, each with the exact bytes `Plan.score` encoded for it.

Regenerate only when a change to the explanations is intended:
`uv run --offline python -m tests.kernel.reference` from the repository root.
"""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

import msgspec

from dangjian import Evaluation, Organization, Reject, Result, Scheme, hookimpl, load_catalog
from dangjian.tools.golden import golden_files, load_cases

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = Path(__file__).parent / "data" / "reference_results.jsonl.gz"
GENERATED = 300


class Case(msgspec.Struct, kw_only=True):
    """One evaluation with what the renderer produced for it."""

    scheme: str
    name: str
    row: int
    evaluation: Any
    org: Any = None  # the registry's organization when the evaluation has no inline `org`
    result: str | None = None  # the encoded Result, scheme reference left out
    reject: str | None = None  # the encoded Reject


class Header(msgspec.Struct, kw_only=True):
    schemes: list[Any]  # schemes not shipped by a plugin (the benchmarks' 25-criterion one)


def encode_result(result: Result) -> bytes:
    """The result as the kernel encodes it, without the scheme reference (hash and plugin
    versions change with every release; the explanation must not)."""
    return msgspec.json.encode(msgspec.structs.replace(result, scheme=None))


def catalog_for(extra_schemes: list[Scheme]):
    class Extra:
        @hookimpl
        def register_schemes(self, register):
            for scheme in extra_schemes:
                register(scheme)

    return load_catalog(plugins=[Extra()])


def evaluation_of(case: Case) -> Evaluation | Reject:
    from dangjian.scoring.records import evaluation_from_object

    return evaluation_from_object(case.evaluation, row=case.row, source=case.name)


def registry_of(case: Case) -> dict[str, Organization] | None:
    if case.org is None:
        return None
    org = msgspec.convert(case.org, Organization)
    return {org.id: org}


def read() -> tuple[Header, list[Case]]:
    lines = gzip.decompress(FIXTURE.read_bytes()).splitlines()
    header = msgspec.json.decode(lines[0], type=Header)
    return header, [msgspec.json.decode(line, type=Case) for line in lines[1:]]


def _inputs() -> tuple[list[Scheme], list[Case]]:
    """Every evaluation the fixture holds, without results."""
    from benchmarks.synthetic import evaluations_25, evaluations_jilin, scheme_25

    bench = scheme_25()
    catalog = catalog_for([bench])
    cases: list[Case] = []
    for scheme_id in sorted(catalog.schemes):
        plan = catalog.plan(scheme_id)
        for path in golden_files(plan.loaded.path):
            for case in load_cases(path, plan.scheme):
                cases.append(Case(scheme=scheme_id, name=f"golden:{path.name}:{case.name}",
                                  row=case.row, evaluation=case.evaluation))
    for row, record in enumerate(evaluations_jilin(GENERATED), 1):
        cases.append(Case(scheme="jilin-health-2019", name="generated", row=row,
                          evaluation=record))
    for row, record in enumerate(evaluations_25(GENERATED // 3), 1):
        cases.append(Case(scheme=bench.id, name="generated", row=row, evaluation=record))
    for folder in sorted((ROOT / "seeds").iterdir()):
        if folder.name not in catalog.schemes:
            continue
        orgs = {}
        if (folder / "orgs.jsonl").is_file():
            for line in (folder / "orgs.jsonl").read_bytes().splitlines():
                if line.strip():
                    org = msgspec.json.decode(line)
                    orgs[org["id"]] = org
        for path in sorted(folder.glob("*.jsonl")):
            if path.name == "orgs.jsonl":
                continue
            for row, line in enumerate(path.read_bytes().splitlines(), 1):
                if not line.strip():
                    continue
                record = msgspec.json.decode(line)
                if not isinstance(record, dict) or "inputs" not in record:
                    continue
                org = orgs.get(record.get("org_id")) if record.get("org") is None else None
                cases.append(Case(scheme=folder.name, name=f"seed:{path.name}", row=row,
                                  evaluation=record, org=org))
    return [bench], cases


def write() -> int:
    schemes, cases = _inputs()
    catalog = catalog_for(schemes)
    out = [msgspec.json.encode(Header(schemes=[msgspec.to_builtins(s) for s in schemes]))]
    for case in cases:
        plan = catalog.plan(case.scheme)
        evaluation = evaluation_of(case)
        (outcome,) = plan.score_many([(case.row, evaluation)], registry_of(case))
        if isinstance(outcome, Result):
            case.result = encode_result(outcome).decode()
        else:
            case.reject = msgspec.json.encode(outcome).decode()
        out.append(msgspec.json.encode(case))
    FIXTURE.write_bytes(gzip.compress(b"\n".join(out) + b"\n", mtime=0))
    return len(cases)


if __name__ == "__main__":
    print(f"{write()} cases written to {FIXTURE.name}")
