"""Which unit (parent organization, 上级组织) each organization of a run belongs to, and the
ranks of a stored run in the batch and within each unit.

The parent comes from the run's stored evaluations when the store keeps them
(`Store.evaluations(run_id)`, each with its organization), else from an organization registry
(`--orgs FILE`); with neither, there are ranks in the batch only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from dangjian.models import Organization
from dangjian.store.ranking import BatchRanking


@dataclass
class Units:
    """Parent of each organization id, and the names of organizations (parents included)."""

    parents: dict[str, str | None] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    source: str = ""
    """Where the parents came from, in Chinese (评分输入 / 组织名册 FILE); empty: unknown."""

    @property
    def known(self) -> bool:
        return bool(self.parents)

    def unit_of(self, org_id: str) -> str | None:
        return self.parents.get(org_id)

    def title(self, unit_id: str | None) -> str:
        """A unit as a clerk reads it: its name, else its id; none for a top organization."""
        if unit_id is None:
            return "（无上级组织）"
        return self.names.get(unit_id) or unit_id

    @classmethod
    def from_orgs(cls, orgs: Iterable[Organization], source: str = "") -> Units:
        units = cls(source=source)
        for org in orgs:
            units.parents[org.id] = org.parent_id
            if org.name:
                units.names[org.id] = org.name
        return units


def units_of_run(store, run_id: int, orgs: list[Organization] | None = None,
                 orgs_source: str = "") -> Units:
    """The units of a stored run: the organizations stored with its evaluations, completed by
    the registry `orgs` (which wins where both name a parent)."""
    from dangjian.errors import DangjianError

    units = Units()
    try:
        for _, evaluation in store.evaluations(run_id):
            org = evaluation.org
            if org is None:
                continue
            if org.parent_id:
                units.parents[evaluation.org_id] = org.parent_id
            if org.name:
                units.names[evaluation.org_id] = org.name
    except DangjianError:  # a run stored before inputs were kept: the registry alone tells
        units = Units()
    if units.parents:
        units.source = "评分输入"
    if orgs:
        registry = Units.from_orgs(orgs)
        units.parents.update(registry.parents)
        units.names.update(registry.names)
        units.source = orgs_source or "组织名册"
    return units


def rank_run(store, run_id: int, units: Units) -> BatchRanking:
    """Ranks over every result of the run (not a filtered subset), one pass over the store."""
    ranking = BatchRanking(units.unit_of if units.known else lambda org_id: None)
    for result in store.results(run_id):
        ranking.add(result.org_id, result.total)
        if result.org_name and result.org_id not in units.names:
            units.names[result.org_id] = result.org_name
    return ranking
