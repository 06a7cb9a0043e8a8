"""What if: rescore a run's organizations under another scheme, or the same one with changed
parameters, and compare with the results they had.

The core reads a stream of (evaluation, result it had) pairs and needs no database: it keeps
counts, a bounded heap of the biggest movers and the first few names of each list, so memory
does not grow with the run; the per-organization comparison is handed to a callback (the
`--out` writer) as it is made. `whatif_run` feeds it from a stored run.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

import msgspec

from dangjian.errors import DangjianError, SchemeError
from dangjian.models import Eligibility, Evaluation, Fired, Result
from dangjian.scoring.judge import UNGRADED
from dangjian.store.compact import Unpacker, unpack_profile
from dangjian.store.storage import stored_evaluation

DEFAULT_TOP = 10
MAX_TOP = 1000
_TOTALS_KEPT = 65_536  # a stored run's totals as Decimals, by their text
SAVED_NOTE = "由批次 {run_id} 推演"
"""The note of a run stored from a what-if (`--save`)."""


class Comparison(msgspec.Struct, frozen=True, kw_only=True):
    """One organization, before and after: what the `--out` file holds per row."""

    seq: int
    org_id: str
    org_name: str
    old_total: Decimal
    old_grade: str
    new_total: Decimal | None = None
    new_grade: str | None = None
    change: Decimal | None = None
    comparable: bool = True
    reason: str = ""
    missing: list[str] = []
    """Titles of the inputs the target scheme requires and the evaluation lacks."""
    consequences_added: list[str] = []
    consequences_removed: list[str] = []
    honours_gained: list[str] = []
    honours_lost: list[str] = []

    @property
    def grade_changed(self) -> bool:
        return self.comparable and self.new_grade != self.old_grade


class SchemeSide(msgspec.Struct, frozen=True, kw_only=True):
    """Which scheme a side of the comparison was scored under."""

    id: str
    version: str
    hash: str
    title: str


class Transition(msgspec.Struct, frozen=True, kw_only=True):
    """A cell of the grade transition matrix: how many went from one grade to another."""

    from_grade: str = msgspec.field(name="from")
    to_grade: str = msgspec.field(name="to")
    count: int


class OrgRef(msgspec.Struct, frozen=True, kw_only=True):
    org_id: str
    org_name: str


class OutcomeChange(msgspec.Struct, frozen=True, kw_only=True):
    """A consequence (约谈 …) that now applies or no longer does, or an honour whose
    eligibility was gained or lost: how many, and the first of them in input order."""

    kind: str
    id: str
    title: str
    change: str
    count: int
    orgs: list[OrgRef]


class Mover(msgspec.Struct, frozen=True, kw_only=True):
    org_id: str
    org_name: str
    old_total: Decimal
    old_grade: str
    new_total: Decimal
    new_grade: str
    change: Decimal


class MissingInput(msgspec.Struct, frozen=True, kw_only=True):
    """An input the target scheme requires and some organizations' evaluations lack."""

    name: str
    title: str
    count: int


class NotComparable(msgspec.Struct, frozen=True, kw_only=True):
    org_id: str
    org_name: str
    reason: str
    missing: list[str] = []


class WhatIf(msgspec.Struct, frozen=True, kw_only=True):
    """The comparison of a run with its rescoring: the CLI's `--format json` and the API's body."""

    run_id: int | None
    baseline: SchemeSide
    target: SchemeSide
    overrides: dict[str, str]
    organizations: int
    compared: int
    changed_grade: int
    raised: int
    lowered: int
    not_comparable: int
    grades_from: list[str]
    grades_to: list[str]
    matrix: list[Transition]
    outcome_changes: list[OutcomeChange]
    movers: list[Mover]
    missing_inputs: list[MissingInput]
    not_comparable_orgs: list[NotComparable]
    unused_inputs: list[str]


CONSEQUENCE_CHANGES = {"added": "新增", "removed": "不再适用"}
HONOUR_CHANGES = {"lost": "失去资格", "gained": "获得资格"}


def side(plan) -> SchemeSide:
    scheme = plan.scheme
    return SchemeSide(id=scheme.id, version=scheme.version, hash=plan.ref.hash, title=scheme.title)


