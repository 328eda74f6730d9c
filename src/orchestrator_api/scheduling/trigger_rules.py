"""What a trigger rule decides for a waiting task instance, given its upstream instances' states.

Airflow's semantics with ``flag_upstream_failed``: a rule can decide early (``all_success`` fails as soon
as one upstream fails) and can skip or fail the instance instead of running it. Skips propagate because a
skipped instance is an upstream state the next instance's rule reads.
"""

from __future__ import annotations

from enum import Enum

from orchestrator_api.orchestration.dependencies import UpstreamCounts


class Decision(Enum):
    WAIT = "wait"
    RUN = "run"
    SKIP = "skipped"
    UPSTREAM_FAILED = "upstream_failed"


def decide(rule: str, counts: UpstreamCounts) -> Decision:
    """The decision for ``rule`` over these upstream states (no upstream: run)."""
    total = counts.total
    if total == 0 or rule == "always":
        return Decision.RUN
    success, skipped = counts.count("success"), counts.count("skipped")
    failed = counts.failed  # failed and upstream_failed
    all_done = counts.done == total
    if rule == "all_success":
        if failed:
            return Decision.UPSTREAM_FAILED
        if skipped:
            return Decision.SKIP
        return Decision.RUN if success == total else Decision.WAIT
    if rule == "all_failed":
        if success or skipped:
            return Decision.SKIP
        return Decision.RUN if failed == total else Decision.WAIT
    if rule in ("all_done", "all_done_setup_success"):
        return Decision.RUN if all_done else Decision.WAIT
    if rule == "all_skipped":
        if success or failed:
            return Decision.SKIP
        return Decision.RUN if skipped == total else Decision.WAIT
    if rule == "one_success":
        if success:
            return Decision.RUN
        if all_done:
            return Decision.SKIP if skipped == total else Decision.UPSTREAM_FAILED
        return Decision.WAIT
    if rule == "one_failed":
        if failed:
            return Decision.RUN
        return Decision.SKIP if all_done else Decision.WAIT
    if rule == "one_done":
        if success or failed:
            return Decision.RUN
        return Decision.SKIP if all_done else Decision.WAIT
    if rule == "none_failed":
        if failed:
            return Decision.UPSTREAM_FAILED
        return Decision.RUN if all_done else Decision.WAIT
    if rule == "none_skipped":
        if skipped:
            return Decision.SKIP
        return Decision.RUN if all_done else Decision.WAIT
    if rule in ("none_failed_min_one_success", "none_failed_or_skipped"):
        if failed:
            return Decision.UPSTREAM_FAILED
        if not all_done:
            return Decision.WAIT
        return Decision.SKIP if skipped == total else Decision.RUN
    return Decision.WAIT  # an unknown rule never runs
