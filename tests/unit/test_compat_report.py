"""The committed compatibility report (compat/report.json, written by `make compat`) is current for the spec.

`make compat` needs a real Airflow, so it is not part of the suite; this fast check fails when an Airflow
operation is added to the spec (or a case to the harness) without the comparison being run again.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from compat.plan import airflow_operations, all_cases

REPORT = Path(__file__).resolve().parents[2] / "compat" / "report.json"


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(REPORT.read_text(encoding="utf-8"))
    return document


def test_report_lists_exactly_the_spec_airflow_operations(report: dict[str, Any]) -> None:
    assert sorted(report["operations"]) == sorted(airflow_operations())
    assert len(report["operations"]) == len(set(report["operations"]))


def test_every_airflow_operation_was_compared(report: dict[str, Any]) -> None:
    compared = {case["operation"] for case in report["cases"]}
    assert set(airflow_operations()) - compared == set()
    assert report["summary"]["operations_not_compared"] == []


def test_every_operation_has_a_case_in_the_harness() -> None:
    assert set(airflow_operations()) - {case.operation for case in all_cases()} == set()


def test_report_ran_the_current_cases(report: dict[str, Any]) -> None:
    assert [case["name"] for case in report["cases"]] == [case.name for case in all_cases()]


def test_case_names_are_unique() -> None:
    names = [case.name for case in all_cases()]
    assert sorted({name for name in names if names.count(name) > 1}) == []


def test_every_kept_difference_has_a_reason(report: dict[str, Any]) -> None:
    for case in report["cases"]:
        if case["result"] == "deliberate":
            assert all(difference["deliberate"] for difference in case["differences"]), case["name"]