def _scorer(plan) -> Callable[[Evaluation], Result]:
    """The fastest entry the plan offers: `assess` (no explanation lines) if it has one."""
    return getattr(plan, "assess", None) or plan.score


class Rescorer:
    """Scores evaluations under the target plan and compares each with its old result."""

    def __init__(self, target) -> None:
        self.target = target
        self._score = _scorer(target)
        specs = target.scheme.inputs
        self._known = {spec.name for spec in specs}
        self._required = [(spec.name, spec.title) for spec in specs if spec.required]
        self.unused: dict[str, None] = {}
        self._outcomes: dict[bytes, tuple[list[Fired], list[Eligibility]]] = {}
        self._changes: dict[tuple[int, bytes], Changes] = {}
        """Changes between outcomes, by (old profile's id in the compared run, new profile)."""

    def fit(self, evaluation: Evaluation) -> Evaluation:
        """The evaluation as the target scheme reads it: inputs it does not declare dropped
        (and remembered, to be named as unused)."""
        inputs = evaluation.inputs
        unknown = [name for name in inputs if name not in self._known]
        if not unknown:
            return evaluation
        for name in unknown:
            self.unused.setdefault(name)
        return msgspec.structs.replace(
            evaluation, inputs={k: v for k, v in inputs.items() if k in self._known})

    def __call__(self, seq: int, evaluation: Evaluation, old: Result) -> tuple[Comparison,
                                                                              Result | None]:
        """Compare one organization; `evaluation` is already fitted to the target."""
        base = dict(seq=seq, org_id=old.org_id, org_name=old.org_name, old_total=old.total,
                    old_grade=old.grade)
        inputs = evaluation.inputs
        missing = [title for name, title in self._required if _blank(inputs.get(name))]
        if missing:
            return Comparison(**base, comparable=False, missing=missing,
                              reason="缺少本方案要求的输入：" + "、".join(missing)), None
        try:
            new = self._score(evaluation)
        except DangjianError as exc:
            return Comparison(**base, comparable=False, reason=exc.message), None
        except Exception as exc:  # a plugin's method failing for this organization only
            return Comparison(**base, comparable=False,
                              reason=f"评分方法出错（插件 {self.target.loaded.plugin}）："
                              f"{type(exc).__name__}: {exc}"), None
        return _compared(seq, old, new.total, new.grade, new.consequences,
                         new.eligibility), new

    def decided(self, seq: int, org_id: str, org_name: str, old_total: Decimal,
                old_grade: str, old_profile: int | bytes,
                profile_of: Callable[[int | bytes], tuple], total: Decimal, grade: str,
                profile: bytes) -> Comparison:
        """Compare one organization rescored by the target plan's lane (`Lane.verdict`) with
        its stored result. What changed between two outcomes is worked out once per pair of
        profiles: the old one by its id in the run (`old_profile`; its body where it was
        stored inline), unpacked by `profile_of` only then, the new one as packed."""
        inline = old_profile.__class__ is bytes
        changes = None if inline else self._changes.get((old_profile, profile))
        if changes is None:
            outcome = self._outcomes.get(profile)
            if outcome is None:
                _grade, _vetoes, consequences, eligibility, _findings = unpack_profile(profile)
                outcome = self._outcomes[profile] = (consequences, eligibility)
            _grade, _vetoes, consequences, eligibility, _findings = profile_of(old_profile)
            changes = _changes(consequences, eligibility, *outcome)
            if not inline:
                self._changes[(old_profile, profile)] = changes
        return _comparison(seq, org_id, org_name, old_total, old_grade, total, grade, changes)


class Old(NamedTuple):
    """What a comparison reads of an organization's stored result."""

    org_id: str
    org_name: str
    total: Decimal
    grade: str
    consequences: list[Fired]
    eligibility: list[Eligibility]


def _compared(seq: int, old: Old | Result, total: Decimal, grade: str,
              consequences: list[Fired], eligibility: list[Eligibility]) -> Comparison:
    return _comparison(seq, old.org_id, old.org_name, old.total, old.grade, total, grade,
                       _changes(old.consequences, old.eligibility, consequences, eligibility))


class Changes(NamedTuple):
    """Consequences newly applying and no longer, honours gained and lost: titles."""

    consequences_added: list[str]
    consequences_removed: list[str]
    honours_gained: list[str]
    honours_lost: list[str]


