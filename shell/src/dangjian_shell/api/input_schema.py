"""The JSON Schema (draft 2020-12) of one scheme's evaluation input, built from its `inputs`.

It describes the JSON the scoring endpoints and JSONL files accept: `org_id`, the optional
inline `org`, `inputs` with each declared input's type, range and choices (titles in Chinese),
and dated `activities`. Values the kernel would reject by range or choice fail the schema too.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from dangjian.scheme import InputSpec, Scheme

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _num(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _bounds(spec: InputSpec) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if spec.min is not None:
        out["minimum"] = _num(spec.min)
    if spec.max is not None:
        out["maximum"] = _num(spec.max)
    return out


def _labels(spec: InputSpec) -> dict[str, Any]:
    return {"type": "string", "enum": list(spec.choices)} if spec.choices else {"type": "string"}


def _list_item(spec: InputSpec) -> dict[str, Any]:
    number = {"type": "number", **_bounds(spec)}
    if spec.items == "number":
        return number
    if spec.items == "label":
        return _labels(spec)
    return {"anyOf": [number, _labels(spec)]}


def input_schema(spec: InputSpec) -> dict[str, Any]:
    """The schema of one input value."""
    if spec.type == "number":
        schema: dict[str, Any] = {"type": "number", **_bounds(spec)}
    elif spec.type == "integer":
        schema = {"type": "integer", **_bounds(spec)}
    elif spec.type == "boolean":
        schema = {"type": "boolean"}
    elif spec.type == "text":
        schema = {"type": "string"}
    elif spec.type == "date":
        schema = {"type": "string", "format": "date"}
    elif spec.type == "choice":
        schema = _labels(spec)
    else:
        schema = {"type": "array", "items": _list_item(spec)}
        if spec.choices and spec.items != "number":
            tally = {"type": "object", "description": "票数表：每个选项的票数",
                     "propertyNames": {"enum": list(spec.choices)},
                     "additionalProperties": {"type": "integer", "minimum": 0}}
            schema = {"anyOf": [schema, tally]}
    if not spec.required:
        schema = {"anyOf": [schema, {"type": "null"}]} if "anyOf" not in schema else \
            {"anyOf": [*schema["anyOf"], {"type": "null"}]}
    described: dict[str, Any] = {"title": spec.title}
    if spec.description:
        described["description"] = spec.description
    if spec.example is not None:
        described["examples"] = [spec.example]
    return {**described, **schema}


def evaluation_schema(scheme: Scheme, org_types: dict[str, str]) -> dict[str, Any]:
    """The whole evaluation object for `scheme`; `org_types` maps type ids to Chinese titles
    (both spellings are accepted as `org.type`)."""
    allowed = scheme.org_types or list(org_types)
    type_names = [*allowed, *(org_types[t] for t in allowed if t in org_types)]
    if not scheme.org_types:
        type_names.append("")
    required_inputs = [spec.name for spec in scheme.inputs if spec.required]
    inputs: dict[str, Any] = {
        "type": "object", "title": "评分输入", "additionalProperties": False,
        "properties": {spec.name: input_schema(spec) for spec in scheme.inputs},
    }
    if required_inputs:
        inputs["required"] = required_inputs
    nullable_text = {"type": ["string", "null"]}
    schema: dict[str, Any] = {
        "$schema": DIALECT,
        "title": f"{scheme.title}：评分输入",
        "description": f"方案 {scheme.id}（版本 {scheme.version}）中一个组织的评分输入。",
        "type": "object",
        "additionalProperties": False,
        "required": ["org_id", "inputs"] if required_inputs else ["org_id"],
        "properties": {
            "org_id": {"type": "string", "title": "组织编号"},
            "org": {
                "type": "object", "title": "组织", "additionalProperties": False,
                "properties": {
                    "name": {"type": "string", "title": "组织名称"},
                    "type": {"type": "string", "title": "组织类型", "enum": type_names},
                    "parent_id": {**nullable_text, "title": "上级组织编号"},
                    "attributes": {"type": "object", "title": "组织属性"},
                },
            },
            "inputs": inputs,
            "activities": {
                "type": "array", "title": "活动记录",
                "items": {
                    "type": "object", "additionalProperties": False,
                    "required": ["kind", "date"],
                    "properties": {
                        "kind": {"type": "string", "title": "活动类型"},
                        "date": {"type": "string", "format": "date", "title": "日期"},
                        "org_id": {**nullable_text, "title": "组织编号"},
                        "person": {**nullable_text, "title": "人员"},
                        "note": {**nullable_text, "title": "备注"},
                        "for_year": {"type": ["integer", "null"], "title": "所属年度"},
                    },
                },
            },
        },
    }
    return schema
