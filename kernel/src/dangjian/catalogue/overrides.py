"""Changing a scheme's parameters by path (`components.onsite.weight=0.6`, `bands.好.min=92`).

A path walks the scheme as its file is written: table keys by name, items of a list of
tables by their id (bands by grade, inputs by name, a list without ids by position from 0).
Ids may contain dots (`criteria.c1.children.c1.1.max`): the longest id that matches wins.
Values are read by the type of the key they replace. The changed scheme is then checked
exactly as `dangjian check` checks a scheme: an error there (weights that no longer add up,
bands with a gap) is an error here.
"""

from __future__ import annotations

import datetime
import re
import tomllib
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

import msgspec
import msgspec.inspect as mi

from dangjian.errors import SchemeError
from dangjian.catalogue.loading import scheme_hash
from dangjian.scheme import Scheme

ITEM_KEYS = ("id", "grade", "name")
"""How an item of a list of tables is named in a path, in order of preference."""
_LIST_SPLIT = re.compile(r"\s*[,，、;；]\s*")
_TRUE = {"true", "是", "1", "yes"}
_FALSE = {"false", "否", "0", "no"}
_NONE = {"none", "null", "无"}


def parse_assignment(text: str) -> tuple[str, str]:
    """`PATH=VALUE` as (path, value); the value may itself contain `=`."""
    path, sep, value = text.partition("=")
    if not sep or not path.strip():
        raise SchemeError(f"参数修改“{text}”应写成 路径=值，如 components.onsite.weight=0.6")
    return path.strip(), value.strip()


def apply_overrides(scheme: Scheme, overrides: Mapping[str, str]) -> Scheme:
    """The scheme with each path set to its value (types checked, not yet linted)."""
    tree = msgspec.to_builtins(scheme, builtin_types=(Decimal, datetime.date))
    root = mi.type_info(Scheme)
    moved: list[tuple[str, str, Any]] = []
    for path, value in overrides.items():
        where, old = _assign(tree, root, path, str(value), scheme.id)
        if len(where) == 3 and where[0] == "bands" and where[2] in ("min", "below"):
            moved.append((where[1], where[2], old))
    _keep_bands_adjacent(tree["bands"], moved)
    try:
        return msgspec.convert(tree, Scheme, strict=True)
    except msgspec.ValidationError as exc:
        raise SchemeError(f"修改后的方案无效：{exc}", scheme=scheme.id) from None


def overridden(loaded, overrides: Mapping[str, str], catalog):
    """A registered scheme (`LoadedScheme`) with its parameters changed and checked as
    `dangjian check` checks it; a `SchemeError` lists the errors the change caused."""
    from dangjian.catalogue.plugins import LoadedScheme

    scheme = apply_overrides(loaded.scheme, overrides)
    return LoadedScheme(checked(scheme, catalog), loaded.plugin, None, scheme_hash(scheme))


def checked(scheme: Scheme, catalog, *, file: str | None = None) -> Scheme:
    """The scheme if `dangjian check` finds no error in it, else a `SchemeError` naming them."""
    from dangjian.catalogue.check import check_scheme

    errors = [f for f in check_scheme(scheme, catalog) if f.level == "error"]
    if errors:
        raise SchemeError("；".join(f"{f.where}：{f.message}" for f in errors[:5]),
                          scheme=scheme.id, file=file)
    return scheme


def _keep_bands_adjacent(bands: list[dict], moved: list[tuple[str, str, Any]]) -> None:
    """A moved line between two grades moves for both: `bands.好.min=92` also makes 较好 end
    below 92, where it ended below 90, unless that end was set explicitly too."""
    explicit = {(grade, key) for grade, key, _ in moved}
    by_grade = {band["grade"]: band for band in bands}
    for grade, key, old in moved:
        new = by_grade[grade][key]
        other_key = "below" if key == "min" else "min"
        for band in bands:
            if band is not by_grade[grade] and band.get(other_key) == old and old is not None \
                    and (band["grade"], other_key) not in explicit and new is not None:
                band[other_key] = new


def _error(scheme_id: str, path: str, message: str) -> SchemeError:
    return SchemeError(message, scheme=scheme_id, field=path)


def _optional(kind: mi.Type) -> tuple[mi.Type, bool]:
    if isinstance(kind, mi.UnionType):
        rest = [t for t in kind.types if not isinstance(t, mi.NoneType)]
        if len(rest) == 1:
            return rest[0], len(rest) < len(kind.types)
    return kind, False


def _item_key(kind: mi.StructType) -> str | None:
    names = {f.name for f in kind.fields}
    return next((key for key in ITEM_KEYS if key in names), None)


