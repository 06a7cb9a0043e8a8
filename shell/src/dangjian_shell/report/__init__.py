"""The report for the leadership (评分报告) of a stored run, as HTML or PDF: the same page
from `dangjian report` and from the API's `GET /runs/{id}/report`."""

from __future__ import annotations

from .data import ReportData, gather
from .page import render

__all__ = ["ReportData", "gather", "render", "report_html"]


def report_html(store, run_id: int, catalog, *, compare: int | None = None, orgs=None,
                orgs_source: str = "", whatif=None) -> str:
    """The report page of stored run `run_id`, compared with run `compare` when given, with a
    what-if of the same run (`dangjian.store.whatif.WhatIf`) beside it when given."""
    import dataclasses

    data = gather(store, run_id, catalog, compare=compare, orgs=orgs, orgs_source=orgs_source)
    return render(dataclasses.replace(data, whatif=whatif) if whatif is not None else data)
