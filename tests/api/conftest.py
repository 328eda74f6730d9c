"""Fixtures shared by the API tests of one family and another."""

from __future__ import annotations

from typing import Any

import pytest

from tests import runs_scenarios
from tests.api.dag_fixtures import DAG


@pytest.fixture
def three_dags(dag_folder: Any) -> list[str]:
    return dag_folder(
        {
            "a.yaml": DAG.format(dag_id="alpha_etl", paused="true", tags="[etl, daily]", owner="ann"),
            "b.yaml": DAG.format(dag_id="beta_report", paused="false", tags="[report]", owner="bob"),
            "c.yaml": DAG.format(dag_id="gamma_etl", paused="false", tags="[etl]", owner="cid"),
        }
    )


@pytest.fixture
def run_dags(dag_folder: Any) -> list[str]:
    """The two small DAGs of the DAG run tests: ``chain`` (three tasks in a row) and ``other``."""
    return dag_folder({"chain.yaml": runs_scenarios.CHAIN_DAG, "other.yaml": runs_scenarios.OTHER_DAG})


@pytest.fixture
def three_runs(client: Any, admin: Any, run_dags: list[str]) -> None:
    runs_scenarios.chain_and_other_runs(client, admin)


@pytest.fixture
def flow(dag_folder: Any) -> None:
    """The ``flow`` DAG of the task instance tests, with its runs in mixed states."""
    dag_folder({"flow.yaml": runs_scenarios.FLOW_DAG})
    runs_scenarios.flow_runs()
