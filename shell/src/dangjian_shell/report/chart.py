"""The grade distribution as an inline SVG bar chart: no script, nothing fetched, prints as is."""

from __future__ import annotations

from html import escape

COLOURS = ["#b71c1c", "#e07b39", "#d4a72c", "#7a8b99", "#5b6770", "#9e9e9e"]
"""Bars from the best grade down: the party red first, then warm to grey."""


def grade_chart(grades: list[tuple[str, int]], width: int = 640, height: int = 260) -> str:
    """Vertical bars, one per grade in grade order, each labelled with its count and share."""
    total = sum(count for _, count in grades)
    if not grades or total == 0:
        return '<p class="empty">本批次没有评分结果。</p>'
    top, bottom, left, right = 34, 44, 48, 16
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max(count for _, count in grades)
    scale = _nice(peak)
    slot = plot_w / len(grades)
    bar = min(84.0, slot * 0.6)
    parts = [f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}"'
             f' width="{width}" height="{height}" role="img" aria-label="等次分布">',
             f'<title>等次分布：{escape("、".join(f"{g}{n}个" for g, n in grades))}</title>']
    for step in range(5):
        value = scale * step / 4
        y = top + plot_h - plot_h * step / 4
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" '
                     f'stroke="#d0d4d9" stroke-width="1"/>')
        parts.append(f'<text x="{left - 8}" y="{y + 4:.1f}" text-anchor="end" '
                     f'class="axis">{value:g}</text>')
    for index, (grade, count) in enumerate(grades):
        h = plot_h * count / scale if scale else 0
        x = left + slot * index + (slot - bar) / 2
        y = top + plot_h - h
        colour = COLOURS[min(index, len(COLOURS) - 1)]
        share = count / total * 100
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                     f'fill="{colour}"><title>{escape(grade)}：{count}个</title></rect>')
        parts.append(f'<text x="{x + bar / 2:.1f}" y="{y - 8:.1f}" text-anchor="middle" '
                     f'class="value">{count}个（{share:.1f}%）</text>')
        parts.append(f'<text x="{x + bar / 2:.1f}" y="{top + plot_h + 24:.1f}" '
                     f'text-anchor="middle" class="label">{escape(grade)}</text>')
    parts.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" '
                 f'y2="{top + plot_h}" stroke="#333" stroke-width="1.2"/>')
    parts.append("</svg>")
    return "".join(parts)


def _nice(peak: int) -> int:
    """A round axis maximum at or above `peak` that divides into four steps."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if step * 4 >= peak:
            return step * 4
    magnitude = 10 ** (len(str(peak)) - 1)
    return -(-peak // magnitude) * magnitude
