"""The batch without the command line: JSONL in, results out and stored, nothing else kept.

`python -m benchmarks.kernel_run SCHEME INPUT DB OUT` (from the repository root) does what
`dangjian score` does with the kernel's own calls only, so the memory benchmark can tell the
kernel's share of the peak from the command's.
"""

from __future__ import annotations

import sys

from dangjian import load_catalog
from dangjian.models import Reject
from dangjian.runner import RunInput, run_meta, score_run
from dangjian.storage import Store


def main(scheme: str, source: str, db: str, out: str) -> None:
    plan = load_catalog().plan(scheme)
    store = Store(db)
    with open(source, "rb") as lines, open(out, "wb") as results:
        def write(item) -> None:
            if not isinstance(item, Reject):
                results.write(item.out + b"\n")

        pairs = ((n, line) for n, line in enumerate(lines, 1) if line.strip())
        summary = score_run(plan, [RunInput(pairs, source)], store=store,
                            meta=run_meta(plan, sources=[source]), each=write, out=True).summary
    store.close()
    print(summary.read, summary.scored, summary.rejected)


if __name__ == "__main__":
    main(*sys.argv[1:5])