def _assign(tree: dict, root: mi.StructType, path: str, value: str,
            scheme_id: str) -> tuple[tuple[str, ...], Any]:
    """Set the value a path names; (the path as resolved, the value it replaced)."""
    parts = path.split(".")
    node: Any = tree
    kind: mi.Type = root
    at = 0
    walked: list[str] = []
    while True:
        kind, _ = _optional(kind)
        if isinstance(kind, mi.StructType):
            name = parts[at]
            fields = {f.name: f.type for f in kind.fields}
            if name not in fields:
                where = ".".join(walked) or "方案"
                raise _error(scheme_id, path, f"未知的路径：{where} 下没有“{name}”"
                             f"（可用：{'、'.join(fields)}）")
            walked.append(name)
            if at == len(parts) - 1:
                old = node.get(name)
                node[name] = _convert(fields[name], value, path, scheme_id)
                return tuple(walked), old
            child = node.get(name)
            if child is None:
                raise _error(scheme_id, path, f"方案没有 {'.'.join(walked)} 这一部分，无法修改其中的项")
            node, kind, at = child, fields[name], at + 1
        elif isinstance(kind, mi.ListType) and isinstance(_optional(kind.item_type)[0],
                                                            mi.StructType):
            item_kind = _optional(kind.item_type)[0]
            key = _item_key(item_kind)
            index, at = _find_item(node, key, parts, at, walked, path, scheme_id)
            if at == len(parts):
                raise _error(scheme_id, path, f"{'.'.join(walked)} 是一个完整的项，"
                             "请写到其中的键，如 …weight、…min")
            node, kind = node[index], item_kind
        elif isinstance(kind, (mi.DictType, mi.AnyType)) and isinstance(node, dict):
            value_kind = kind.value_type if isinstance(kind, mi.DictType) else kind
            name = _longest(parts, at, node.keys())
            if name is None or at + len(name.split(".")) == len(parts):
                key = name or ".".join(parts[at:])
                old = node.get(key)
                node[key] = _convert(value_kind, value, path, scheme_id)
                return (*walked, key), old
            walked.append(name)
            at += len(name.split("."))
            node, kind = node[name], value_kind
        else:
            raise _error(scheme_id, path, f"未知的路径：{'.'.join(walked)} 是一个值，"
                         f"下面没有“{'.'.join(parts[at:])}”")


def _longest(parts: list[str], at: int, names) -> str | None:
    names = set(names)
    for end in range(len(parts), at, -1):
        candidate = ".".join(parts[at:end])
        if candidate in names:
            return candidate
    return None


def _find_item(items: list, key: str | None, parts: list[str], at: int, walked: list[str],
               path: str, scheme_id: str) -> tuple[int, int]:
    """(position of the item the path names, index of the next path part)."""
    where = ".".join(walked)
    if key is None:
        if parts[at].isdigit() and int(parts[at]) < len(items):
            walked.append(parts[at])
            return int(parts[at]), at + 1
        raise _error(scheme_id, path, f"{where} 的项没有编号，请用从 0 起的序号"
                     f"（共 {len(items)} 项）")
    names = [item.get(key) for item in items]
    name = _longest(parts, at, [n for n in names if isinstance(n, str)])
    if name is None:
        known = "、".join(str(n) for n in names) or "无"
        raise _error(scheme_id, path, f"{where} 中没有“{parts[at]}”（有：{known}）")
    walked.append(name)
    return names.index(name), at + len(name.split("."))


def _convert(kind: mi.Type, value: str, path: str, scheme_id: str) -> Any:
    kind, nullable = _optional(kind)
    text = value.strip()
    if nullable and text.lower() in _NONE:
        return None

    def bad(expected: str) -> SchemeError:
        return _error(scheme_id, path, f"{path} 的值应为{expected}，实为“{value}”")

    if isinstance(kind, mi.DecimalType):
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise bad("数字") from None
        if not number.is_finite():
            raise bad("有限数字")
        return number
    if isinstance(kind, mi.IntType):
        try:
            return int(text)
        except ValueError:
            raise bad("整数") from None
    if isinstance(kind, mi.BoolType):
        if text.lower() in _TRUE:
            return True
        if text.lower() in _FALSE:
            return False
        raise bad("是/否（true/false）")
    if isinstance(kind, mi.LiteralType):
        if text not in kind.values:
            raise bad(" " + " / ".join(str(v) for v in kind.values) + " 之一")
        return text
    if isinstance(kind, mi.DateType):
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            raise bad("日期 YYYY-MM-DD") from None
    if isinstance(kind, mi.StrType):
        return value
    if isinstance(kind, mi.ListType) and isinstance(kind.item_type, mi.StrType):
        return [part for part in _LIST_SPLIT.split(text) if part]
    if isinstance(kind, mi.AnyType):
        return _literal(text)
    raise _error(scheme_id, path, f"{path} 是方案的一个部分，不能整体赋值，请写到其中的键")


def _literal(text: str) -> Any:
    """A free value (method params, `extra`) read as TOML writes it: 95, 0.6, true, [1, 2];
    anything else is text."""
    try:
        return tomllib.loads(f"v = {text}", parse_float=Decimal)["v"]
    except tomllib.TOMLDecodeError:
        return text
