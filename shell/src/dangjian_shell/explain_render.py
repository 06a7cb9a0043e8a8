"""A stored result as a Chinese explanation, line by line, indented by the criteria tree."""

from __future__ import annotations

from dangjian.scoring.judge import UNGRADED

from .console import esc

_STYLE = {"total": "bold", "grade": "bold", "veto": "red", "consequence": "yellow",
          "finding": "magenta", "next_band": "cyan"}


def render_result(console, result, type_title: str) -> None:
    """The heading (who, total, grade), then every explanation line of the kernel."""
    console.print(f"[bold]{esc(result.org_name or result.org_id)}[/]（{esc(result.org_id)}，"
                  f"{esc(type_title)}）  方案 {esc(result.scheme.id)} {esc(result.scheme.version)}")
    grade = result.grade
    shown = f"“{esc(grade)}”" + (f"（按分数为“{esc(result.points_grade)}”）"
                                 if result.points_grade != grade else "")
    console.print(f"总分 [bold]{result.total:f}[/] / {_plain(result.max)}，等次 {shown}")
    for line in result.lines:
        indent = "  " * (line.depth + 1)
        style = _STYLE.get(line.kind)
        text = esc(line.text)
        console.print(f"{indent}[{style}]{text}[/]" if style else f"{indent}{text}")
    if result.to_next_band is None and grade == result.points_grade and grade != UNGRADED:
        console.print("  [cyan]已是最高等次[/]")


def _plain(value) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
