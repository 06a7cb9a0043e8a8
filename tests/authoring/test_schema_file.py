"""The committed JSON Schema of the scheme format is the one the models generate."""

from __future__ import annotations

import json

from dangjian.catalogue.loading import scheme_json_schema

from .conftest import ROOT

SCHEMA = ROOT / "kernel" / "src" / "dangjian" / "schemes" / "scheme.schema.json"


def test_committed_json_schema_is_up_to_date():
    committed = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert committed == scheme_json_schema(), (
        "方案格式已变，请重新生成：uv run dangjian plugin schema > "
        "kernel/src/dangjian/schemes/scheme.schema.json")


def test_schema_describes_the_scheme_tables():
    definitions = scheme_json_schema()["$defs"]
    assert {"Scheme", "InputSpec", "Criterion", "Component", "Band", "Veto", "Honour",
            "ConsequenceRule", "Rounding"} <= set(definitions)
    assert set(definitions["Scheme"]["required"]) == {"id", "title", "version"}