def _changes(old_consequences: list[Fired], old_eligibility: list[Eligibility],
             consequences: list[Fired], eligibility: list[Eligibility]) -> Changes:
    old_fired = {c.id: c.title for c in old_consequences}
    new_fired = {c.id: c.title for c in consequences}
    old_ok = {e.honour: e.eligible for e in old_eligibility}
    new_ok = {e.honour: (e.title, e.eligible) for e in eligibility}
    return Changes(
        [t for i, t in new_fired.items() if i not in old_fired],
        [t for i, t in old_fired.items() if i not in new_fired],
        [t for i, (t, ok) in new_ok.items() if ok and old_ok.get(i) is False],
        [t for i, (t, ok) in new_ok.items() if not ok and old_ok.get(i)])


def _comparison(seq: int, org_id: str, org_name: str, old_total: Decimal, old_grade: str,
                total: Decimal, grade: str, changes: Changes) -> Comparison:
    # Each list by name: a Struct takes keywords from a merged dict (`**`) at three times
    # the cost, once per organization.
    added, removed, gained, lost = changes
    return Comparison(seq=seq, org_id=org_id, org_name=org_name, old_total=old_total,
                      old_grade=old_grade, new_total=total, new_grade=grade,
                      change=total - old_total, consequences_added=added,
                      consequences_removed=removed, honours_gained=gained, honours_lost=lost)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class Tally:
    """Counts, the biggest movers and the first names of every list, in bounded memory."""

    def __init__(self, baseline, target, *, top: int = DEFAULT_TOP) -> None:
        self.baseline, self.target, self.top = baseline, target, top
        self.organizations = self.compared = self.changed = self.raised = self.lowered = 0
        self.cells: dict[tuple[str, str], int] = {}
        self.rank = {band.grade: i for i, band in enumerate(target.scheme.bands)}
        self._movers: list[tuple] = []
        self.changes: dict[tuple[str, str, str], list] = {}  # (kind, title, change) → [n, orgs]
        self.missing: dict[str, int] = {}
        self.not_comparable = 0
        self.excluded: list[NotComparable] = []

    def add(self, row: Comparison) -> None:
        self.organizations += 1
        if not row.comparable:
            self.not_comparable += 1
            for title in row.missing:
                self.missing[title] = self.missing.get(title, 0) + 1
            if len(self.excluded) < self.top:
                self.excluded.append(NotComparable(org_id=row.org_id, org_name=row.org_name,
                                                   reason=row.reason, missing=row.missing))
            return
        self.compared += 1
        key = (row.old_grade, row.new_grade)
        self.cells[key] = self.cells.get(key, 0) + 1
        if row.new_grade != row.old_grade:
            self.changed += 1
            old_rank, new_rank = self.rank.get(row.old_grade), self.rank.get(row.new_grade)
            if old_rank is not None and new_rank is not None:
                self.raised += new_rank < old_rank
                self.lowered += new_rank > old_rank
        if row.change:
            movers, size = self._movers, abs(row.change)
            # Rows come in input order: a later row with the same change never displaces an
            # earlier one (the tie goes to the smaller seq), so only a larger change can.
            if len(movers) < self.top:
                heapq.heappush(movers, (size, -row.seq, row))
            elif size > movers[0][0]:
                heapq.heapreplace(movers, (size, -row.seq, row))
        if not (row.consequences_added or row.consequences_removed or row.honours_lost
                or row.honours_gained):
            return
        for kind, change, titles in (("consequence", "added", row.consequences_added),
                                     ("consequence", "removed", row.consequences_removed),
                                     ("honour", "lost", row.honours_lost),
                                     ("honour", "gained", row.honours_gained)):
            for title in titles:
                entry = self.changes.setdefault((kind, title, change), [0, []])
                entry[0] += 1
                if len(entry[1]) < self.top:
                    entry[1].append(OrgRef(org_id=row.org_id, org_name=row.org_name))

    def report(self, *, run_id: int | None, overrides: Mapping[str, str],
               unused: Iterable[str] = ()) -> WhatIf:
        grades_from = _grades(self.baseline, (old for old, _ in self.cells))
        grades_to = _grades(self.target, (new for _, new in self.cells))
        matrix = [Transition(from_grade=a, to_grade=b, count=self.cells[(a, b)])
                  for a in grades_from for b in grades_to if (a, b) in self.cells]
        movers = [Mover(org_id=r.org_id, org_name=r.org_name, old_total=r.old_total,
                        old_grade=r.old_grade, new_total=r.new_total, new_grade=r.new_grade,
                        change=r.change)
                  for _, _, r in sorted(self._movers, key=lambda e: (-e[0], -e[1]))]
        baseline_inputs = {s.name: s.title for s in self.baseline.scheme.inputs}
        return WhatIf(
            run_id=run_id, baseline=side(self.baseline), target=side(self.target),
            overrides=dict(overrides), organizations=self.organizations,
            compared=self.compared, changed_grade=self.changed, raised=self.raised,
            lowered=self.lowered, not_comparable=self.not_comparable,
            grades_from=grades_from, grades_to=grades_to, matrix=matrix,
            outcome_changes=self._outcome_changes(), movers=movers,
            missing_inputs=[MissingInput(name=s.name, title=s.title, count=self.missing[s.title])
                            for s in self.target.scheme.inputs if s.title in self.missing],
            not_comparable_orgs=list(self.excluded),
            unused_inputs=[baseline_inputs.get(name, name) for name in unused])

    def _outcome_changes(self) -> list[OutcomeChange]:
        """Consequences first (newly applying, then no longer), then honours (lost, gained),
        each in the target scheme's order, then the baseline's."""
        order: list[tuple[str, str, str, str]] = []
        for kind, rules, changes in (
                ("consequence", [*self.target.scheme.consequences,
                                 *self.baseline.scheme.consequences], CONSEQUENCE_CHANGES),
                ("honour", [*self.target.scheme.honours, *self.baseline.scheme.honours],
                 HONOUR_CHANGES)):
            for change in changes:
                seen = set()
                for rule in rules:
                    if rule.title in seen:
                        continue
                    seen.add(rule.title)
                    order.append((kind, rule.id, rule.title, change))
        out = []
        for kind, rule_id, title, change in order:
            entry = self.changes.get((kind, title, change))
            if entry:
                out.append(OutcomeChange(kind=kind, id=rule_id, title=title, change=change,
                                         count=entry[0], orgs=entry[1]))
        return out


