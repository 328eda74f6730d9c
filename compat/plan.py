"""The request sequence, in order, and which operations of the spec it must cover."""

from __future__ import annotations

from compat.case import Case
from compat.cases_access import ACCESS
from compat.cases_auth import unauthenticated_cases
from compat.cases_dags import DAG_DELETES, DAGS, EDGES
from compat.cases_observability import AUDIT_TRAIL, DATASETS, EVENT_LOGS, MONITORING, SEEDED_READS
from compat.cases_resources import CONNECTIONS, POOL_IN_USE, POOLS, URL_SAFE_NAMES, VARIABLES
from compat.cases_runs import RUN_CHANGES, RUN_DELETES, RUN_READS, TRIGGERS
from compat.cases_task_instances import TI_CHANGES, TI_READS
from compat.spec_operations import airflow_spec_operations

SEED = "seed"

# Runs must exist before the seed step gives their task instances states, tries, logs and XComs; deletions
# come last so every earlier case still finds its rows; the whole audit trail is compared once every change
# is made, and deleting the only Admin is the very last request.
PLAN: list[list[Case] | str] = [
    EDGES + unauthenticated_cases() + MONITORING + DAGS,
    TRIGGERS + RUN_READS + RUN_CHANGES,
    SEED,
    TI_READS + TI_CHANGES + CONNECTIONS + VARIABLES + POOLS + DATASETS + SEEDED_READS + EVENT_LOGS,
    RUN_DELETES + DAG_DELETES + POOL_IN_USE + URL_SAFE_NAMES + ACCESS[:-1] + AUDIT_TRAIL + ACCESS[-1:],
]


def all_cases() -> list[Case]:
    return [case for step in PLAN if not isinstance(step, str) for case in step]


def airflow_operations() -> list[str]:
    """The spec's operationIds that are Airflow's (everything but the extension tags), in spec order."""
    return [operation.operation_id for operation in airflow_spec_operations()]
