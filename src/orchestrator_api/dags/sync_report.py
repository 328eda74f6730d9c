"""What one synchronisation did, for the CLI to print and tests to assert."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple


class ImportErrorReport(NamedTuple):
    """A file that could not be loaded; ``message`` is the one-line error, file and line included."""

    filename: str
    message: str


@dataclass
class SyncReport:
    """DAG ids by outcome, the files that failed, and how many DAG warnings were recorded."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    # Re-parsed, but the file's text is the one already stored and the DAG was active without errors.
    unchanged: list[str] = field(default_factory=list)
    deactivated: list[str] = field(default_factory=list)
    import_errors: list[ImportErrorReport] = field(default_factory=list)
    warnings: int = 0

    def summary(self) -> str:
        """One line per added, updated or deactivated DAG and per import error, then a line of totals."""
        lines = [f"added: {dag_id}" for dag_id in self.added]
        lines += [f"updated: {dag_id}" for dag_id in self.updated]
        lines += [f"deactivated: {dag_id}" for dag_id in self.deactivated]
        lines += [f"import error: {error.message}" for error in self.import_errors]
        errors = len(self.import_errors)
        lines.append(
            f"{len(self.added)} added, {len(self.updated)} updated, {len(self.unchanged)} unchanged, "
            f"{len(self.deactivated)} deactivated, {errors} import error{'' if errors == 1 else 's'}, "
            f"{self.warnings} warning{'' if self.warnings == 1 else 's'}"
        )
        return "\n".join(lines)
