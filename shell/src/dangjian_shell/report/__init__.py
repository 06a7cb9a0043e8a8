"""The report for the leadership (评分报告) of a stored run, as HTML or PDF: the same page
from `dangjian report` and from the API's `GET /runs/{id}/report`."""

from __future__ import annotations

from .data import ReportData, gather
from .page import render

__all__ = ["ReportData", "gather", "render", "report_html"]


def report_html(store, run_id: int, catalog, *, compare: int | None = None, orgs=None,
                orgs_source: str = "") -> str:
    """The report page of stored run `run_id`, compared with run `compare` when given."""
    return render(gather(store, run_id, catalog, compare=compare, orgs=orgs,
                         orgs_source=orgs_source))
