"""File DAGs, the scheduler and the worker API serve every organization, each in its own rows."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from orchestrator_api import cli
from orchestrator_api.scheduling.loop import run as scheduler_run
from tests.tenancy.conftest import ORGS, in_org

DAG = """
dag_id: one
schedule: null
start_date: 2026-01-01
params: {{size: {size}}}
tasks:
  - task_id: hello
    operator: BashOperator
    bash_command: "echo {{{{ params.size }}}}"
"""
RUN = "/api/v1/dags/one/dagRuns/r"
PRODUCER = """
dag_id: producer
schedule: null
start_date: 2026-01-01
description: {where}
tasks:
  - task_id: publish
    operator: EmptyOperator
    pool: no_such_pool
    outlets: ["s3://bucket/shared"]
"""


@pytest.fixture
def synced(
    client: Any, admin: Any, alice: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> str:
    """`one` in the default organization (size 3) and in acme (size 7), loaded by one `dags sync`."""
    assert client.post(ORGS, json={"org_id": "acme", "name": "Acme"}, auth=alice).status_code == 201
    folder = tmp_path / "dags"
    (folder / "orgs" / "acme").mkdir(parents=True)
    (folder / "orgs" / "ghost").mkdir()
    (folder / "one.yaml").write_text(DAG.format(size=3))
    (folder / "orgs" / "acme" / "one.yaml").write_text(DAG.format(size=7))
    (folder / "orgs" / "ghost" / "one.yaml").write_text(DAG.format(size=9))
    for place in (folder, folder / "orgs" / "acme"):  # the same broken file, warning and dataset in both
        (place / "broken.yaml").write_text("dag_id: [not, a, string]\n")
        (place / "producer.yaml").write_text(PRODUCER.format(where=place.name))
    assert cli.main(["dags", "sync", "--dags-folder", str(folder), "--quiet"]) == 0
    return str(capsys.readouterr().out)


def test_dags_sync_puts_each_folder_in_its_organization(client, admin, alice, synced):
    assert "organization default:\nadded: one" in synced
    assert "organization acme:\nadded: one" in synced
    assert "skipped orgs/ghost: no organization has this org_id" in synced
    default = client.get("/api/v1/dags/one/details", auth=admin).json()
    acme = client.get("/api/v1/dags/one/details", headers=in_org("acme"), auth=alice).json()
    assert default["params"]["size"]["value"] == 3
    assert acme["params"]["size"]["value"] == 7
    dag_ids = [d["dag_id"] for d in client.get("/api/v1/dags", auth=admin).json()["dags"]]
    assert dag_ids == ["one", "producer"]  # nothing from orgs/ lands in the default organization


def test_the_scheduler_and_workers_keep_each_run_in_its_organization(client, admin, alice, synced):
    acme = in_org("acme")
    for headers, auth in (({}, admin), (acme, alice)):
        assert (
            client.patch(
                "/api/v1/dags/one", json={"is_paused": False}, headers=headers, auth=auth
            ).status_code
            == 200
        )
        started = client.post(
            "/api/v1/dags/one/dagRuns", json={"dag_run_id": "r"}, headers=headers, auth=auth
        )
        assert started.status_code == 200, started.text
    scheduler_run(once=True)
    token = client.post("/api/v1/workers", json={"name": "w1"}, auth=admin).json()["token"]
    worker = {"Authorization": f"Bearer {token}"}
    claims = client.post("/api/v1/worker/claims", json={"queues": ["default"], "limit": 5}, headers=worker)
    assert claims.status_code == 200, claims.text
    claimed = {c["organization"]: c for c in claims.json()["task_instances"]}
    assert sorted(claimed) == ["acme", "default"]
    assert {org: c["params"]["size"] for org, c in claimed.items()} == {"default": 3, "acme": 7}
    for org_id, claim in claimed.items():
        path = f"/api/v1/worker/taskInstances/{claim['task_instance_id']}"
        lease = {"lease_id": claim["lease_id"]}
        assert (
            client.post(
                f"{path}/logs", json={**lease, "content": f"ran in {org_id}\n"}, headers=worker
            ).status_code
            == 204
        )
        assert (
            client.post(
                f"{path}/xcoms",
                json={**lease, "key": "size", "value": claim["params"]["size"]},
                headers=worker,
            ).status_code
            == 204
        )
        finished = client.post(f"{path}/finish", json={**lease, "state": "success"}, headers=worker)
        assert finished.status_code == 200, finished.text
    scheduler_run(once=True)
    for org_id, headers, auth, size in (("default", {}, admin, 3), ("acme", acme, alice, 7)):
        assert client.get(RUN, headers=headers, auth=auth).json()["state"] == "success"
        xcom = client.get(f"{RUN}/taskInstances/hello/xcomEntries/size", headers=headers, auth=auth).json()
        assert xcom["value"] == str(size)
        log = client.get(
            f"{RUN}/taskInstances/hello/logs/1", headers={**headers, "Accept": "text/plain"}, auth=auth
        )
        assert log.status_code == 200, log.text
        assert f"ran in {org_id}" in log.text
        other = "acme" if org_id == "default" else "default"
        assert f"ran in {other}" not in log.text


def test_watching_a_run_watches_the_organizations_run(client, admin, alice, synced):
    acme = in_org("acme")
    assert client.post("/api/v1/dags/one/dagRuns", json={"dag_run_id": "r"}, auth=admin).status_code == 200
    # The default organization's run of the same name ends otherwise, so a mix-up shows.
    assert client.patch(RUN, json={"state": "success"}, auth=admin).status_code == 200
    started = client.post("/api/v1/dags/one/dagRuns", json={"dag_run_id": "r"}, headers=acme, auth=alice)
    assert started.status_code == 200
    failed = client.patch(RUN, json={"state": "failed"}, headers=acme, auth=alice)
    assert failed.status_code == 200, failed.text
    watched = client.get(f"{RUN}/wait", headers=acme, auth=alice)
    assert watched.status_code == 200, watched.text
    assert [json.loads(line)["state"] for line in watched.text.splitlines()] == ["failed"]


def test_import_errors_warnings_and_datasets_belong_to_their_organization(client, admin, alice, synced):
    for headers, auth, folder in (({}, admin, "dags"), (in_org("acme"), alice, "acme")):
        errors = client.get("/api/v1/importErrors", headers=headers, auth=auth).json()
        assert [Path(e["filename"]).parent.name for e in errors["import_errors"]] == [folder]
        warnings = client.get("/api/v1/dagWarnings", headers=headers, auth=auth).json()
        assert [(w["dag_id"], w["warning_type"]) for w in warnings["dag_warnings"]] == [
            ("producer", "non-existent pool")
        ]
        datasets = client.get("/api/v1/datasets", headers=headers, auth=auth).json()
        assert [d["uri"] for d in datasets["datasets"]] == ["s3://bucket/shared"]
        producer = client.get("/api/v1/dags/producer", headers=headers, auth=auth).json()
        assert producer["description"] == folder
