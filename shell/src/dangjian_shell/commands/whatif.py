"""`dangjian whatif`: a stored run rescored under another scheme or changed parameters."""

from pathlib import Path
from typing import Annotated

import typer

from .options import DEFAULT_DB, DbOpt

HELP = """推演：按另一方案或修改后的参数重新评定一个批次，与原结果对比。

用批次存储的输入重新评分：等次变化矩阵（原等次 → 新等次）、等次变化的组织数、
结果运用和荣誉资格的变化（谁新需要约谈、谁失去优秀等次资格）、总分变化最大的组织，
以及因缺少新方案要求的输入而不能比较的组织（列出缺少的输入）。

SCHEME 为方案编号或方案文件；省略时用本批次自己的方案。--set 按路径修改参数，
可以写多次：components.ID.weight（分项权重）、bands.等次.min（等次下限，相邻等次的上限随之移动），
修改后按 dangjian check 的规则检查，权重合计不符等错误会报出。

只显示、不存储；--save 才把推演结果存为一个新批次（备注“由批次 N 推演”）。

示例：

  dangjian whatif 3 --set components.onsite.weight=0.6 --set components.superior.weight=0.4

  dangjian whatif 3 --set bands.好.min=92 --out 推演.xlsx

  dangjian whatif 3 jilin-health-2020 --format json
"""
FORMATS = ("table", "json")


def whatif(
    run: Annotated[int, typer.Argument(metavar="RUN", help="批次编号（见 dangjian runs）")],
    scheme: Annotated[str | None, typer.Argument(
        metavar="[SCHEME]", help="推演用的方案：编号或 .toml / .json 文件（默认本批次的方案）",
        show_default=False)] = None,
    sets: Annotated[list[str] | None, typer.Option(
        "--set", metavar="PATH=VALUE",
        help="修改方案参数，如 components.onsite.weight=0.6、bands.好.min=92；可写多次")] = None,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="逐个组织的对比写入此文件：.csv、.xlsx 或 .jsonl")] = None,
    save: Annotated[bool, typer.Option(
        "--save", help="把推演结果存为一个新批次（备注“由批次 RUN 推演”）")] = False,
    db: DbOpt = DEFAULT_DB,
    top: Annotated[int, typer.Option(
        "--top", min=1, max=1000, help="总分变化最大的组织列几个；各名单也最多列这么多")] = 10,
    fmt: Annotated[str, typer.Option(
        "--format", "-f", help="table（中文表格）或 json（与 API 的结果逐字节相同）")] = "table",
) -> None:
    from dangjian import load_catalog
    from dangjian.catalogue.overrides import parse_assignment
    from dangjian.store.whatif import encode_whatif, save_whatif, whatif_run

    from ..console import fail
    from ..store import open_store
    from ..writers import output_kind

    if fmt not in FORMATS:
        raise fail(f"不支持的格式 {fmt}（可用：{'、'.join(FORMATS)}）")
    overrides = dict(parse_assignment(text) for text in sets or [])
    if out is not None:
        output_kind(out)
        if str(out) == "-":
            raise fail("--out 需要文件名（.csv、.xlsx 或 .jsonl）")
    catalog = load_catalog()
    store = open_store(db, catalog)
    writer = None
    try:
        writer = ComparisonWriter(out) if out is not None else None
        on_row = writer.write if writer is not None else None
        if save:
            report, saved = save_whatif(store, catalog, run, scheme=scheme,
                                        overrides=overrides, top=top, on_row=on_row)
        else:
            report = whatif_run(store, catalog, run, scheme=scheme, overrides=overrides,
                                top=top, on_row=on_row)
            saved = None
    except BaseException:
        if writer is not None:
            writer.discard()
        raise
    finally:
        store.close()
    if writer is not None:
        writer.close()
    if fmt == "json":
        typer.echo(encode_whatif(report).decode())
    else:
        from ..whatif_render import render_whatif

        render_whatif(report)
    from ..console import err, esc

    if writer is not None:
        err().print(f"已写入 {writer.count} 个组织的对比到 {esc(out)}")
    if saved is not None:
        err().print(f"推演结果已存为批次 {saved}（由批次 {run} 推演）")


def columns():
    """The comparison's columns as a clerk's sheet shows them (widths, number formats)."""
    from ..xlsx_style import number, text

    return [text("组织编号", 14), text("组织名称", 28), number("原总分"), text("原等次", 8),
            number("新总分"), text("新等次", 8), number("总分变化"), text("等次变化", 10),
            text("新增的结果运用", 24), text("不再适用的结果运用", 24), text("获得的荣誉资格", 20),
            text("失去的荣誉资格", 20), text("能否比较", 10), text("不能比较的原因", 40, wrap=True)]


class ComparisonWriter:
    """Each organization's comparison, as it is made: CSV (opens in Excel), XLSX or JSONL."""

    def __init__(self, path: Path) -> None:
        from ..writers import _Table, output_kind, partial_path

        self.path, self.kind, self.count = path, output_kind(path), 0
        if self.kind == "jsonl":
            import msgspec

            self._encode = msgspec.json.Encoder(decimal_format="number").encode
            self._file = open(partial_path(path), "wb")  # noqa: SIM115 — closed by close()
            self._table = None
        else:
            self._file = None
            self._table = _Table(path, self.kind, columns(), "推演对比")

    def write(self, row) -> None:
        self.count += 1
        if self._file is not None:
            self._file.write(self._encode(row) + b"\n")
            return
        self._table.append([
            row.org_id, row.org_name, row.old_total, row.old_grade, row.new_total,
            row.new_grade, row.change,
            ("是" if row.grade_changed else "否") if row.comparable else "",
            "、".join(row.consequences_added), "、".join(row.consequences_removed),
            "、".join(row.honours_gained), "、".join(row.honours_lost),
            "可比较" if row.comparable else "不可比较", row.reason])

    def close(self) -> None:
        import os

        if self._file is not None:
            self._file.close()
            os.replace(self._file.name, self.path)
        else:
            self._table.close()

    def discard(self) -> None:
        if self._file is not None:
            self._file.close()
            Path(self._file.name).unlink(missing_ok=True)
        else:
            self._table.discard()


def register(app: typer.Typer) -> None:
    app.command("whatif", help=HELP)(whatif)
