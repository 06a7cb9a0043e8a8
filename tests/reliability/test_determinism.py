"""Determinism: the same input and scheme store byte-identical results across runs, worker
counts and the CLI and API doors; every result names the scheme hash and plugin versions."""

from __future__ import annotations

import json
from importlib import metadata
from importlib.resources import files
from pathlib import Path

import msgspec
from dangjian import load_catalog
from dangjian.catalogue.loading import load_scheme, scheme_hash
from dangjian.store.storage import Store, encode_result

from .conftest import SCHEME, line, no_traceback, run

WRITE_KEY = "det-writer-4c1e"


def evaluations(count: int) -> list[str]:
    """`count` JSONL lines: mixed scores and ballots, vetoes, Chinese types, every tenth bad."""
    lines = []
    for i in range(1, count + 1):
        onsite = [55 + i % 46, ["好", "较好", "一般", "差"][i % 4], round(60 + (i % 400) / 10, 1)]
        flags = {"integrity_problem": True} if i % 17 == 0 else {}
        superior = 120 if i % 10 == 0 else 40 + i % 61
        lines.append(line(f"o{i}", onsite, superior, ["branch", "党委", "党总支"][i % 3], **flags))
    return lines


def stored(db: Path, run_id: int) -> tuple[list, list]:
    """A run's stored rows (all but the input's bytes: JSONL as read by the CLI, re-encoded by
    the API), each result with its explanation rendered, and the rejects."""
    store = Store(db)
    try:
        rows = [row[:6] + row[7:] for row in store.stored_bytes(run_id)]
        explained = [encode_result(r) for r in store.results(run_id, with_lines=True)]
        return list(zip(rows, explained, strict=True)), store.rejects(run_id)
    finally:
        store.close()


def test_runs_and_worker_counts_store_byte_identical_results(tmp_path):
    # 4,500 rows: three chunks of the pipeline, so two workers really share the work
    (tmp_path / "in.jsonl").write_text("\n".join(evaluations(4500)) + "\n", encoding="utf-8")
    for note, (db, workers) in enumerate((("a.db", 1), ("a.db", 1), ("b.db", 2), ("b.db", 1))):
        proc = run("score", SCHEME, "in.jsonl", "--db", db, "--workers", workers, "--quiet",
                   "--note", f"第{note}次", cwd=tmp_path)
        assert proc.returncode == 0 and no_traceback(proc.stdout + proc.stderr), proc.stderr
    first, first_rejects = stored(tmp_path / "a.db", 1)
    assert len(first) == 4050 and len(first_rejects) == 450
    for db, run_id in (("a.db", 2), ("b.db", 1), ("b.db", 2)):
        assert stored(tmp_path / db, run_id) == (first, first_rejects)


def test_the_cli_and_the_api_store_and_serve_the_same_bytes(tmp_path, catalog):
    from dangjian_shell.api import create_app
    from dangjian_shell.api.settings import Settings
    from litestar.testing import TestClient

    lines = evaluations(300)
    (tmp_path / "in.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    proc = run("score", SCHEME, "in.jsonl", "--db", "cli.db", "--quiet", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr

    app = create_app(catalog=catalog, db_path=str(tmp_path / "api.db"),
                     api_keys=f"{WRITE_KEY}:write", settings=Settings())
    auth = {"Authorization": f"Bearer {WRITE_KEY}"}
    body = {"evaluations": [json.loads(text) for text in lines]}
    with TestClient(app) as client:
        created = client.post(f"/schemes/{SCHEME}/runs", json=body, headers=auth)
        assert created.status_code == 201, created.text
        run_id = created.json()["run_id"]
        one = client.get(f"/runs/{run_id}/results/o7", headers=auth)
        batch = client.post(f"/schemes/{SCHEME}/score/batch", json=body)

    cli_results, cli_rejects = stored(tmp_path / "cli.db", 1)
    api_results, api_rejects = stored(tmp_path / "api.db", run_id)
    assert api_results == cli_results and len(cli_results) == 270
    strip = [msgspec.structs.replace(r, source=None) for r in cli_rejects]
    assert [msgspec.structs.replace(r, source=None) for r in api_rejects] == strip

    store = Store(tmp_path / "cli.db")
    expected = encode_result(store.result(1, "o7"))
    store.close()
    assert one.status_code == 200 and one.content == expected
    # the stateless batch door gives the same results (compared as JSON: one response body)
    assert batch.status_code == 200
    assert batch.json()["results"] == [json.loads(explained) for _, explained in cli_results]

def test_every_stored_result_names_the_scheme_hash_and_plugin_versions(tmp_path):
    (tmp_path / "in.jsonl").write_text("\n".join(evaluations(20)) + "\n", encoding="utf-8")
    proc = run("score", SCHEME, "in.jsonl", "--db", "runs.db", "--quiet", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr

    package = files("dangjian_jilin_health_2019") / "scheme.toml"
    expected_hash = scheme_hash(load_scheme(package))
    assert load_catalog().scheme(SCHEME).hash == expected_hash
    versions = {"dangjian": metadata.version("dangjian"),
                SCHEME: metadata.version("dangjian-jilin-health-2019")}

    store = Store(tmp_path / "runs.db")
    try:
        meta = store.run(1)
        payloads = [json.loads(encode_result(r)) for r in store.results(1)]
    finally:
        store.close()
    assert (meta["scheme_id"], meta["scheme_hash"], meta["plugin_versions"]) == (
        SCHEME, expected_hash, versions)
    assert len(payloads) == 18
    for payload in payloads:
        assert payload["scheme"] == {"id": SCHEME, "version": "2019.1", "hash": expected_hash,
                                     "plugin": SCHEME, "plugins": versions}