def _grades(plan, seen: Iterable[str]) -> list[str]:
    """The grades of a scheme in its order, then any other grade seen (未定等次)."""
    grades = [band.grade for band in plan.scheme.bands]
    extra = sorted(set(seen) - set(grades), key=lambda g: (g != UNGRADED, g))
    return grades + extra


class Comparer:
    """Rescores pairs as they are pulled through `rows` and tallies them; `report` after."""

    def __init__(self, baseline, target, *, top: int = DEFAULT_TOP, run_id: int | None = None,
                 overrides: Mapping[str, str] | None = None) -> None:
        if not 1 <= top <= MAX_TOP:
            raise DangjianError(f"top 应在 1—{MAX_TOP} 之间，实为 {top}", field="top")
        self.baseline, self.target = baseline, target
        self.run_id, self.overrides = run_id, dict(overrides or {})
        self._rescore = Rescorer(target)
        self._tally = Tally(baseline, target, top=top)

    def rows(self, pairs: Iterable[tuple[Evaluation, Result]]
             ) -> Iterator[tuple[Comparison, Result | None]]:
        """Each organization's comparison and its new result (None when not comparable)."""
        for _, _, row, new in self._each(pairs):
            yield row, new

    def records(self, pairs: Iterable[tuple[Evaluation, Result]],
                on_row: Callable[[Comparison], None] | None = None
                ) -> Iterator[tuple[int, Evaluation]]:
        """`(row, evaluation)` records as the target scheme reads them, for the run path to
        store; each organization is compared (and handed to `on_row`) as it passes."""
        for seq, evaluation, row, _new in self._each(pairs):
            if on_row is not None:
                on_row(row)
            yield seq, evaluation

    def stored(self, unpacker: Unpacker, body_of: Callable[[int], bytes],
               rows: Iterable[list]) -> Iterator[Comparison]:
        """Each organization of a stored run (`Store.stored_rows`) compared, in input order:
        rescored through the target plan's lane where it takes the stored input, else
        decoded and rescored in full; the same comparison either way."""
        lane = self.target.lane
        rescore, add = self._rescore, self._tally.add
        decided = rescore.decided

        def profile_of(stored: int | bytes) -> tuple:
            """A stored profile unpacked: by its id, or its body where kept inline."""
            if stored.__class__ is bytes:
                return unpacker.profile(None, stored)
            return unpacker.profile(stored, body_of(stored))

        totals: dict[str, Decimal] = {}
        for seq, (org_id, _type, grade, total, old_profile, head, given, org) in enumerate(
                rows, 1):
            old_total = totals.get(total)
            if old_total is None:
                old_total = Decimal(total)
                if len(totals) < _TOTALS_KEPT:
                    totals[total] = old_total
            # A row the lane takes had its organization inline (none stored from `--orgs`):
            # its name, left out of the head, is the input's.
            new = lane.verdict(given) if lane is not None and org is None else None
            if new is not None:
                name, new_total, new_grade, profile = new
                row = decided(seq, org_id, name, old_total, grade, old_profile, profile_of,
                              new_total, new_grade, profile)
            else:
                _grade, _vetoes, consequences, eligibility, _findings = profile_of(old_profile)
                old = Old(org_id, unpacker.name(head, given), old_total, grade, consequences,
                          eligibility)
                row, _ = rescore(seq, rescore.fit(stored_evaluation(given, org)), old)
            add(row)
            yield row

    def _each(self, pairs: Iterable[tuple[Evaluation, Result]]):
        for seq, (evaluation, old) in enumerate(pairs, 1):
            evaluation = self._rescore.fit(evaluation)
            row, new = self._rescore(seq, evaluation, old)
            self._tally.add(row)
            yield seq, evaluation, row, new

    def report(self) -> WhatIf:
        return self._tally.report(run_id=self.run_id, overrides=self.overrides,
                                  unused=self._rescore.unused)


