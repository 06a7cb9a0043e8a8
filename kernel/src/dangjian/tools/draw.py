"""The random on-site draw (现场述职抽取): reproducible from a seed, auditable afterwards."""

from __future__ import annotations

import hashlib
import math
import random
from fractions import Fraction

import msgspec

from dangjian.errors import DangjianError
from dangjian.scheme import Draw


class DrawResult(msgspec.Struct, frozen=True, kw_only=True):
    """Who reports on site and who in writing, with what is needed to redo the draw."""

    seed: str
    fraction: str
    population: int
    population_digest: str
    onsite: list[str]
    written: list[str]
    onsite_title: str
    written_title: str


def draw_onsite(org_ids: list[str], rule: Draw, seed: str) -> DrawResult:
    """Draw at least `rule.fraction` (rounded up) of the organizations at random.

    The population is sorted first, so the same ids and seed give the same draw whatever
    order they were listed in; its digest is recorded for the audit.
    """
    population = sorted(set(org_ids))
    if not population:
        raise DangjianError("没有可供抽取的组织")
    try:
        fraction = Fraction(rule.fraction)
    except (ValueError, ZeroDivisionError):
        raise DangjianError(f"抽取比例“{rule.fraction}”无效", field="draw.fraction") from None
    size = min(len(population), math.ceil(len(population) * fraction))
    chosen = set(random.Random(f"dangjian-draw:{seed}").sample(population, size))
    digest = hashlib.sha256("\n".join(population).encode()).hexdigest()[:16]
    return DrawResult(
        seed=str(seed), fraction=rule.fraction, population=len(population),
        population_digest=digest,
        onsite=[o for o in population if o in chosen],
        written=[o for o in population if o not in chosen],
        onsite_title=rule.title, written_title=rule.rest_title)
