"""Where the command writes: data on stdout, messages, progress and errors on stderr (rich)."""

from __future__ import annotations

import os

import typer


def err():
    """A rich console on stderr for messages, warnings, summaries and progress."""
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


def out():
    """A rich console on stdout for tables and explanations (the data a user asked for)."""
    from rich.console import Console

    width = None if os.environ.get("COLUMNS") else 120
    return Console(highlight=False, soft_wrap=True, width=width if not _is_tty() else None)


def _is_tty() -> bool:
    import sys

    return sys.stdout.isatty()


def esc(text: object) -> str:
    """User text (names, reasons) safe to print through rich markup."""
    from rich.markup import escape

    return escape(str(text))


def note(message: str) -> None:
    err().print(message)


def warn(message: str) -> None:
    err().print(f"[yellow]注意：[/]{message}")


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print a Chinese error on stderr and return the Exit to raise."""
    err().print(f"[bold red]错误：[/]{esc(message)}")
    return typer.Exit(code)


def emit_json(data: object) -> None:
    """Machine output: JSON on stdout, decimals as numbers, Chinese kept readable."""
    import msgspec

    encoder = msgspec.json.Encoder(decimal_format="number")
    typer.echo(msgspec.json.format(encoder.encode(data), indent=2).decode())
