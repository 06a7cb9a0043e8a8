"""The kernel's errors: each says where (plugin, scheme, file, row, field) and what, in Chinese."""

from __future__ import annotations


class DangjianError(Exception):
    """Base of every error the kernel raises on purpose; `message` is for end users."""

    status = 400

    def __init__(
        self,
        message: str,
        *,
        plugin: str | None = None,
        scheme: str | None = None,
        file: str | None = None,
        row: int | None = None,
        field: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.plugin = plugin
        self.scheme = scheme
        self.file = file
        self.row = row
        self.field = field

    def where(self) -> str:
        parts = []
        if self.plugin:
            parts.append(f"插件 {self.plugin}")
        if self.scheme:
            parts.append(f"方案 {self.scheme}")
        if self.file:
            parts.append(f"文件 {self.file}")
        if self.row is not None:
            parts.append(f"第 {self.row} 行")
        if self.field:
            parts.append(f"字段 {self.field}")
        return "，".join(parts)

    def __str__(self) -> str:
        where = self.where()
        return f"{where}：{self.message}" if where else self.message

    def to_dict(self) -> dict:
        return {
            k: v
            for k, v in {
                "message": self.message,
                "plugin": self.plugin,
                "scheme": self.scheme,
                "file": self.file,
                "row": self.row,
                "field": self.field,
            }.items()
            if v is not None
        }


class SchemeError(DangjianError):
    """A scheme file or registered scheme is invalid."""


class PluginError(DangjianError):
    """A plugin failed to load or registered something invalid."""


class DuplicateError(PluginError):
    """Two plugins registered the same id."""


class NotFound(DangjianError):
    """An unknown scheme, run, organization or tool."""

    status = 404


class EvaluationRejected(DangjianError):
    """One evaluation cannot be scored; the batch goes on and records the reason."""


class InputFileError(DangjianError):
    """An input file cannot be read at all."""
