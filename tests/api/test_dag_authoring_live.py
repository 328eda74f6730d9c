"""The DAG authoring journey over real HTTP against `orchestrator-api serve`, restarted half-way."""

from __future__ import annotations

import httpx
import pytest

from tests.factories_authoring import YAML, definition
from tests.servers import serve


@pytest.mark.slow  # starts `orchestrator-api serve` processes
def test_author_trigger_export_and_find_everything_after_a_restart(database, admin, tmp_path):
    with (
        serve(database, tmp_path) as (url,),
        httpx.Client(base_url=f"{url}/api/v1", auth=admin, timeout=30) as http,
    ):
        created = http.post("/dags", json=definition())
        assert created.status_code == 201, created.text
        first_etag = created.headers["etag"]

        added = http.post(
            "/dags/authored/tasks",
            json={"task_id": "report", "operator": "EmailOperator", "upstream": ["load"]},
        )
        assert added.status_code == 201, added.text
        patched = http.patch(
            "/dags/authored/tasks/report", params={"update_mask": "retries"}, json={"retries": 5}
        )
        assert patched.status_code == 200
        assert patched.json()["retries"] == 5
        assert http.delete("/dags/authored/tasks/extract", params={"cascade": "true"}).status_code == 204

        current = http.get("/dags/authored/definition")
        replacement = {**current.json(), "description": "Replaced"}
        stale = http.put("/dags/authored/definition", json=replacement, headers={"If-Match": first_etag})
        assert stale.status_code == 412
        assert stale.headers["content-type"].startswith("application/problem+json")
        fresh = http.put(
            "/dags/authored/definition", json=replacement, headers={"If-Match": current.headers["etag"]}
        )
        assert fresh.status_code == 200, fresh.text
        assert fresh.headers["etag"].startswith('"5-')

        run = http.post("/dags/authored/dagRuns", json={"dag_run_id": "after_edits", "conf": {"env": "prod"}})
        assert run.status_code == 200, run.text
        instances = http.get("/dags/authored/dagRuns/after_edits/taskInstances").json()["task_instances"]
        assert sorted(ti["task_id"] for ti in instances) == ["load", "report", "transform"]

        exported = http.get("/dags/authored/definition", headers={"Accept": YAML})
        assert exported.headers["content-type"].startswith(YAML)
        reimported = http.put(
            "/dags/authored/definition", content=exported.text, headers={"Content-Type": YAML, "Accept": YAML}
        )
        assert reimported.status_code == 200
        assert (reimported.text, reimported.headers["etag"]) == (exported.text, exported.headers["etag"])

    with (
        serve(database, tmp_path) as (url,),
        httpx.Client(base_url=f"{url}/api/v1", auth=admin, timeout=30) as http,
    ):
        after = http.get("/dags/authored/definition", headers={"Accept": YAML})
        assert (after.text, after.headers["etag"]) == (exported.text, exported.headers["etag"])
        assert [dag["dag_id"] for dag in http.get("/dags").json()["dags"]] == ["authored"]
        tasks = http.get("/dags/authored/tasks").json()["tasks"]
        assert sorted(task["task_id"] for task in tasks) == ["load", "report", "transform"]
        instances = http.get("/dags/authored/dagRuns/after_edits/taskInstances").json()["task_instances"]
        assert sorted(ti["task_id"] for ti in instances) == ["load", "report", "transform"]
        assert http.get("/dags/authored/dagRuns/after_edits").json()["conf"] == {"env": "prod"}
        assert definition() != http.get("/dags/authored/definition").json()
