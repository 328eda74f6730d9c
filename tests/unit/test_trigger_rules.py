"""Trigger rules judged from the states of a task instance's upstream instances."""

from __future__ import annotations

from collections import Counter

import pytest

from orchestrator_api.orchestration.dependencies import UpstreamCounts, trigger_rule_reason


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
        ("none_failed_min_one_success", ("skipped", "skipped"), False),
        ("none_failed_or_skipped", ("success", "upstream_failed"), False),
        ("always", ("failed", None), True),
    ],
)
def test_rules(rule, states, holds):
    reason = trigger_rule_reason(rule, counts(*states))
    assert (reason is None) is holds, reason


def test_no_upstream_always_holds():
    assert trigger_rule_reason("all_success", counts()) is None


def test_reason_counts_every_kind_of_state():
    reason = trigger_rule_reason(
        "all_success", counts("success", "skipped", "failed", "upstream_failed", None)
    )
    assert reason is not None
    assert "Of 5 upstream task instances, 1 succeeded, 1 were skipped, 1 failed, 1 failed upstream" in reason
    assert "1 have not finished" in reason
