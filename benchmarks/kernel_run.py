"""The batch through the kernel's stable calls alone: JSONL in, every record decoded and scored
(`Plan.assess` where the kernel has it, else `Plan.score`), nothing kept, stored or written.

`python -m benchmarks.kernel_run SCHEME INPUT` (from the repository root) prints how many lines
were read, scored and rejected, so the memory benchmark can tell the kernel's share of the
command's peak.
"""

from __future__ import annotations

import sys

from dangjian import DangjianError, load_catalog

from .kernel_calls import assessor, decoder


def main(scheme: str, source: str) -> None:
    plan = load_catalog().plan(scheme)
    decode, assess = decoder(plan), assessor(plan)
    read = scored = 0
    with open(source, "rb") as lines:
        for line in lines:
            if not line.strip():
                continue
            read += 1
            try:
                evaluation = decode(line, read)
                if type(evaluation).__name__ != "Reject":
                    assess(evaluation)
                    scored += 1
            except DangjianError:
                pass
    print(read, scored, read - scored)


if __name__ == "__main__":
    main(*sys.argv[1:3])
