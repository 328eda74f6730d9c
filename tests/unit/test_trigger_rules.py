"""Trigger rules judged from the states of a task instance's upstream instances, in Airflow's words."""

from __future__ import annotations

from collections import Counter

import pytest

from orchestrator_api.orchestration.dependency_reasons import UpstreamCounts, trigger_rule_reason


def counts(*states: str | None) -> UpstreamCounts:
    return UpstreamCounts(Counter(states))


@pytest.mark.parametrize(
    ("rule", "states", "holds"),
    [
        ("all_success", ("success", "success"), True),
        ("all_success", ("success", "skipped"), False),
        ("all_success", ("success", None), False),
        ("all_failed", ("failed", "upstream_failed"), True),
        ("all_failed", ("failed", "success"), False),
        ("all_done", ("failed", "skipped", "removed"), True),
        ("all_done", ("failed", "running"), False),
        ("all_done_setup_success", ("success", "failed"), True),
        ("all_skipped", ("skipped", "skipped"), True),
        ("all_skipped", ("skipped", "success"), False),
        ("one_success", ("success", None), True),
        ("one_success", ("failed", None), False),
        ("one_failed", ("upstream_failed", None), True),
        ("one_failed", ("success", None), False),
        ("one_done", ("failed", None), True),
        ("one_done", ("skipped", None), False),
        ("none_failed", ("success", "skipped"), True),
        ("none_failed", ("success", "failed"), False),
        ("none_failed", ("success", "queued"), False),
        ("none_skipped", ("success", "failed"), True),
        ("none_skipped", ("success", "skipped"), False),
        ("none_failed_min_one_success", ("success", "skipped"), True),
        # As in Airflow, "min one success" is the scheduler's to enforce (it skips the instance); the
        # dependency check asks only that nothing failed.
        ("none_failed_min_one_success", ("skipped", "skipped"), True),
        ("none_failed_or_skipped", ("success", "upstream_failed"), False),
        ("always", ("failed", None), True),
    ],
)
def test_rules(rule, states, holds):
    reason = trigger_rule_reason(rule, counts(*states))
    assert (reason is None) is holds, reason


def test_no_upstream_always_holds():
    assert trigger_rule_reason("all_success", counts()) is None


def test_reason_is_airflows_text_with_its_counts_and_upstream_ids():
    reason = trigger_rule_reason(
        "all_success", counts("success", "skipped", "failed", "upstream_failed", None), ["b", "a"]
    )
    # Measured on Airflow 2.10.5 (the upstream ids are a set there; sorted here).
    assert reason == (
        "Task's trigger rule 'all_success' requires all upstream tasks to have succeeded, but found 4 "
        "non-success(es). upstream_states=_UpstreamTIStates(success=1, skipped=1, failed=1, "
        "upstream_failed=1, removed=0, done=4, success_setup=0, skipped_setup=0), "
        "upstream_task_ids={'a', 'b'}"
    )


def test_removed_upstreams_count_for_mapped_instances_only():
    removed = counts("success", "removed")
    assert trigger_rule_reason("all_success", removed, ["a"], map_index=0) is None
    assert trigger_rule_reason("all_success", removed, ["a"]) is not None
