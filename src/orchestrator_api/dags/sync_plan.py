"""Deciding, before anything is written, which file owns each dag_id and which files failed.

Pure: it takes the parsed files and where each existing DAG was loaded from, and returns the decisions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from orchestrator_api.dags.errors import DagFileError
from orchestrator_api.dags.parser import parse_text
from orchestrator_api.dags.spec import API_FILELOC_PREFIX, DagSpec


@dataclass(frozen=True)
class ParsedFile:
    """One DAG file: its text and either its spec or the reason it cannot be loaded."""

    fileloc: str
    source: str | None
    spec: DagSpec | None
    error: DagFileError | None


@dataclass
class SyncPlan:
    """The DAGs to write (one winning spec per dag_id) and the files that become import errors."""

    winners: list[ParsedFile] = field(default_factory=list)
    errors: list[DagFileError] = field(default_factory=list)

    @property
    def broken_files(self) -> set[str]:
        """Files whose previously loaded DAG is kept as it was (and flagged)."""
        return {error.filename for error in self.errors}


def parse_path(path: Path) -> ParsedFile:
    """Read and parse one file; an unreadable or invalid file becomes a :class:`ParsedFile` with an error."""
    fileloc = str(path)
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return ParsedFile(fileloc, None, None, DagFileError(fileloc, None, f"cannot read file: {error}"))
    try:
        return ParsedFile(fileloc, source, parse_text(source, fileloc), None)
    except DagFileError as error:
        return ParsedFile(fileloc, source, None, error)


def plan_sync(
    parsed: Sequence[ParsedFile], active_filelocs: Mapping[str, str], in_scope: Callable[[str], bool]
) -> SyncPlan:
    """Pick the file that owns each declared dag_id; the other declarers become import errors.

    ``active_filelocs`` maps the dag_id of each active DAG already stored to its file; ``in_scope`` says
    whether a file is being re-synchronised now. The current owner keeps a DAG while its file still declares
    it, or while that file is outside this sync or broken; otherwise the first declarer in ``parsed`` wins.
    """
    plan = SyncPlan(errors=[item.error for item in parsed if item.error is not None])
    failed = plan.broken_files
    declarers: dict[str, list[ParsedFile]] = {}
    for item in parsed:
        if item.spec is not None:
            declarers.setdefault(item.spec.dag_id, []).append(item)
    for dag_id, items in declarers.items():
        owner = active_filelocs.get(dag_id)
        keeps = owner is not None and (owner in failed or not in_scope(owner))
        winner = next((item for item in items if item.fileloc == owner), None)
        if winner is None and not keeps:
            winner = items[0]
        if winner is not None:
            plan.winners.append(winner)
        holder = winner.fileloc if winner is not None else owner
        for item in items:
            if item is not winner and item.spec is not None:
                through_api = holder is not None and holder.startswith(API_FILELOC_PREFIX)
                message = (
                    f"dag_id {dag_id!r} is defined through the API; a file cannot replace it"
                    if through_api
                    else f"dag_id {dag_id!r} is already declared in {holder}; "
                    "a dag_id must come from one file"
                )
                plan.errors.append(DagFileError(item.fileloc, item.spec.line, message))
    return plan
