"""ETags of definitions and the ``If-Match`` check that keeps two editors from overwriting each other."""

from __future__ import annotations

import hashlib

from orchestrator_api.problems import PreconditionFailed


def etag(source: str, revision: int | None) -> str:
    """A strong ETag: the revision (API DAGs) and a digest of the document (a re-created DAG differs)."""
    digest = hashlib.sha256(source.encode("utf-8")).hexdigest()[:16]
    return f'"{revision}-{digest}"' if revision is not None else f'"file-{digest}"'


def check_if_match(if_match: str | None, current: str) -> None:
    """412 unless ``If-Match`` is absent, ``*`` or lists the current ETag (weak or strong form)."""
    if if_match is None:
        return
    candidates = {part.strip().removeprefix("W/") for part in if_match.split(",")}
    if "*" in candidates or current in candidates:
        return
    raise PreconditionFailed(
        detail="The definition changed since that ETag was read; GET it again and re-apply the change"
    )
