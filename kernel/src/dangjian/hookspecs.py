"""Every hook a dangjian plugin can implement. Each docstring is the plugin author's reference.

All hooks are registration hooks, called once when the catalogue is built (never per
organization): the plugin calls `register(...)` for each thing it contributes. The kernel
validates what it is given, records which plugin gave it, and refuses a duplicate id with an
error naming both plugins. None of these hooks is `firstresult`: every plugin is asked.
"""

from __future__ import annotations

from collections.abc import Callable

import pluggy

hookspec = pluggy.HookspecMarker("dangjian")
hookimpl = pluggy.HookimplMarker("dangjian")


@hookspec
def register_org_types(register: Callable) -> None:
    """Register organization types: call `register(OrgType(id=..., title=...))` for each.

    Ids are English (`branch`, `committee`); titles are what users read (`党支部`, `党委`).
    The kernel's default plugin registers 党组, 机关党委, 党委, 党总支 and 党支部.
    """


@hookspec
def register_methods(register: Callable) -> None:
    """Register scoring methods: call `register(Method(name=..., title=..., compile=...))`.

    `compile(spec: MethodSpec) -> scorer` runs once per criterion when a scheme is compiled and
    must validate `spec.params` (raise `SchemeError`); the returned `scorer(ctx: EvalContext)`
    runs per organization and returns an `Outcome(points, text, used)`. Schemes name a method
    by its `name`.
    """


@hookspec
def register_schemes(register: Callable) -> None:
    """Register schemes: call `register(path)` with a TOML/JSON scheme file shipped as package
    data (`importlib.resources.files(__package__) / "scheme.toml"`), or `register(scheme)` with
    a `Scheme` already built. Scheme ids are unique across all plugins.
    """


@hookspec
def register_diagnostics(register: Callable) -> None:
    """Register diagnostic methods: call `register(DiagnosticMethod(name=..., title=...,
    compile=...))`. `compile(diagnostic: Diagnostic, scheme: Scheme) -> check`, and
    `check(ctx: EvalContext)` returns a list of `Finding` (empty when the organization is clean).
    A scheme's `[[diagnostics]]` entries name them by `method`.
    """


@hookspec
def register_document_checks(register: Callable) -> None:
    """Register document checks: call `register(DocumentCheck(name=..., title=..., check=...))`.

    `check(text: str, rule: ReportRule) -> list[Finding]` inspects a written report (述职报告).
    A scheme's `[report]` table chooses one by its `check` name (default `lists`).
    """


@hookspec
def register_batch_rules(register: Callable) -> None:
    """Register batch rules: call `register(BatchRule(name=..., title=..., run=...))`.

    `run(results: list[Result], rule: BatchRuleSpec) -> list[Finding]` sees a whole finished
    batch (quotas, distributions). A scheme's `[[batch_rules]]` entries name them by `method`.
    """


@hookspec
def register_rollups(register: Callable) -> None:
    """Register roll-ups over an organization tree: call `register(Rollup(name=..., title=...,
    schemes=[...], run=...))`.

    `run(orgs: list[Organization], results: list[Result]) -> list` returns one row per unit,
    each with a `text()` sentence in Chinese and msgspec-encodable fields; build the counting on
    `dangjian.tools.orgtree.rollup`. `dangjian rollup SCHEME` runs the roll-ups naming that scheme.
    """