def compare(pairs: Iterable[tuple[Evaluation, Result]], baseline, target, *,
            top: int = DEFAULT_TOP, run_id: int | None = None,
            overrides: Mapping[str, str] | None = None,
            on_row: Callable[[Comparison], None] | None = None) -> WhatIf:
    """Rescore every (evaluation, old result) pair under `target` and compare.

    `baseline` and `target` are compiled plans; `on_row` receives each organization's
    comparison in input order."""
    comparer = Comparer(baseline, target, top=top, run_id=run_id, overrides=overrides)
    for row, _new in comparer.rows(pairs):
        if on_row is not None:
            on_row(row)
    return comparer.report()


# -- schemes: the run's own, another, or either with parameters changed ----------------------

def stored_scheme(catalog, text: str | bytes, fmt: str, *, run_id: int, scheme_id: str):
    """The scheme a run was scored under, from the source stored with it (a `LoadedScheme`):
    the installed one when its content is the same, so its plugin is named."""
    from dangjian.catalogue.loading import decode_scheme, scheme_hash
    from dangjian.catalogue.plugins import LoadedScheme

    data = text.encode() if isinstance(text, str) else text
    scheme = decode_scheme(data, file=f"批次 {run_id} 的方案", fmt=fmt)
    digest = scheme_hash(scheme)
    installed = catalog.schemes.get(scheme.id)
    if installed is not None and installed.hash == digest:
        return installed
    return LoadedScheme(scheme, catalog.owner("scheme", scheme_id) or "dangjian", None, digest)


def target_scheme(catalog, baseline, ref: str | None, overrides: Mapping[str, str], *,
                  files: bool = True):
    """The scheme to rescore under: `ref` (an installed id, or with `files` a .toml/.json
    path) or the run's own, with `overrides` applied and checked as `dangjian check` does."""
    from dangjian.catalogue.loading import SCHEME_FILE, LoadedScheme, load_scheme, scheme_hash
    from dangjian.catalogue.overrides import checked, overridden

    if ref is None and not overrides:
        raise SchemeError("请给出推演用的方案（编号或方案文件），或至少一处参数修改（路径=值）")
    if ref is None:
        loaded = baseline
    elif files and Path(ref).suffix.lower() in (".toml", ".json"):
        scheme = checked(load_scheme(ref), catalog, file=ref)
        loaded = LoadedScheme(scheme, SCHEME_FILE, ref, scheme_hash(scheme))
    else:
        loaded = catalog.scheme(ref)
    return overridden(loaded, overrides, catalog) if overrides else loaded


