"""A trigger token's principal, checked against the permission table directly: ``post_dag_run`` is written
by another family, so through HTTP only the refusals can be shown here (tests/api/test_trigger_tokens.py)."""

from __future__ import annotations

import pytest

from orchestrator_api.problems import PermissionDenied
from orchestrator_api.security.permissions import OPERATION_NEEDS, authorize
from orchestrator_api.security.tokens import trigger_principal


def test_trigger_principal_may_trigger_its_own_dag_only() -> None:
    principal = trigger_principal(7, "etl_daily")
    authorize(principal, "post_dag_run", {"dag_id": "etl_daily"})
    with pytest.raises(PermissionDenied):
        authorize(principal, "post_dag_run", {"dag_id": "sales_report"})


@pytest.mark.parametrize("operation_id", sorted(set(OPERATION_NEEDS) - {"post_dag_run"}))
def test_trigger_principal_is_refused_everything_else(operation_id: str) -> None:
    with pytest.raises(PermissionDenied):
        authorize(trigger_principal(7, "etl_daily"), operation_id, {"dag_id": "etl_daily"})
