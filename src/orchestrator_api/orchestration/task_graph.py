"""A DAG's task graph as stored with its tasks, and walks over it (upstream and downstream relatives)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from orchestrator_api.models.dag import Task


@dataclass(frozen=True)
class TaskGraph:
    """Each task id with the ids directly upstream and downstream of it."""

    upstream: Mapping[str, list[str]]
    downstream: Mapping[str, list[str]]

    @property
    def task_ids(self) -> set[str]:
        return set(self.upstream)

    def relatives(
        self, roots: Iterable[str], *, upstream: bool = False, downstream: bool = False
    ) -> set[str]:
        """Every task reachable from ``roots`` in the chosen directions, transitively (roots excluded)."""
        found: set[str] = set()
        for edges, wanted in ((self.upstream, upstream), (self.downstream, downstream)):
            if not wanted:
                continue
            pending = list(roots)
            seen: set[str] = set()
            while pending:
                for neighbour in edges.get(pending.pop(), []):
                    if neighbour not in seen:
                        seen.add(neighbour)
                        pending.append(neighbour)
            found |= seen
        return found - set(roots)

    def with_relatives(self, roots: Iterable[str], *, upstream: bool, downstream: bool) -> set[str]:
        """``roots`` (those that exist in the DAG) plus their relatives in the chosen directions."""
        known = set(roots) & self.task_ids
        return known | self.relatives(known, upstream=upstream, downstream=downstream)


def load_graph(session: Session, dag_id: str) -> TaskGraph:
    """The stored graph of ``dag_id`` in one query."""
    rows = session.execute(
        select(Task.task_id, Task.upstream_task_ids, Task.downstream_task_ids).where(Task.dag_id == dag_id)
    ).all()
    return TaskGraph(
        upstream={row.task_id: list(row.upstream_task_ids or []) for row in rows},
        downstream={row.task_id: list(row.downstream_task_ids or []) for row in rows},
    )


# Airflow keeps task instances' weights within a 32-bit signed integer, whatever the sums.
_WEIGHT_MIN, _WEIGHT_MAX = -(2**31), 2**31 - 1


def priority_weights(tasks: Iterable[Task]) -> dict[str, int]:
    """Each task's total priority weight under its weight rule, as Airflow gives its task instances.

    ``downstream`` (the default) adds the weights of every task downstream of it, transitively; ``upstream``
    those upstream of it; ``absolute`` is the task's own weight. ``tasks`` is every task of one DAG.
    """
    by_id = {task.task_id: task for task in tasks}
    graph = TaskGraph(
        upstream={task_id: list(task.upstream_task_ids or []) for task_id, task in by_id.items()},
        downstream={task_id: list(task.downstream_task_ids or []) for task_id, task in by_id.items()},
    )
    totals: dict[str, int] = {}
    for task_id, task in by_id.items():
        total = task.priority_weight
        if task.weight_rule in ("downstream", "upstream"):
            upstream = task.weight_rule == "upstream"
            relatives = graph.relatives([task_id], upstream=upstream, downstream=not upstream)
            total += sum(by_id[relative].priority_weight for relative in relatives if relative in by_id)
        totals[task_id] = min(max(total, _WEIGHT_MIN), _WEIGHT_MAX)
    return totals