def plan_of(loaded, catalog):
    """A compiled plan: the catalogue's own for an installed scheme, else compiled here."""
    from dangjian.scoring.engine import compile_scheme

    if catalog.schemes.get(loaded.scheme.id) is loaded:
        return catalog.plan(loaded.scheme.id)
    return compile_scheme(loaded, catalog)


# -- a stored run ---------------------------------------------------------------------------

def stored_pairs(store, run_id: int) -> Iterator[tuple[Evaluation, Result]]:
    """A stored run's evaluations with the results they had, in input order."""
    evaluations = store.evaluations(run_id)
    for result in store.results(run_id):
        _, evaluation = next(evaluations, (None, None))
        if evaluation is None or evaluation.org_id != result.org_id:
            found = evaluation.org_id if evaluation is not None else "无"
            raise DangjianError(f"批次 {run_id} 存储的输入与结果不对应（结果 {result.org_id}，"
                                f"输入 {found}）")
        yield evaluation, result


def stored_comparer(store, catalog, run_id: int, *, scheme: str | None = None,
                    overrides: Mapping[str, str] | None = None, top: int = DEFAULT_TOP,
                    files: bool = True) -> Comparer:
    """A comparer for stored run `run_id` against `scheme` (an installed id, or with `files` a
    scheme file; default the run's own scheme as stored with it) with `overrides` applied."""
    overrides = dict(overrides or {})
    run = store.run(run_id)
    text, fmt = store.scheme_text(run_id)
    baseline = stored_scheme(catalog, text, fmt, run_id=run_id, scheme_id=run["scheme_id"])
    target = plan_of(target_scheme(catalog, baseline, scheme, overrides, files=files), catalog)
    return Comparer(plan_of(baseline, catalog), target, top=top, run_id=run_id,
                    overrides=overrides)


def whatif_run(store, catalog, run_id: int, *, scheme: str | None = None,
               overrides: Mapping[str, str] | None = None, top: int = DEFAULT_TOP,
               files: bool = True,
               on_row: Callable[[Comparison], None] | None = None) -> WhatIf:
    """Rescore stored run `run_id` and compare; nothing is stored. The CLI and the API both
    come through here, so their reports are the same bytes."""
    comparer = stored_comparer(store, catalog, run_id, scheme=scheme, overrides=overrides,
                               top=top, files=files)
    for row in comparer.stored(*store.stored_rows(run_id)):
        if on_row is not None:
            on_row(row)
    return comparer.report()


def save_whatif(store, catalog, run_id: int, *, scheme: str | None = None,
                overrides: Mapping[str, str] | None = None, top: int = DEFAULT_TOP,
                files: bool = True,
                on_row: Callable[[Comparison], None] | None = None
                ) -> tuple[WhatIf, int | None]:
    """`whatif_run`, and the rescored organizations stored as a new run through the one run
    path, noted “由批次 N 推演”: (the report, the new run's id). An organization the target
    scheme cannot score is a rejected row of that run, with the reason."""
    from dangjian.store.runner import RunInput, run_meta, score_run

    comparer = stored_comparer(store, catalog, run_id, scheme=scheme, overrides=overrides,
                               top=top, files=files)
    source = f"批次 {run_id}"
    meta = run_meta(comparer.target, input_digest=store.run(run_id).get("input_digest") or "",
                    sources=[source], note=SAVED_NOTE.format(run_id=run_id))
    records = comparer.records(stored_pairs(store, run_id), on_row)
    outcome = score_run(comparer.target, [RunInput(records, source)], store=store, meta=meta,
                        catalog=catalog)
    return comparer.report(), outcome.summary.run_id


_encode = msgspec.json.Encoder(decimal_format="number").encode


def encode_whatif(report: WhatIf) -> bytes:
    """The report as JSON, decimals as numbers: what the API answers and `--format json` prints."""
    return _encode(report)
