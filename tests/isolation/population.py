"""Two organizations whose contents share every name: what the isolation test sweeps.

Each organization's rows carry its org id as a marker in a value (a variable's value, a pool's
description, a run's note...), so a foreign row is recognised wherever it would surface in an answer.
Rows the API cannot create are written by the factories inside the organization's scope, as the scheduler
and workers write them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx

from orchestrator_api.orchestration.logs import LogKey, log_path
from orchestrator_api.tenancy.context import scoped
from orchestrator_api.timeutil import utcnow
from tests import factories, factories_observability
from tests.factories_authoring import definition
from tests.isolation.orgs import Org, organization_pk

DAG = "shared_dag"
RUN = "shared_run"
TASK = "extract"
KEY = "shared_key"
POOL = "shared_pool"
CONN = "shared_conn"
URI = "s3://shared/data.csv"
BROKEN_FILE = "shared_broken.yaml"


@dataclass
class Contents:
    """What one organization holds: ids of rows that only it has, for the foreign-id probes."""

    org: Org
    event_log_id: int = 0
    import_error_id: int = 0
    org_token_id: int = 0
    org_token: str = ""
    trigger_token_id: int = 0
    file_token: str = ""
    only: dict[str, str] = field(default_factory=dict)


def _ok(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code in (200, 201), (response.request.url, response.text)
    body: dict[str, Any] = response.json() if response.content else {}
    return body


def populate(http: httpx.Client, org: Org) -> Contents:
    """Fill ``org`` with a DAG, run, task instances, XCom, log, variable, pool, connection, audit rows,
    import error, DAG warning, dataset with events, and tokens, all under the shared names."""
    mark = org.org_id
    auth, headers = org.owner, org.header
    contents = Contents(org)

    def post(path: str, body: dict[str, Any]) -> dict[str, Any]:
        return _ok(http.post(f"/api/v1{path}", json=body, auth=auth, headers=headers))

    for dag_id in (DAG, f"{mark}_only_dag"):
        post("/dags", definition(dag_id, description=f"{mark} dag", params={"env": mark}))
    post(f"/dags/{DAG}/dagRuns", {"dag_run_id": RUN, "conf": {"org": mark}, "note": f"{mark} run note"})
    note_path = f"/dags/{DAG}/dagRuns/{RUN}/taskInstances/{TASK}/setNote"
    _ok(http.patch(f"/api/v1{note_path}", json={"note": f"{mark} ti note"}, auth=auth, headers=headers))
    for suffix, name in (("", KEY), ("only", f"{mark}_only_var")):
        post("/variables", {"key": name, "value": f"{mark} value {suffix}"})
    for name in (POOL, f"{mark}_only_pool"):
        post("/pools", {"name": name, "slots": 3, "description": f"{mark} pool"})
    for name in (CONN, f"{mark}_only_conn"):
        post("/connections", {"connection_id": name, "conn_type": "http", "host": f"{mark}.example"})
    contents.only = {
        "dag": f"{mark}_only_dag",
        "variable": f"{mark}_only_var",
        "pool": f"{mark}_only_pool",
        "connection": f"{mark}_only_conn",
    }
    token = post(f"/organizations/{mark}/tokens", {"name": f"{mark} token", "role": "Owner"})
    contents.org_token_id, contents.org_token = token["id"], token["token"]
    contents.trigger_token_id = post(f"/dags/{DAG}/triggerTokens", {"name": f"{mark} trigger"})["id"]
    dag = _ok(http.get(f"/api/v1/dags/{DAG}", auth=auth, headers=headers))
    contents.file_token = dag["file_token"]
    _write_rows(contents)
    return contents


def _write_rows(contents: Contents) -> None:
    """The rows a scheduler, a worker or `dags sync` would write, inside the organization's scope."""
    mark = contents.org.org_id
    with scoped(organization_pk(mark)):
        factories.xcom(DAG, RUN, TASK, KEY, f"{mark} xcom")
        contents.event_log_id = factories_observability.event_log(
            f"{mark} event", dag_id=DAG, owner=mark, extra=f"{mark} extra"
        )
        contents.import_error_id = factories_observability.import_error(BROKEN_FILE, f"{mark} trace")
        factories_observability.dag_warning(DAG, "non-existent pool", f"{mark} warning")
        factories_observability.dataset(URI, extra={"org": mark})
        factories.dataset_event(URI, source=(DAG, "load", RUN), extra={"org": mark})
        factories_observability.queued_event(URI, DAG, utcnow())
        factories.set_task_instance(DAG, RUN, TASK, try_number=1, hostname=f"{mark}-worker")
        path = log_path(LogKey(DAG, RUN, TASK, -1, 1))
        assert path is not None
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"{mark} log line\n")


def path_values(contents: Contents, username: str) -> dict[str, str]:
    """Values for every path parameter of a read, naming this organization's rows (and shared names)."""
    return {
        "dag_id": DAG,
        "dag_run_id": RUN,
        "task_id": TASK,
        "map_index": "0",
        "task_try_number": "1",
        "xcom_key": KEY,
        "variable_key": KEY,
        "pool_name": POOL,
        "connection_id": CONN,
        "uri": URI,
        "event_log_id": str(contents.event_log_id),
        "import_error_id": str(contents.import_error_id),
        "file_token": contents.file_token,
        "token_id": str(contents.org_token_id),
        "org_id": contents.org.org_id,
        "username": username,
        "role_name": "Viewer",
        "section": "core",
        "option": "dags_folder",
        "worker_id": "1",
    }


# Path parameters that name a row by a key only one organization has: with the other organization's
# value, a read must answer 404 (or 403) and show nothing of it. (A file token names a file location,
# which the same DAG id shares across organizations: it reads the caller's own file, as the sweep shows.)
FOREIGN_KEYS = ("event_log_id", "import_error_id", "token_id", "org_id")
