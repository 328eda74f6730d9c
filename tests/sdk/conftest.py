"""The official generated client, apache-airflow-client 2.10.0, pointed at the live server."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from airflow_client import client as airflow_client


@pytest.fixture
def sdk(live_server: str, admin: tuple[str, str]) -> Iterator[Any]:
    """An ``ApiClient`` signed in as the admin user; build e.g. ``DAGApi(sdk)`` from it."""
    configuration = airflow_client.Configuration(
        host=f"{live_server}/api/v1", username=admin[0], password=admin[1]
    )
    with airflow_client.ApiClient(configuration) as api_client:
        yield api_client
