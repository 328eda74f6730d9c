"""Through a real server, concurrent requests for different organizations never see each other's rows."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

from tests.tenancy.conftest import in_org


def test_concurrent_requests_each_stay_in_their_organization(
    live_server: str, two_orgs: dict[str, Any]
) -> None:
    def read(org_id: str) -> tuple[str, str, int]:
        headers = {} if org_id == "default" else in_org(org_id)
        with httpx.Client(base_url=live_server, auth=two_orgs[org_id], headers=headers, timeout=30) as http:
            value = http.get("/api/v1/variables/shared").json()["value"]
            dags = http.get("/api/v1/dags").json()
            return org_id, f"{value}|{dags['dags'][0]['description']}", dags["total_entries"]

    wanted = ["acme", "globex", "default"] * 8
    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(read, wanted))
    assert answers == [(org_id, f"{org_id}|{org_id}", 1) for org_id in wanted]
    stranger = httpx.get(
        f"{live_server}/api/v1/variables", headers=in_org("globex"), auth=two_orgs["acme"], timeout=30
    )
    assert stranger.status_code == 404
    assert stranger.headers["content-type"].startswith("application/problem+json")
    assert stranger.json()["title"] == "Organization not found"
