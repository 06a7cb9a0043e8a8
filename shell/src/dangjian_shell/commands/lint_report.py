"""`dangjian lint-report`: check written reports (述职报告) against the scheme's report rules."""

from pathlib import Path
from typing import Annotated

import typer

from .options import JsonOpt, SchemeArg

HELP = """检查述职报告的字数与清单。

按方案的报告要求（[report]）检查述职报告：字数上限、必须列出的清单
（如成绩清单、问题清单、任务清单）以及各清单篇幅是否大致均分。字数按非空白字符计。
报告为纯文本（.txt / .md，UTF-8 或 GB18030）。有不符合要求的报告时退出码为 1（应退回修改）。

示例：dangjian lint-report jilin-health-2019 报告/*.txt
"""
TEXT_SUFFIXES = (".txt", ".md", ".text")


def lint_report(
    scheme: SchemeArg,
    files: Annotated[list[Path], typer.Argument(metavar="FILE...", help="述职报告文本文件")],
    as_json: JsonOpt = False,
) -> None:
    from dangjian.tools.documents import check_report
    from dangjian.errors import InputFileError

    from ..console import emit_json, esc, fail, out
    from ..readers import read_text
    from ..schemes import load

    catalog, loaded = load(scheme)
    rule = loaded.scheme.report
    if rule is None:
        raise fail(f"方案 {loaded.scheme.id} 没有报告要求（[report]），无法检查")
    reports = []
    for path in files:
        if path.suffix.lower() not in TEXT_SUFFIXES:
            raise InputFileError("报告应为纯文本文件（.txt 或 .md）；Word 文档请另存为纯文本",
                                 file=str(path))
        text, note = read_text(path)
        findings = check_report(text, rule, catalog)
        reports.append({"file": str(path), "chars": sum(1 for c in text if not c.isspace()),
                        "ok": not findings, "encoding_note": note, "findings": findings})
    if as_json:
        emit_json(reports)
    else:
        console = out()
        for report in reports:
            verdict = "[green]符合要求[/]" if report["ok"] else "[bold red]不符合要求，应退回修改[/]"
            console.print(f"[bold]{esc(report['file'])}[/]：{report['chars']}字，{verdict}")
            if report["encoding_note"]:
                console.print(f"  [dim]{esc(report['encoding_note'])}[/]")
            for f in report["findings"]:
                console.print(f"  【{esc(f.severity)}】{esc(f.message)}")
        bad = sum(not r["ok"] for r in reports)
        console.print(f"共检查 {len(reports)} 份{esc(rule.title)}，{bad} 份不符合要求")
    if any(not r["ok"] for r in reports):
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("lint-report", help=HELP)(lint_report)
