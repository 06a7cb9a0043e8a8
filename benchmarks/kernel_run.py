"""The batch without the command line: JSONL in, results out and stored, nothing else kept.

`python -m benchmarks.kernel_run SCHEME INPUT DB OUT` (from the repository root) does what
`dangjian score` does with the kernel's own calls only, so the memory benchmark can tell the
kernel's share of the peak from the command's.
"""

from __future__ import annotations

import sys

from dangjian import load_catalog
from dangjian.pipeline import Encoded, score_records
from dangjian.runs import run_meta
from dangjian.storage import Store


def main(scheme: str, source: str, db: str, out: str) -> None:
    plan = load_catalog().plan(scheme)
    store = Store(db)
    with open(source, "rb") as lines, open(out, "wb") as results:
        def written(items):
            for item in items:
                if isinstance(item, Encoded):
                    results.write(item.json() + b"\n")
                yield item

        pairs = ((n, line) for n, line in enumerate(lines, 1) if line.strip())
        summary = store.write_run(run_meta(plan, sources=[source]),
                                  written(score_records(plan, pairs, source=source)))
    store.close()
    print(summary.read, summary.scored, summary.rejected)


if __name__ == "__main__":
    main(*sys.argv[1:5])
