"""The request sequence, in order, and which operations of the spec it must cover."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from compat.case import Case
from compat.cases_access import ACCESS
from compat.cases_dags import DAG_DELETES, DAGS, EDGES
from compat.cases_observability import DATASETS, EVENT_LOGS, MONITORING, SEEDED_READS
from compat.cases_resources import CONNECTIONS, POOL_IN_USE, POOLS, URL_SAFE_NAMES, VARIABLES
from compat.cases_runs import RUN_CHANGES, RUN_DELETES, RUN_READS, TRIGGERS
from compat.cases_task_instances import TI_CHANGES, TI_READS

SPEC = Path(__file__).resolve().parents[1] / "openapi" / "v1.yaml"
# Our own additions to the API: tagged so, and left out of the comparison (Airflow has no such operations).
EXTENSION_TAGS = frozenset({"Tokens"})
SEED = "seed"

# Runs must exist before the seed step gives their task instances states, tries, logs and XComs; deletions
# come last so every earlier case still finds its rows; deleting the only Admin is the very last request.
PLAN: list[list[Case] | str] = [
    EDGES + MONITORING + DAGS,
    TRIGGERS + RUN_READS + RUN_CHANGES,
    SEED,
    TI_READS + TI_CHANGES + CONNECTIONS + VARIABLES + POOLS + DATASETS + SEEDED_READS + EVENT_LOGS,
    RUN_DELETES + DAG_DELETES + POOL_IN_USE + URL_SAFE_NAMES + ACCESS,
]


def all_cases() -> list[Case]:
    return [case for step in PLAN if not isinstance(step, str) for case in step]


def airflow_operations(spec_path: Path = SPEC) -> list[str]:
    """The spec's operationIds that are Airflow's (everything but the extension tags), in spec order."""
    document: dict[str, Any] = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
    found = []
    for item in document["paths"].values():
        for method in ("get", "put", "post", "delete", "patch"):
            operation = item.get(method)
            if operation and not EXTENSION_TAGS & set(operation.get("tags", [])):
                found.append(operation["operationId"])
    return found
