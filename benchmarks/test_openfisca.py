"""The OpenFisca peer (`openfisca_peer.py`): the reference rule as an OpenFisca model, run as
one cold process on the same generated file as `dangjian score`, and in process. Its result for
every record must equal the kernel's (total, grade, vetoes, eligible honours, consequences).

Goal (issue 13): `dangjian score jilin-health-2019 FILE --db DB`, one cold process, at least as
fast as the OpenFisca model as one cold process (import, decode, compute, write).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from .conftest import RECORDS, agree, check_goal
from .measure import run

pytest.importorskip("openfisca_core", reason="openfisca-core is in the `bench` dependency group")

from .openfisca_peer import Peer, verdict  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def test_openfisca_cold_process(jilin_file, data_dir, kernel_verdicts, pipeline, figures):
    out = data_dir / "openfisca.jsonl"
    done = run([sys.executable, "-m", "benchmarks.openfisca_peer", str(jilin_file), str(out)],
               cwd=ROOT)
    assert done.returncode == 0, done.stderr
    with open(out, "rb") as f:
        results = [verdict(line) for line in f.read().splitlines() if line.strip()]
    out.unlink()
    agree(kernel_verdicts, results)
    rate = figures.add("peer: OpenFisca, one cold process (import, decode, compute, write)",
                       RECORDS / done.seconds, "records/s")
    figures.add("peer: OpenFisca cold process, peak RSS", done.max_rss_mb, "MB")
    runs, _ = pipeline
    check_goal(figures.ratio("dangjian score --db, 1 worker, cold / OpenFisca cold",
                             RECORDS / runs[1].seconds / rate, 1.0))


def test_openfisca_in_process(jilin_lines, kernel_verdicts, figures):
    """Decode, compute and render the result lines, the model already built."""
    peer = Peer()
    peer.run(jilin_lines[:1000])  # warm up
    start = time.perf_counter()
    lines = peer.run(jilin_lines)
    seconds = time.perf_counter() - start
    agree(kernel_verdicts, [verdict(line) for line in lines])
    figures.add("peer: OpenFisca in process (decode, compute, render)", RECORDS / seconds,
                "records/s")


def test_openfisca_model_on_the_golden_cases():
    """The model itself against the plugin's hand-computed golden cases that score (89.995 →
    90.00 好, 80.125 → 80.13, mixed ballots, vetoes …): a peer that merely agreed with a wrong
    kernel would fail here."""
    import tomllib

    import msgspec

    from .openfisca_peer import scheme_path

    cases = [case for case in tomllib.loads(
        (scheme_path().parent / "golden.toml").read_text(encoding="utf-8"))["cases"]
        if not case["expect"].get("rejected")]
    assert len(cases) > 20
    lines = Peer().run([msgspec.json.encode(case["evaluation"]) for case in cases])
    for case, line in zip(cases, lines):
        got = msgspec.json.decode(line)
        expect = case["expect"]
        assert (got["total"], got["grade"]) == (expect["total"], expect["grade"]), case["name"]
        for key in ("vetoes", "consequences"):
            if key in expect:
                assert sorted(got[key]) == sorted(expect[key]), case["name"]
        assert set(expect.get("eligible", [])) <= set(got["eligible"]), case["name"]
        assert not set(expect.get("ineligible", [])) & set(got["eligible"]), case["name"]
