"""Where the command writes: data on stdout, messages, progress and errors on stderr (rich)."""

from __future__ import annotations

import functools
import os
import re
import sys

import typer

_COMMAND = re.compile(r"(?<![\w./-])dangjian(?= [a-z[])")


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


def local_time(stamp: str | None) -> str:
    """A stored timestamp (ISO 8601, UTC) in the user's local time: 2020-01-08 14:30."""
    import datetime

    if not stamp:
        return ""
    moment = datetime.datetime.fromisoformat(stamp)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


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


@functools.cache
def invocation() -> str:
    """How the user runs `dangjian` from their own shell, for the commands we suggest.

    `dangjian` when it is on their PATH. `uv run` puts the environment's scripts on the PATH of
    its child only, so under `uv run` that entry does not count, and `uv run dangjian` is what
    works. Otherwise the path the command was started by."""
    import shutil

    entries = os.environ.get("PATH", "").split(os.pathsep)
    if os.environ.get("UV_RUN_RECURSION_DEPTH"):
        added = {os.path.dirname(sys.executable)}
        if os.environ.get("VIRTUAL_ENV"):
            added |= {os.path.join(os.environ["VIRTUAL_ENV"], folder)
                      for folder in ("bin", "Scripts")}
        for folder in [entry for entry in entries if entry in added][:1]:
            entries.remove(folder)
        found = shutil.which("dangjian", path=os.pathsep.join(entries))
        return "dangjian" if found else "uv run dangjian"
    if shutil.which("dangjian"):
        return "dangjian"
    started = sys.argv[0] if sys.argv else ""
    if os.path.basename(started).startswith("dangjian") and os.sep in started:
        import shlex

        return shlex.quote(started)
    return "dangjian"


def runnable(text: str) -> str:
    """`text` with every suggested `dangjian …` command in the form that runs (`invocation`);
    a command in an aligned column keeps its description aligned where the gap allows."""
    prefix = invocation()
    if prefix == "dangjian":
        return text
    grow = len(prefix) - len("dangjian")
    lines = []
    for line in text.split("\n"):
        found = _COMMAND.search(line)
        if found:
            gap = re.compile(r" {2,}(?=\S)").search(line, found.end())
            if gap:
                keep = max(2, len(gap.group()) - grow)
                line = line[:gap.start()] + " " * keep + line[gap.end():]
            line = _COMMAND.sub(prefix, line)
        lines.append(line)
    return "\n".join(lines)


_HELP_WORDS = [(re.compile(r"(?m)^Usage: "), "用法："),
               (re.compile(r"(?m)^(\s*)Arguments:$"), r"\1参数："),
               (re.compile(r"(?m)^(\s*)Options:$"), r"\1选项："),
               (re.compile(r"(?m)^(\s*)Commands:$"), r"\1命令："),
               (re.compile(r"\[required\]"), "[必填]"),
               (re.compile(r"(?<=; )default: ?|(?<=\[)default: ?"), "默认："),
               (re.compile(r"(?<=\[)env var: ?"), "环境变量：")]


def help_text(text: str) -> str:
    """Click's help in Chinese (headings, [required], [default: …]) with runnable commands."""
    for pattern, chinese in _HELP_WORDS:
        text = pattern.sub(chinese, text)
    return runnable(text)
