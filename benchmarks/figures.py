"""The figures a benchmark run collects, and the table of ratios against the goals.

`python -m benchmarks.figures FIGURES.json` prints the markdown tables of a saved run (one
saved with `DANGJIAN_BENCH_JSON`), ready to paste into benchmarks/README.md.
"""

from __future__ import annotations

import json
import operator
import os
import sys
from dataclasses import asdict, dataclass, field


@dataclass
class Ratio:
    name: str
    value: float
    goal: float
    higher_is_better: bool = True

    @property
    def met(self) -> bool:
        compare = operator.ge if self.higher_is_better else operator.le
        return compare(self.value, self.goal)

    def line(self) -> str:
        sign = "≥" if self.higher_is_better else "≤"
        state = "met" if self.met else "MISSED"
        return f"{self.name:<52} {self.value:>9.2f}×   goal {sign} {self.goal:g}×   {state}"


@dataclass
class Figures:
    """Measurements (name → value with unit) and ratios, printed at the end of the run."""

    values: dict[str, tuple[float, str]] = field(default_factory=dict)
    ratios: list[Ratio] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, name: str, value: float, unit: str) -> float:
        self.values[name] = (value, unit)
        return value

    def ratio(self, name: str, value: float, goal: float, *,
              higher_is_better: bool = True) -> Ratio:
        ratio = Ratio(name, value, goal, higher_is_better)
        self.ratios = [r for r in self.ratios if r.name != name] + [ratio]
        return ratio

    def report(self) -> list[str]:
        lines = ["", "dangjian benchmark figures", "-" * 26]
        for name, (value, unit) in self.values.items():
            shown = f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.3f}"
            lines.append(f"{name:<52} {shown:>12} {unit}")
        if self.ratios:
            lines += ["", "ratios against the goals", "-" * 24]
            lines += [r.line() for r in self.ratios]
        if self.notes:
            lines += ["", *self.notes]
        return lines

    def markdown(self) -> list[str]:
        """The figures and the ratios as two markdown tables, then the notes."""
        lines = ["| measurement | figure |", "|---|---|"]
        for name, (value, unit) in self.values.items():
            shown = f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}"
            lines.append(f"| {name} | {shown} {unit} |")
        if self.ratios:
            lines += ["", "| goal | ratio | |", "|---|---|---|"]
            for r in self.ratios:
                sign = "≥" if r.higher_is_better else "≤"
                lines.append(f"| {r.name} {sign} {r.goal:g}× | {r.value:.2f}× | "
                             f"{'met' if r.met else 'missed'} |")
        if self.notes:
            lines += ["", *(f"- {note}" for note in self.notes)]
        return lines

    @classmethod
    def load(cls, path: str) -> Figures:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        return cls({k: (v["value"], v["unit"]) for k, v in data["values"].items()},
                   [Ratio(r["name"], r["value"], r["goal"], r["higher_is_better"])
                    for r in data["ratios"]], data["notes"])

    def save(self, path: str) -> None:
        data = {"values": {k: {"value": v, "unit": u} for k, (v, u) in self.values.items()},
                "ratios": [asdict(r) | {"met": r.met} for r in self.ratios],
                "notes": self.notes}
        with open(path, "w", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=False, indent=2)


def strict() -> bool:
    """`DANGJIAN_BENCH_STRICT=1`: a missed goal fails its benchmark instead of being reported."""
    return os.environ.get("DANGJIAN_BENCH_STRICT") == "1"


if __name__ == "__main__":
    print("\n".join(Figures.load(sys.argv[1]).markdown()))
