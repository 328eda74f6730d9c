"""Two API instances on one database: what one does, the other sees on the very next request.

Two `orchestrator-api serve` processes (gunicorn + uvicorn, each with its own per-process credential cache,
kept 10 minutes here) share this test's database: the PostgreSQL copy in the PostgreSQL pass, the SQLite
file otherwise. Each instance has verified and cached a credential before it is changed through the other.
One test walks every case, because starting a pair of servers costs more than all the requests.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests import runs_scenarios
from tests.factories_access import user_patch
from tests.problems import assert_problem
from tests.servers import serve

Auth = tuple[str, str]


def writes_are_shared(a: httpx.Client, b: httpx.Client, admin: Auth) -> None:
    assert a.post("/pools", json={"name": "shared", "slots": 3}, auth=admin).status_code == 200
    assert b.get("/pools/shared", auth=admin).json()["slots"] == 3
    patched = b.patch("/pools/shared?update_mask=slots", json={"slots": 7}, auth=admin)
    assert patched.status_code == 200, patched.text
    assert a.get("/pools/shared", auth=admin).json()["slots"] == 7
    assert b.delete("/pools/shared", auth=admin).status_code == 204
    assert_problem(a.get("/pools/shared", auth=admin), 404)


def token_revocation_is_shared(a: httpx.Client, b: httpx.Client, admin: Auth) -> None:
    created = a.post(f"/users/{admin[0]}/tokens", json={"name": "shared"}, auth=admin)
    assert created.status_code == 201, created.text
    bearer = {"Authorization": f"Bearer {created.json()['token']}"}
    assert b.get("/pools", headers=bearer).status_code == 200  # b has verified and cached it
    assert a.delete(f"/users/{admin[0]}/tokens/{created.json()['id']}", auth=admin).status_code == 204
    assert_problem(b.get("/pools", headers=bearer), 401)


def password_change_is_shared(a: httpx.Client, b: httpx.Client, admin: Auth, viewer: Auth) -> None:
    assert b.get("/pools", auth=viewer).status_code == 200
    changed = a.patch(
        f"/users/{viewer[0]}?update_mask=password",
        json=user_patch(viewer[0], password="brand-new-pw"),
        auth=admin,
    )
    assert changed.status_code == 200, changed.text
    assert_problem(b.get("/pools", auth=viewer), 401)
    assert b.get("/pools", auth=(viewer[0], "brand-new-pw")).status_code == 200


def role_change_is_shared(a: httpx.Client, b: httpx.Client, admin: Auth, operator: Auth) -> None:
    assert b.post("/pools", json={"name": "by_op", "slots": 1}, auth=operator).status_code == 200
    demoted = a.patch(
        f"/users/{operator[0]}?update_mask=roles",
        json=user_patch(operator[0], roles=[{"name": "Viewer"}]),
        auth=admin,
    )
    assert demoted.status_code == 200, demoted.text
    assert_problem(b.post("/pools", json={"name": "by_op_2", "slots": 1}, auth=operator), 403)
    assert b.get("/pools/by_op", auth=operator).status_code == 200  # a Viewer still reads
    assert_problem(a.get("/pools/by_op_2", auth=admin), 404)  # the refused write left nothing


def concurrent_triggers_keep_exact_totals(a: httpx.Client, b: httpx.Client, admin: Auth) -> None:
    # Both instances insert the same DAG's task instances at once: the per-DAG count the database keeps
    # (migration 0010) must end equal to the rows, which the batch list counts one by one.
    def trigger(n: int) -> int:
        body = {"dag_run_id": f"c{n}", "logical_date": f"2026-02-{n + 1:02d}T00:00:00+00:00"}
        return (a if n % 2 else b).post("/dags/chain/dagRuns", json=body, auth=admin).status_code

    with ThreadPoolExecutor(max_workers=6) as pool:
        assert set(pool.map(trigger, range(12))) == {200}
    listed = a.get("/dags/~/dagRuns/~/taskInstances?limit=1", auth=admin).json()["total_entries"]
    counted = b.post("/dags/~/dagRuns/~/taskInstances/list", json={"page_limit": 1}, auth=admin)
    assert listed == counted.json()["total_entries"] == 12 * 3


@pytest.mark.slow
def test_two_instances_on_one_database_see_each_others_changes_at_once(
    database: str, tmp_path: Path, admin: Auth, viewer: Auth, make_user, dag_folder
) -> None:
    operator = make_user("olga", "Op")
    dag_folder({"chain.yaml": runs_scenarios.CHAIN_DAG})
    with (
        serve(database, tmp_path, instances=2, AUTH_CACHE_TTL="600") as (url_a, url_b),
        httpx.Client(base_url=f"{url_a}/api/v1", timeout=30) as a,
        httpx.Client(base_url=f"{url_b}/api/v1", timeout=30) as b,
    ):
        writes_are_shared(a, b, admin)
        writes_are_shared(b, a, admin)
        token_revocation_is_shared(a, b, admin)
        token_revocation_is_shared(b, a, admin)
        password_change_is_shared(a, b, admin, viewer)
        role_change_is_shared(a, b, admin, operator)
        concurrent_triggers_keep_exact_totals(a, b, admin)
