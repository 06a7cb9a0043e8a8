"""The `dangjian` command."""

import typer

app = typer.Typer(help="dangjian：党建考核规则与计分", no_args_is_help=True)


@app.command()
def demo() -> None:
    """演示：列出已安装的考核方案。"""
    from dangjian import load_catalog

    catalog = load_catalog()
    for loaded in catalog.schemes.values():
        typer.echo(f"{loaded.scheme.id}\t{loaded.scheme.title}\t（插件 {loaded.plugin}）")


def main() -> None:
    app()
