"""Airflow 2.10's names and reason texts for the dependencies that keep a task instance from being queued.

Clients read these texts (the UI shows them, scripts grep them), so they are Airflow's, word for word,
measured on an Airflow 2.10.5 webserver. The functions are pure: :mod:`dependencies` gathers the facts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from orchestrator_api.orchestration.states import FINISHED_STATES


@dataclass(frozen=True)
class UpstreamCounts:
    """States of a task instance's upstream instances in its run."""

    states: Counter[str | None]

    @property
    def total(self) -> int:
        return sum(self.states.values())

    def count(self, *states: str) -> int:
        return sum(self.states[state] for state in states)

    @property
    def failed(self) -> int:
        return self.count("failed", "upstream_failed")

    @property
    def done(self) -> int:
        return self.count(*FINISHED_STATES)


DAG_NOT_PAUSED = "Dag Not Paused"
DAGRUN_RUNNING = "Dagrun Running"
TASK_INSTANCE_STATE = "Task Instance State"
EXECUTION_DATE = "Execution Date"
DAG_SLOTS = "Task Instance Slots Available"
POOL_SLOTS = "Pool Slots Available"
NOT_BACKFILL = "DagRun is not backfill job"
PREVIOUS_DAGRUN = "Previous Dagrun State"
TRIGGER_RULE = "Trigger Rule"


def paused(dag_id: str) -> str:
    return f"Task's DAG '{dag_id}' is paused."


def run_not_running(state: str) -> str:
    return f"Task instance's dagrun was not in the 'running' state but in the state '{state}'."


def not_queueable(state: str | None) -> str:
    return f"Task is in the '{state}' state."


def in_the_future(logical_date: datetime, now: datetime) -> str:
    return (
        f"Execution date {logical_date.isoformat()} is in the future (the current date is {now.isoformat()})."
    )


def after_end(logical_date: datetime, end: datetime, whose: str) -> str:
    return (
        f"The execution date is {logical_date.isoformat()} but this is after {whose} end date "
        f"{end.isoformat()}."
    )


def before_start(logical_date: datetime, start: datetime, whose: str) -> str:
    return (
        f"The execution date is {logical_date.isoformat()} but this is before {whose} start date "
        f"{start.isoformat()}."
    )


def dag_slots_taken(max_active_tasks: int, dag_id: str) -> str:
    return (
        f"The maximum number of running tasks ({max_active_tasks}) for this task's DAG '{dag_id}' "
        "has been reached."
    )


def missing_pool(pool: str) -> str:
    return f"Tasks using non-existent pool '{pool}' will not be scheduled"


def pool_full(pool: str, open_slots: int, needed: int) -> str:
    return (
        f"Not scheduling since there are {open_slots} open slots in pool {pool} "
        f"and require {needed} pool slots"
    )


def backfill(run_type: str) -> str:
    return f"Task's DagRun run_type is {run_type} and cannot be run by the scheduler"


PREVIOUS_NOT_RUN = (
    "depends_on_past is true for this task's DAG, but the previous task instance has not run yet."
)
DOWNSTREAM_OF_PREVIOUS = (
    "The tasks downstream of the previous task instance(s) haven't completed, "
    "and wait_for_downstream is True."
)


def previous_unsuccessful(count: int) -> str:
    return (
        f"depends_on_past is true for this task, but {count} previous task instance(s) are not in a "
        "successful state."
    )


def _context(counts: UpstreamCounts, upstream_ids: Iterable[str]) -> str:
    # Airflow prints its counts tuple and the set of upstream ids (sorted here: a set has no order).
    states = (
        f"_UpstreamTIStates(success={counts.count('success')}, skipped={counts.count('skipped')}, "
        f"failed={counts.count('failed')}, upstream_failed={counts.count('upstream_failed')}, "
        f"removed={counts.count('removed')}, done={counts.done}, success_setup=0, skipped_setup=0)"
    )
    ids = "{" + ", ".join(repr(task_id) for task_id in sorted(upstream_ids)) + "}"
    return f"upstream_states={states}, upstream_task_ids={ids}"


def trigger_rule_reason(
    rule: str, counts: UpstreamCounts, upstream_ids: Iterable[str] = (), map_index: int = -1
) -> str | None:
    """Why ``rule`` is not met by these upstream states, in Airflow's words; None when it is (or when the
    instance has no upstream). ``counts.total`` is the number of upstream task instances."""
    if counts.total == 0 or rule == "always":
        return None
    upstream, done = counts.total, counts.done
    success, skipped = counts.count("success"), counts.count("skipped")
    failed, upstream_failed = counts.count("failed"), counts.count("upstream_failed")
    removed = counts.count("removed") if map_index > -1 else 0
    head = f"Task's trigger rule '{rule}' requires"
    unmet: str | None = None
    if rule == "one_success" and success <= 0:
        unmet = f"{head} one upstream task success, but none were found."
    elif rule == "one_failed" and not failed and not upstream_failed:
        unmet = f"{head} one upstream task failure, but none were found."
    elif rule == "one_done" and success + failed <= 0:
        unmet = f"{head} at least one upstream task failure or success but none were failed or success."
    elif rule == "all_success" and upstream - success - removed > 0:
        count = upstream - success - removed
        unmet = f"{head} all upstream tasks to have succeeded, but found {count} non-success(es)."
    elif rule == "all_failed" and upstream - failed - upstream_failed - removed > 0:
        count = upstream - failed - upstream_failed - removed
        unmet = f"{head} all upstream tasks to have failed, but found {count} non-failure(s)."
    elif rule in ("all_done", "all_done_setup_success") and done < upstream:
        count = upstream - done
        unmet = f"{head} all upstream tasks to have completed, but found {count} task(s) that were not done."
    elif rule in ("none_failed", "none_failed_min_one_success", "none_failed_or_skipped"):
        count = upstream - success - skipped - removed
        if count > 0:
            unmet = (
                f"{head} all upstream tasks to have succeeded or been skipped, "
                f"but found {count} non-success(es)."
            )
    elif rule == "none_skipped" and (done < upstream or skipped > 0):
        unmet = f"{head} all upstream tasks to not have been skipped, but found {skipped} task(s) skipped."
    elif rule == "all_skipped" and upstream - skipped > 0:
        count = upstream - skipped
        unmet = (
            f"{head} all upstream tasks to have been skipped, but found {count} task(s) in non skipped state."
        )
    if unmet is None:
        return None
    return f"{unmet} {_context(counts, upstream_ids)}"
