"""schemathesis against the served spec: every operation, positive and negative data, all built-in checks.

Each operation runs against a fresh database holding an admin user, the example DAGs and a triggered run,
so generated requests reach real rows as well as missing ones. A failure names the operation and the
request that broke a check (a 5xx, an undocumented status, a body that breaks the schema, a request the
server should have refused, a missing 401...).
"""

from __future__ import annotations

import base64
import os
from collections.abc import Callable
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from orchestrator_api.app import create_app
from tests.contract.policy import CONFIG
from tests.contract.seed import seed_contract_data

MAX_EXAMPLES = int(os.environ.get("ORCHESTRATOR_API_CONTRACT_EXAMPLES", "40"))


# Loaded at import (schemathesis' fixture-based loader does not work with pytest 9): the app only reads the
# database per request, so it serves whichever database the `database` fixture configured for the test.
# wait_dag_run streams until its run finishes, and no scheduler moves runs here: tests/execution covers it.
schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", create_app(), config=CONFIG).exclude(
    operation_id="wait_dag_run"
)


@pytest.fixture
def admin_header(
    admin: tuple[str, str], example_dags: list[str], settings_env: Callable[..., None]
) -> dict[str, str]:
    # schemathesis sends invalid credentials with many examples to check the 401; login throttling
    # (tested in tests/reliability) would answer 429 once the budget is spent, so give it room here.
    settings_env(LOGIN_FAILURES_PER_USER="1000000", LOGIN_FAILURES_PER_CLIENT="1000000")
    # With it off (Airflow's default), a schema-valid `deserialize=true` is refused by configuration, which
    # schemathesis reads as valid data rejected; tests/api/test_xcoms.py covers the refusal.
    settings_env(ENABLE_XCOM_DESERIALIZE_SUPPORT="true")
    seed_contract_data(admin)
    token = base64.b64encode(":".join(admin).encode()).decode()
    return {"Authorization": f"Basic {token}"}


@pytest.mark.slow
@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_operation_conforms_to_spec(case: Any, admin_header: dict[str, str]) -> None:
    case.call_and_validate(headers=admin_header)
