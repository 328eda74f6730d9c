"""Task dependency checks on plain ids, so the parser can reject a graph before anything is stored."""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def find_cycle(upstream: Mapping[str, Sequence[str]]) -> list[str] | None:
    """A dependency cycle as task ids in run order, first id repeated at the end; None if there is none.

    ``upstream`` maps every task_id to the ids it depends on; every referenced id must be a key. Tasks are
    visited in mapping order, so the cycle reported for a given file is always the same one.
    """
    downstream: dict[str, list[str]] = {task_id: [] for task_id in upstream}
    for task_id, parents in upstream.items():
        for parent in parents:
            downstream[parent].append(task_id)
    finished: set[str] = set()
    for root in downstream:
        if root in finished:
            continue
        # Iterative depth-first walk: a long chain of tasks must not hit Python's recursion limit.
        path: list[str] = [root]
        on_path = {root}
        pending = [iter(downstream[root])]
        while pending:
            child = next(pending[-1], None)
            if child is None:
                pending.pop()
                finished.add(path[-1])
                on_path.discard(path.pop())
            elif child in on_path:
                return [*path[path.index(child) :], child]
            elif child not in finished:
                path.append(child)
                on_path.add(child)
                pending.append(iter(downstream[child]))
    return None
