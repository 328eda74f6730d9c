"""One rule decides whether a DAG can be triggered, whichever way the run is asked for."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from orchestrator_api import db
from orchestrator_api.dags.sync import sync_dags
from tests.problems import assert_problem
from tests.reliability.conftest import PULSE_DAG


@pytest.fixture
def token(live_server: str, admin: tuple[str, str], run_dag: str) -> str:
    response = httpx.post(
        f"{live_server}/api/v1/dags/{run_dag}/triggerTokens", json={"name": "h"}, auth=admin
    )
    return str(response.json()["token"])


def resync(folder: Path) -> None:
    with db.transaction() as session:
        sync_dags(session, folder)


def trigger_both_ways(url: str, admin: tuple[str, str], token: str) -> list[httpx.Response]:
    return [
        httpx.post(f"{url}/api/v1/dags/pulse/dagRuns", json={}, auth=admin),
        httpx.post(f"{url}/api/v1/triggers/{token}", json={}),
    ]


def test_a_dag_whose_file_is_gone_cannot_be_triggered_either_way(live_server, admin, token, tmp_path):
    (tmp_path / "dags" / "pulse.yaml").unlink()
    resync(tmp_path / "dags")
    for response in trigger_both_ways(live_server, admin, token):
        assert_problem(response, 404, "'pulse' not found")
    assert httpx.get(f"{live_server}/api/v1/dags/pulse/dagRuns", auth=admin).json()["total_entries"] == 0


def test_a_dag_with_import_errors_cannot_be_triggered_either_way(live_server, admin, token, tmp_path):
    (tmp_path / "dags" / "pulse.yaml").write_text(PULSE_DAG + "  - task_id: [broken\n")
    resync(tmp_path / "dags")
    for response in trigger_both_ways(live_server, admin, token):
        assert_problem(response, 400, "import errors")
    assert httpx.get(f"{live_server}/api/v1/dags/pulse/dagRuns", auth=admin).json()["total_entries"] == 0


def test_a_healthy_dag_can_be_triggered_either_way(live_server, admin, token):
    first, second = trigger_both_ways(live_server, admin, token)
    assert first.status_code == 200, first.text
    assert second.status_code == 200, second.text
