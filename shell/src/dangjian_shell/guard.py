"""The command group that turns known errors into a Chinese message and an exit code."""

from __future__ import annotations

import os
import sqlite3
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

from .values import use_plain_values

DEBUG_ENV = "DANGJIAN_DEBUG"


def describe_os_error(exc: OSError) -> str:
    reason = {
        FileNotFoundError: "文件或目录不存在",
        PermissionError: "没有访问权限",
        IsADirectoryError: "这是一个目录，不是文件",
        NotADirectoryError: "路径中有一段不是目录",
    }.get(type(exc), exc.strerror or str(exc))
    where = exc.filename if exc.filename is not None else ""
    return f"无法读写 {where}：{reason}" if where else f"无法读写文件：{reason}"


HELP_TEXT = "显示帮助并退出"


def _chinese_help(option):
    if option is not None:
        option.help = HELP_TEXT
        use_plain_values([option])
    return option


def _help_text(text: str) -> str:
    from .console import help_text

    return help_text(text)


class LocalCommand(TyperCommand):
    """A command whose help speaks Chinese throughout, and whose examples are written the way
    `dangjian` runs on this machine (`uv run dangjian …`). Its values are converted without
    pydantic where Typer's result is certain (`values`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        use_plain_values(self.params)

    def get_help_option(self, ctx):
        return _chinese_help(super().get_help_option(ctx))

    def get_help(self, ctx) -> str:
        return _help_text(super().get_help(ctx))


class GuardedGroup(TyperGroup):
    """Runs a command; `DangjianError`, `OSError` and SQLite errors end in one readable line
    on stderr and a non-zero exit, never in a traceback (set DANGJIAN_DEBUG=1 to see one)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        use_plain_values(self.params)

    def get_help_option(self, ctx):
        return _chinese_help(super().get_help_option(ctx))

    def get_help(self, ctx) -> str:
        return _help_text(super().get_help(ctx))

    def invoke(self, ctx: typer.Context) -> Any:
        from dangjian.errors import DangjianError

        from .console import fail

        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise
        except DangjianError as exc:
            raise fail(str(exc)) from None
        except OSError as exc:
            raise fail(describe_os_error(exc)) from None
        except sqlite3.DatabaseError as exc:
            raise fail(f"数据库出错：{exc}（文件是否为 dangjian 的评分数据库？）") from None
        except ImportError as exc:
            raise fail(f"缺少模块 {exc.name or exc}，无法运行此命令（安装是否完整？）") from None
        except KeyboardInterrupt:
            raise fail("已中断", 130) from None
        except Exception as exc:
            if os.environ.get(DEBUG_ENV):
                raise
            raise fail(f"内部错误 {type(exc).__name__}: {exc}（设置环境变量 {DEBUG_ENV}=1 可查看详情）",
                       70) from None


def exit_code(value: bool) -> None:
    """End with exit code 1 when `value` is true (findings that must block)."""
    if value:
        raise typer.Exit(1)
