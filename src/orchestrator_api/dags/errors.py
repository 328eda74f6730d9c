"""Errors raised while loading DAG files; both carry a one-line message fit for a CLI or an import error."""

from __future__ import annotations


class DagFileError(Exception):
    """A DAG file that cannot be loaded: which file, which line (when known) and why, on one line."""

    def __init__(self, filename: str, line: int | None, message: str) -> None:
        self.filename = filename
        self.line = line
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.filename if self.line is None else f"{self.filename}:{self.line}"
        return f"{where}: {self.message}"


class DagFolderError(Exception):
    """The DAG folder to synchronise does not exist or is not a directory."""
