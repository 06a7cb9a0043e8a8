"""What-if (placeholder until the command exists): re-deciding a stored run under a scheme, as
a ratio to scoring the same run. Skipped when `dangjian whatif` is not installed, or when it
does not take `SCHEME_FILE --run N --db DB` as this benchmark assumes (the skip says why)."""

from __future__ import annotations

from importlib.util import find_spec
from pathlib import Path

import pytest

from .conftest import RECORDS, SCHEME
from .measure import command, remove_db, run, score_command


def _scheme_file() -> Path:
    spec = find_spec("dangjian_jilin_health_2019")
    return Path(next(iter(spec.submodule_search_locations))) / "scheme.toml"


def test_whatif_over_a_run_against_scoring_it(jilin_file, data_dir, figures):
    if run([command("dangjian"), "whatif", "--help"]).returncode != 0:
        pytest.skip("dangjian has no whatif command")
    db = data_dir / "whatif.db"
    remove_db(db)
    try:
        scored = run(score_command(SCHEME, jilin_file, db))
        assert scored.returncode == 0, scored.stderr
        run_id = scored.json()["run_id"]
        whatif = run([command("dangjian"), "whatif", str(_scheme_file()), "--run", str(run_id),
                      "--db", str(db)])
        if whatif.returncode != 0:
            pytest.skip(f"dangjian whatif SCHEME_FILE --run N --db DB failed: "
                        f"{whatif.stderr.strip()[-300:]}")
    finally:
        remove_db(db)
    figures.add("what-if over a run (the scheme unchanged)", RECORDS / whatif.seconds,
                "records/s")
    figures.ratio("what-if time / scoring time, same run", whatif.seconds / scored.seconds,
                  1.0, higher_is_better=False)
