"""What each trigger rule decides for a waiting task instance, Airflow's semantics with upstream flagging."""

from __future__ import annotations

from collections import Counter

import pytest

from orchestrator_api.dags.task_fields import TRIGGER_RULES
from orchestrator_api.orchestration.dependencies import UpstreamCounts
from orchestrator_api.scheduling.trigger_rules import Decision, decide

RUN, WAIT, SKIP, UPSTREAM_FAILED = Decision.RUN, Decision.WAIT, Decision.SKIP, Decision.UPSTREAM_FAILED


def counts(*states: str | None) -> UpstreamCounts:
    return UpstreamCounts(Counter(states))


CASES = [
    ("all_success", ("success", "success"), RUN),
    ("all_success", ("success", None), WAIT),
    ("all_success", ("failed", None), UPSTREAM_FAILED),  # decided early, as Airflow does
    ("all_success", ("upstream_failed", "success"), UPSTREAM_FAILED),
    ("all_success", ("skipped", "success"), SKIP),
    ("all_failed", ("failed", "upstream_failed"), RUN),
    ("all_failed", ("failed", "success"), SKIP),
    ("all_failed", ("failed", "running"), WAIT),
    ("all_done", ("failed", "skipped", "success"), RUN),
    ("all_done", ("failed", "queued"), WAIT),
    ("all_done_setup_success", ("failed", "success"), RUN),
    ("all_skipped", ("skipped", "skipped"), RUN),
    ("all_skipped", ("skipped", "success"), SKIP),
    ("all_skipped", ("skipped", None), WAIT),
    ("one_success", ("success", None), RUN),
    ("one_success", ("failed", "skipped"), UPSTREAM_FAILED),
    ("one_success", ("skipped", "skipped"), SKIP),
    ("one_success", ("failed", "running"), WAIT),
    ("one_failed", ("failed", None), RUN),
    ("one_failed", ("success", "skipped"), SKIP),
    ("one_failed", ("success", "running"), WAIT),
    ("one_done", ("skipped", "failed"), RUN),
    ("one_done", ("skipped", "skipped"), SKIP),
    ("one_done", ("skipped", None), WAIT),
    ("none_failed", ("success", "skipped"), RUN),
    ("none_failed", ("upstream_failed", None), UPSTREAM_FAILED),
    ("none_failed", ("success", None), WAIT),
    ("none_skipped", ("success", "failed"), RUN),
    ("none_skipped", ("skipped", None), SKIP),
    ("none_skipped", ("success", None), WAIT),
    ("none_failed_min_one_success", ("success", "skipped"), RUN),
    ("none_failed_min_one_success", ("skipped", "skipped"), SKIP),
    ("none_failed_min_one_success", ("failed", None), UPSTREAM_FAILED),
    ("none_failed_min_one_success", ("success", None), WAIT),
    ("none_failed_or_skipped", ("success", "skipped"), RUN),
    ("always", ("failed", None), RUN),
]


@pytest.mark.parametrize(("rule", "upstream", "expected"), CASES)
def test_trigger_rule_decisions(rule: str, upstream: tuple[str | None, ...], expected: Decision) -> None:
    assert decide(rule, counts(*upstream)) is expected


def test_every_rule_a_dag_file_accepts_is_covered_and_no_upstream_means_run() -> None:
    assert {rule for rule, _, _ in CASES} == TRIGGER_RULES
    assert all(decide(rule, counts()) is RUN for rule in TRIGGER_RULES)
