"""Page pagination (extension): `page`/`per_page` beside `limit`/`offset`, and the page headers of every list.

The list operations are found in the spec (a 200 answer with `total_entries`); ``LIST_CALLS`` must name a
request for each, so a new list operation without one fails here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from orchestrator_api.spec import operations
from tests import factories_runs
from tests.problems import assert_problem

DAY = datetime(2026, 3, 1, tzinfo=UTC)
FACT = "s3://warehouse/sales/fact_sales"
PAGE_HEADERS = ("x-total", "x-total-pages", "x-page", "x-per-page", "x-next-page", "x-prev-page")

# operationId -> (method, path, JSON body). Paths use the rows of the ``listed`` fixture.
LIST_CALLS: dict[str, tuple[str, str, dict[str, Any] | None]] = {
    "get_dags": ("GET", "/api/v1/dags", None),
    "patch_dags": ("PATCH", "/api/v1/dags?dag_id_pattern=e&update_mask=is_paused", {"is_paused": True}),
    "get_tasks": ("GET", "/api/v1/dags/etl_daily/tasks", None),
    "get_dag_stats": ("GET", "/api/v1/dagStats?dag_ids=etl_daily", None),
    "get_dag_runs": ("GET", "/api/v1/dags/~/dagRuns", None),
    "get_dag_runs_batch": ("POST", "/api/v1/dags/~/dagRuns/list", {"page_limit": 1}),
    "get_task_instances": ("GET", "/api/v1/dags/~/dagRuns/~/taskInstances", None),
    "get_task_instances_batch": ("POST", "/api/v1/dags/~/dagRuns/~/taskInstances/list", {"page_limit": 1}),
    "get_mapped_task_instances": (
        "GET",
        "/api/v1/dags/partner_feeds_hourly/dagRuns/day1/taskInstances/download_feed/listMapped",
        None,
    ),
    "get_task_instance_tries": (
        "GET",
        "/api/v1/dags/etl_daily/dagRuns/day1/taskInstances/extract_orders/tries",
        None,
    ),
    "get_mapped_task_instance_tries": (
        "GET",
        "/api/v1/dags/partner_feeds_hourly/dagRuns/day1/taskInstances/download_feed/0/tries",
        None,
    ),
    "get_connections": ("GET", "/api/v1/connections", None),
    "get_variables": ("GET", "/api/v1/variables", None),
    "get_pools": ("GET", "/api/v1/pools", None),
    "get_xcom_entries": ("GET", "/api/v1/dags/~/dagRuns/~/taskInstances/~/xcomEntries", None),
    "get_event_logs": ("GET", "/api/v1/eventLogs", None),
    "get_import_errors": ("GET", "/api/v1/importErrors", None),
    "get_dag_warnings": ("GET", "/api/v1/dagWarnings", None),
    "get_datasets": ("GET", "/api/v1/datasets", None),
    "get_dataset_events": ("GET", "/api/v1/datasets/events", None),
    "get_dataset_queued_events": ("GET", f"/api/v1/datasets/queuedEvent/{FACT}", None),
    "get_dag_dataset_queued_events": ("GET", "/api/v1/dags/sales_report/datasets/queuedEvent", None),
    "get_upstream_dataset_events": ("GET", "/api/v1/dags/etl_daily/dagRuns/day1/upstreamDatasetEvents", None),
    "get_plugins": ("GET", "/api/v1/plugins", None),
    "get_providers": ("GET", "/api/v1/providers", None),
    "get_users": ("GET", "/api/v1/users", None),
    "get_user_tokens": ("GET", "/api/v1/users/admin/tokens", None),
    "get_roles": ("GET", "/api/v1/roles", None),
    "get_permissions": ("GET", "/api/v1/permissions", None),
    "get_trigger_tokens": ("GET", "/api/v1/dags/etl_daily/triggerTokens", None),
    "get_workers": ("GET", "/api/v1/workers", None),
    "get_organizations": ("GET", "/api/v1/organizations", None),
    "get_organization_members": ("GET", "/api/v1/organizations/acme/members", None),
    "get_organization_tokens": ("GET", "/api/v1/organizations/acme/tokens", None),
}
LISTS = {op_id: info for op_id, info in operations().items() if info.lists}


@pytest.fixture
def listed(client: Any, admin: Any, example_dags: list[str]) -> None:
    """Rows for every list: runs with task instances (one mapped), a dataset event queued for a DAG."""
    factories_runs.run("etl_daily", "day1", DAY)
    factories_runs.run("partner_feeds_hourly", "day1", DAY)
    assert client.post("/api/v1/datasets/events", json={"dataset_uri": FACT}, auth=admin).status_code == 200
    for name in ("a", "b", "c"):
        assert client.post("/api/v1/pools", json={"name": name, "slots": 1}, auth=admin).status_code == 200
    organization = {"org_id": "acme", "name": "Acme"}
    assert client.post("/api/v1/organizations", json=organization, auth=admin).status_code == 201
    for name in ("ci", "deploy"):
        token = {"name": name, "role": "Viewer"}
        created = client.post("/api/v1/organizations/acme/tokens", json=token, auth=admin)
        assert created.status_code == 201, created.text


def call(client: Any, auth: Any, op_id: str, query: str = "") -> Any:
    method, path, body = LIST_CALLS[op_id]
    url = f"{path}{'&' if '?' in path else '?'}{query}" if query else path
    return client.request(method, url, json=body, auth=auth)


def items(body: dict[str, Any]) -> list[Any]:
    [collection] = [value for key, value in body.items() if key != "total_entries"]
    assert isinstance(collection, list)
    return collection


def links(response: Any) -> dict[str, dict[str, list[str]]]:
    """rel -> the query of its URL, from the Link header as a client parses it."""
    return {rel: parse_qs(urlsplit(link["url"]).query) for rel, link in response.links.items()}


def test_every_list_operation_is_called_here() -> None:
    assert set(LIST_CALLS) == set(LISTS)


def test_every_operation_with_limit_and_offset_takes_page_and_per_page() -> None:
    from orchestrator_api.spec import load_spec, resolve_ref

    spec = load_spec()
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if not isinstance(operation, dict) or "operationId" not in operation:
                continue
            names = {resolve_ref(spec, p)["name"] for p in operation.get("parameters", [])}
            if "limit" in names:
                assert {"page", "per_page", "offset"} <= names, (method, path)
            elif "page" in names:
                raise AssertionError(f"{method} {path} takes page without limit")


def test_every_list_declares_the_page_headers() -> None:
    from orchestrator_api.spec import load_spec

    spec = load_spec()
    for op_id, info in LISTS.items():
        declared = spec["paths"][info.path][info.method.lower()]["responses"]["200"]["headers"]
        assert {name.lower() for name in declared} == {"link", *PAGE_HEADERS}, op_id


@pytest.mark.parametrize("op_id", sorted(LIST_CALLS))
def test_every_list_answers_the_page_headers(client: Any, admin: Any, listed: None, op_id: str) -> None:
    info = LISTS[op_id]
    response = call(client, admin, op_id, "page=1&per_page=1" if info.pages else "")
    assert response.status_code == 200, response.text
    body = response.json()
    total = body["total_entries"]
    assert response.headers["x-total"] == str(total)
    paged = info.pages or info.method == "POST"  # the batch forms page by their body's page_limit
    if paged:
        assert len(items(body)) == min(1, total)
        assert response.headers["x-per-page"] == "1"
        assert response.headers["x-total-pages"] == str(max(1, total))
        assert response.headers["x-next-page"] == ("2" if total > 1 else "")
    else:  # not paged: everything in one page
        assert len(items(body)) == total
        assert response.headers["x-per-page"] == str(total)
        assert response.headers["x-total-pages"] == "1"
        assert response.headers["x-next-page"] == ""
    assert response.headers["x-page"] == "1"
    assert response.headers["x-prev-page"] == ""
    if info.method != "GET":
        # A link is something to GET: it cannot carry a body's page, nor repeat a change.
        assert "link" not in response.headers
    else:
        rels = links(response)
        assert {"first", "last"} <= set(rels)
        assert "prev" not in rels
        assert ("next" in rels) == (paged and total > 1)
        if info.pages:
            assert rels["first"]["page"] == ["1"]
            assert rels["first"]["per_page"] == ["1"]
            assert rels["last"]["page"] == [str(max(1, total))]


# A mutation answers what it changed, so two calls cannot be compared: reads only.
PAGED_READS = sorted(op for op, info in LISTS.items() if info.pages and info.method == "GET")


@pytest.mark.parametrize("op_id", PAGED_READS)
def test_page_and_per_page_answer_what_limit_and_offset_do(
    client: Any, admin: Any, listed: None, op_id: str
) -> None:
    by_offset = call(client, admin, op_id, "limit=1&offset=1")
    by_page = call(client, admin, op_id, "page=2&per_page=1")
    assert by_page.status_code == by_offset.status_code == 200
    assert by_page.json() == by_offset.json()
    for name in PAGE_HEADERS:
        assert by_page.headers[name] == by_offset.headers[name], name


MIXED = ["page=2&limit=4242", "per_page=4242&offset=3", "page=1&per_page=1&limit=1"]


@pytest.mark.parametrize("op_id", sorted(op for op, info in LISTS.items() if info.pages))
@pytest.mark.parametrize("query", MIXED)
def test_mixing_both_styles_is_refused(client: Any, admin: Any, listed: None, op_id: str, query: str) -> None:
    before = client.get("/api/v1/dags?limit=100", auth=admin).json()
    refused = call(client, admin, op_id, query)
    body = assert_problem(refused, 400, "either limit and offset or page and per_page")
    assert "4242" not in str(body)
    assert client.get("/api/v1/dags?limit=100", auth=admin).json() == before  # patch_dags changed nothing


@pytest.mark.parametrize(
    ("query", "detail"),
    [
        ("per_page=101", "per_page must be at most 100"),
        ("per_page=0", "'per_page'"),
        ("page=0", "'page'"),
        ("page=-1", "'page'"),
        ("page=two", "'page'"),
        ("per_page=99999999999", "'per_page'"),
    ],
)
def test_bad_page_parameters_are_refused(client: Any, admin: Any, query: str, detail: str) -> None:
    assert_problem(client.get(f"/api/v1/pools?{query}", auth=admin), 400, detail)


def test_per_page_is_bounded_by_the_configured_maximum(
    client: Any, admin: Any, listed: None, settings_env: Callable[..., None]
) -> None:
    settings_env(MAXIMUM_PAGE_LIMIT="3", FALLBACK_PAGE_LIMIT="2")
    assert_problem(client.get("/api/v1/pools?per_page=4", auth=admin), 400, "per_page must be at most 3")
    # Without per_page a page holds what a request without limit gets: the spec's default, capped.
    response = client.get("/api/v1/pools?page=1", auth=admin)
    assert len(response.json()["pools"]) == 3
    assert response.headers["x-per-page"] == "3"
    assert response.headers["x-total-pages"] == "2"  # default_pool and a, b, c
    assert links(response)["next"]["per_page"] == ["3"]
