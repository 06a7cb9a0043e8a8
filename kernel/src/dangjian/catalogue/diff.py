"""What changed between two schemes (last year's and this year's): a tree of changes.

Criteria are matched by id anywhere in the tree (a moved criterion is "moved", not removed and
added); components, bands, vetoes, honours, consequences, inputs and the rest by their id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import msgspec

from dangjian.numbers import fmt
from dangjian.scheme import Condition, Criterion, Scheme

OPS = {"added": "+", "removed": "-", "changed": "~", "moved": "→"}


@dataclass
class FieldChange:
    """One field of one item: its Chinese label, the old and the new value as text."""

    field: str
    label: str
    old: str
    new: str


@dataclass
class Change:
    """An item that was added, removed or changed, with its changed fields and sub-items."""

    op: str
    id: str
    title: str
    fields: list[FieldChange] = field(default_factory=list)
    children: list[Change] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"op": self.op, "id": self.id, "title": self.title,
                "fields": [f.__dict__ for f in self.fields],
                "children": [c.to_dict() for c in self.children]}


@dataclass
class Section:
    """One part of the scheme (评分项, 分项权重, 等次 …) and what changed in it."""

    key: str
    title: str
    changes: list[Change]


@dataclass
class SchemeDiff:
    """Every change from scheme `a` to scheme `b`, grouped by part of the scheme."""

    a: Scheme
    b: Scheme
    sections: list[Section]

    @property
    def empty(self) -> bool:
        return not any(s.changes for s in self.sections)

    def to_dict(self) -> dict:
        return {"a": {"id": self.a.id, "version": self.a.version, "title": self.a.title},
                "b": {"id": self.b.id, "version": self.b.version, "title": self.b.title},
                "same": self.empty,
                "sections": [{"key": s.key, "title": s.title,
                              "changes": [c.to_dict() for c in s.changes]}
                             for s in self.sections if s.changes]}

    def text(self) -> str:
        return format_diff(self)


# -- values as text -----------------------------------------------------------------------------

def _condition_text(cond: Condition) -> str:
    parts = []
    if cond.flags:
        parts.append("输入 " + "、".join(cond.flags) + " 为是")
    if cond.grades:
        parts.append("等次为 " + "、".join(cond.grades))
    if cond.total_below is not None:
        parts.append(f"总分低于{fmt(cond.total_below)}")
    if cond.findings:
        parts.append("诊断 " + "、".join(cond.findings))
    return "且".join(parts) or "（无条件）"


def show(value: Any) -> str:
    """A value as a reader sees it in a diff."""
    if value is None:
        return "（无）"
    if value == "":
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, Condition):
        return _condition_text(value)
    if isinstance(value, (list, tuple)):
        return "[" + "、".join(show(v) for v in value) + "]" if value else "[]"
    if isinstance(value, msgspec.Struct):
        value = msgspec.to_builtins(value)
    if isinstance(value, dict):
        return msgspec.json.encode(value).decode() if value else "{}"
    return str(value)


def _weight(value: Decimal) -> str:
    return f"{(value * 100).normalize():f}%"


def _fields(a: Any, b: Any, labels: dict[str, str], formats: dict[str, Any] | None = None
            ) -> list[FieldChange]:
    out = []
    for name, label in labels.items():
        old, new = getattr(a, name), getattr(b, name)
        if old != new:
            render = (formats or {}).get(name, show)
            out.append(FieldChange(name, label, render(old) if old is not None else "（无）",
                                   render(new) if new is not None else "（无）"))
    return out


def _by_id(items: list, key: str = "id") -> dict[str, Any]:
    return {getattr(item, key): item for item in items}


def _keyed(a_items: list, b_items: list, labels: dict[str, str], *, key: str = "id",
           title: str = "title", formats: dict | None = None) -> list[Change]:
    """Items matched by key: added, removed, or changed in the listed fields (in b's order)."""
    a_map, b_map = _by_id(a_items, key), _by_id(b_items, key)
    changes = []
    for k, new in b_map.items():
        old = a_map.get(k)
        label = getattr(new, title, k) if title else k
        if old is None:
            changes.append(Change("added", k, label))
            continue
        diffs = _fields(old, new, labels, formats)
        if diffs:
            changes.append(Change("changed", k, label, diffs))
    for k, old in a_map.items():
        if k not in b_map:
            changes.append(Change("removed", k, getattr(old, title, k) if title else k))
    return changes


# -- criteria -----------------------------------------------------------------------------------

_CRITERION_FIELDS = {"title": "标题", "max": "满分", "method": "评分方法", "input": "输入",
                     "params": "参数", "note": "说明"}


def _index(nodes: list[Criterion], parent: str | None = None,
           out: dict | None = None) -> dict[str, tuple[str | None, Criterion]]:
    out = {} if out is None else out
    for node in nodes:
        out[node.id] = (parent, node)
        _index(node.children, node.id, out)
    return out


def _criteria_changes(a_nodes: list[Criterion], b_nodes: list[Criterion]) -> list[Change]:
    a_index, b_index = _index(a_nodes), _index(b_nodes)

    def node_change(node_id: str) -> Change | None:
        in_a, in_b = a_index.get(node_id), b_index.get(node_id)
        if in_b is None:
            return Change("removed", node_id, in_a[1].title)
        parent_b, new = in_b
        if in_a is None:
            change = Change("added", node_id, new.title,
                            children=children_changes([], [c.id for c in new.children]))
            if new.max is not None:
                change.fields.append(FieldChange("max", "满分", "", show(new.max)))
            return change
        parent_a, old = in_a
        diffs = _fields(old, new, _CRITERION_FIELDS)
        op = "changed"
        if parent_a != parent_b:
            op = "moved"
            diffs.insert(0, FieldChange("parent", "上级", parent_a or "（顶层）",
                                        parent_b or "（顶层）"))
        kids = children_changes([c.id for c in old.children], [c.id for c in new.children])
        if not diffs and not kids:
            return None
        return Change(op if diffs else "changed", node_id, new.title, diffs, kids)

    def children_changes(a_ids: list[str], b_ids: list[str]) -> list[Change]:
        ids = list(b_ids) + [i for i in a_ids if i not in b_ids and i not in b_index]
        return [c for c in (node_change(i) for i in ids) if c is not None]

    return children_changes([n.id for n in a_nodes], [n.id for n in b_nodes])


# -- the whole scheme ---------------------------------------------------------------------------

_BASICS = {"id": "方案编号", "title": "标题", "version": "版本", "region": "地区", "year": "年度",
           "as_of": "核对日", "effective_from": "生效日", "effective_to": "截止日",
           "org_types": "适用组织类型", "max": "满分", "missing_components": "缺项处理",
           "rounding": "取整规则", "draw": "现场抽签", "report": "报告要求"}


def _adjustment_changes(a: Scheme, b: Scheme) -> list[Change]:
    changes = _keyed(a.adjustments, b.adjustments, {
        "title": "标题", "kind": "类别", "cap": "上限", "beyond_max": "可超满分"})
    old_items = {adj.id: adj.items for adj in a.adjustments}
    for adj in b.adjustments:
        if adj.id not in old_items:
            continue
        kids = _criteria_changes(old_items[adj.id], adj.items)
        if not kids:
            continue
        existing = next((c for c in changes if c.id == adj.id), None)
        if existing is None:
            changes.append(Change("changed", adj.id, adj.title, children=kids))
        else:
            existing.children.extend(kids)
    return changes


def diff_schemes(a: Scheme, b: Scheme) -> SchemeDiff:
    """The changes from `a` (e.g. last year's scheme) to `b`."""
    basics = _fields(a, b, _BASICS)
    sections = [
        Section("basics", "基本信息",
                [Change("changed", b.id, b.title, basics)] if basics else []),
        Section("inputs", "输入", _keyed(a.inputs, b.inputs, {
            "title": "标题", "type": "类型", "required": "必填", "min": "下限", "max": "上限",
            "choices": "选项", "items": "列表项"}, key="name")),
        Section("criteria", "评分项", _criteria_changes(a.criteria, b.criteria)),
        Section("components", "分项与权重", _keyed(a.components, b.components, {
            "title": "标题", "weight": "权重", "max": "满分", "method": "评分方法",
            "input": "输入", "params": "参数", "criteria": "包含评分项"},
            formats={"weight": _weight})),
        Section("adjustments", "加分与扣分", _adjustment_changes(a, b)),
        Section("bands", "等次", _keyed(a.bands, b.bands, {"min": "下限（含）",
                                                           "below": "上限（不含）"},
                                       key="grade", title="grade")),
        Section("vetoes", "一票否决", _keyed(a.vetoes, b.vetoes, {
            "title": "标题", "when": "条件", "reason": "理由", "cap_grade": "等次封顶",
            "blocks": "否决荣誉"})),
        Section("honours", "荣誉", _keyed(a.honours, b.honours, {
            "title": "标题", "requires_grades": "要求等次", "reason": "说明"})),
        Section("consequences", "后果", _keyed(a.consequences, b.consequences, {
            "title": "标题", "when": "条件", "reason": "理由"})),
        Section("diagnostics", "诊断", _keyed(a.diagnostics, b.diagnostics, {
            "title": "标题", "method": "方法", "severity": "严重程度", "params": "参数"})),
        Section("batch_rules", "批次规则", _keyed(a.batch_rules, b.batch_rules, {
            "title": "标题", "method": "方法", "params": "参数"})),
        Section("deadlines", "时间节点", _keyed(a.deadlines, b.deadlines, {
            "title": "标题", "on_or_before": "截止", "after": "之后"})),
    ]
    return SchemeDiff(a, b, sections)


def _change_lines(change: Change, prefix: str, last: bool) -> list[str]:
    branch = "└─ " if last else "├─ "
    title = "" if change.title == change.id else f" {change.title}"
    lines = [f"{prefix}{branch}{OPS[change.op]} {change.id}{title}"]
    child_prefix = prefix + ("   " if last else "│  ")
    entries: list[Any] = [*change.fields, *change.children]
    for i, entry in enumerate(entries):
        end = i == len(entries) - 1
        if isinstance(entry, FieldChange):
            mark = "└─ " if end else "├─ "
            text = (f"{entry.label}：{entry.new}" if change.op == "added" else
                    f"{entry.label}：{entry.old} → {entry.new}")
            lines.append(f"{child_prefix}{mark}{text}")
        else:
            lines.extend(_change_lines(entry, child_prefix, end))
    return lines


def format_diff(diff: SchemeDiff) -> str:
    """The diff as a tree: + added, - removed, ~ changed, → moved."""
    head = (f"方案 {diff.a.id}（版本 {diff.a.version}） → {diff.b.id}（版本 {diff.b.version}）")
    if diff.empty:
        return head + "\n规则没有变化"
    lines = [head]
    shown = [s for s in diff.sections if s.changes]
    for i, section in enumerate(shown):
        last = i == len(shown) - 1
        lines.append(("└─ " if last else "├─ ") + section.title)
        prefix = "   " if last else "│  "
        for j, change in enumerate(section.changes):
            lines.extend(_change_lines(change, prefix, j == len(section.changes) - 1))
    lines.append("图例：+ 新增  - 删除  ~ 修改  → 移动")
    return "\n".join(lines)


def resolve_scheme(ref: str, catalog) -> Scheme:
    """A scheme named by id (installed) or by the path of a .toml/.json file."""
    from dangjian.catalogue.loading import load_scheme

    path = Path(ref)
    if path.suffix.lower() in (".toml", ".json") and path.is_file():
        return load_scheme(path)
    return catalog.scheme(ref).scheme
