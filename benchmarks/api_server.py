"""The API under uvicorn for the benchmark, with one extra route that only decodes the body.

`python -m benchmarks.api_server PORT DB` (from the repository root). The bare route is
registered on the same app, so both endpoints share the server, its middleware and its process.
"""

from __future__ import annotations

import sys

import uvicorn
from dangjian.models import Evaluation
from litestar import post

BARE_PATH = "/bench/decode"


@post(BARE_PATH, status_code=200)
async def decode_only(data: Evaluation) -> dict[str, str]:
    """Decode the same body as the score endpoint and do nothing else."""
    return {"org_id": data.org_id}


def main(port: int, db: str) -> None:
    from dangjian_shell.api.app import create_app

    app = create_app(db_path=db)
    app.register(decode_only)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
