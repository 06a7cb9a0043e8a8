"""Finding the demo data (`seeds/<scheme-id>/`): $DANGJIAN_SEEDS, else a `seeds` folder above the
working directory, else the one in the repository that holds this package."""

from __future__ import annotations

import os
from pathlib import Path

from dangjian.errors import NotFound

SEEDS_ENV = "DANGJIAN_SEEDS"


def candidates() -> list[Path]:
    """Every `seeds` folder worth looking in, in order of preference."""
    found: list[Path] = []
    env = os.environ.get(SEEDS_ENV)
    if env:
        found.append(Path(env))
    for start in (Path.cwd(), Path(__file__).resolve().parent):
        for folder in (start, *start.parents):
            seeds = folder / "seeds"
            if seeds.is_dir() and seeds not in found:
                found.append(seeds)
    return found


def seed_folder(scheme_id: str) -> Path:
    """`seeds/<scheme_id>` with its evaluations.jsonl, or a NotFound saying where we looked."""
    looked = candidates()
    for seeds in looked:
        folder = seeds / scheme_id
        if (folder / "evaluations.jsonl").is_file():
            return folder
    where = "、".join(str(p) for p in looked) or "（没有找到任何 seeds 目录）"
    raise NotFound(f"找不到方案 {scheme_id} 的演示数据 seeds/{scheme_id}/evaluations.jsonl"
                   f"（查找过：{where}；可用环境变量 {SEEDS_ENV} 指定 seeds 目录）")
