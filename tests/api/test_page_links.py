"""The page headers' values: Link relations in the client's style, page numbers, walking a list by them."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest

from tests.problems import assert_problem

POOLS = "/api/v1/pools"
NAMES = ["a", "b", "c", "d", "e"]  # with default_pool: six pools


@pytest.fixture
def pools(client: Any, admin: Any) -> list[str]:
    for name in NAMES:
        assert client.post(POOLS, json={"name": name, "slots": 1}, auth=admin).status_code == 200
    return sorted([*NAMES, "default_pool"])


def link_queries(response: Any) -> dict[str, list[tuple[str, str]]]:
    """rel -> its URL's query as ordered pairs (so the order and repetition of parameters show)."""
    return {rel: parse_qsl(urlsplit(link["url"]).query) for rel, link in response.links.items()}


def page_headers(response: Any) -> dict[str, str]:
    names = ("x-total", "x-total-pages", "x-page", "x-per-page", "x-next-page", "x-prev-page")
    return {name.removeprefix("x-"): response.headers[name] for name in names}


def test_a_middle_page_in_page_style(client: Any, admin: Any, pools: list[str]) -> None:
    response = client.get(f"{POOLS}?order_by=name&page=2&per_page=2", auth=admin)
    assert [pool["name"] for pool in response.json()["pools"]] == pools[2:4]
    assert response.json()["total_entries"] == 6  # the body stays Airflow's
    assert set(response.json()) == {"pools", "total_entries"}
    assert page_headers(response) == {
        "total": "6",
        "total-pages": "3",
        "page": "2",
        "per-page": "2",
        "next-page": "3",
        "prev-page": "1",
    }
    assert link_queries(response) == {
        "first": [("order_by", "name"), ("page", "1"), ("per_page", "2")],
        "prev": [("order_by", "name"), ("page", "1"), ("per_page", "2")],
        "next": [("order_by", "name"), ("page", "3"), ("per_page", "2")],
        "last": [("order_by", "name"), ("page", "3"), ("per_page", "2")],
    }
    assert all(link["url"].startswith("http://testserver/api/v1/pools?") for link in response.links.values())


def test_the_last_page_and_beyond(client: Any, admin: Any, pools: list[str]) -> None:
    last = client.get(f"{POOLS}?page=3&per_page=2", auth=admin)
    assert len(last.json()["pools"]) == 2
    assert (last.headers["x-next-page"], last.headers["x-prev-page"]) == ("", "2")
    assert set(last.links) == {"first", "prev", "last"}
    beyond = client.get(f"{POOLS}?page=9&per_page=2", auth=admin)
    assert beyond.json() == {"pools": [], "total_entries": 6}
    assert page_headers(beyond)["page"] == "9"
    assert page_headers(beyond)["next-page"] == ""
    assert page_headers(beyond)["total-pages"] == "3"


def test_airflow_style_requests_get_links_in_airflow_style(client: Any, admin: Any, pools: list[str]) -> None:
    response = client.get(f"{POOLS}?limit=2&offset=3&order_by=-name", auth=admin)
    assert [pool["name"] for pool in response.json()["pools"]] == sorted(pools, reverse=True)[3:5]
    # An offset that is not a multiple of the page size: the page holding its first item.
    assert page_headers(response)["page"] == "2"
    assert link_queries(response) == {
        "first": [("limit", "2"), ("offset", "0"), ("order_by", "-name")],
        "prev": [("limit", "2"), ("offset", "1"), ("order_by", "-name")],
        "next": [("limit", "2"), ("offset", "5"), ("order_by", "-name")],
        "last": [("limit", "2"), ("offset", "4"), ("order_by", "-name")],
    }


def test_a_request_without_paging_parameters(client: Any, admin: Any, pools: list[str]) -> None:
    response = client.get(POOLS, auth=admin)
    assert page_headers(response) == {
        "total": "6",
        "total-pages": "1",
        "page": "1",
        "per-page": "100",
        "next-page": "",
        "prev-page": "",
    }
    assert link_queries(response) == {
        "first": [("limit", "100"), ("offset", "0")],
        "last": [("limit", "100"), ("offset", "0")],
    }


def test_a_capped_limit_is_the_page_size(client: Any, admin: Any, pools: list[str]) -> None:
    response = client.get(f"{POOLS}?limit=500", auth=admin)
    assert response.headers["x-per-page"] == "100"
    assert link_queries(response)["first"] == [("limit", "100"), ("offset", "0")]


def test_an_empty_list_is_one_empty_page(client: Any, admin: Any) -> None:
    response = client.get("/api/v1/variables?page=1&per_page=5", auth=admin)
    assert response.json() == {"variables": [], "total_entries": 0}
    assert page_headers(response) == {
        "total": "0",
        "total-pages": "1",
        "page": "1",
        "per-page": "5",
        "next-page": "",
        "prev-page": "",
    }
    assert set(response.links) == {"first", "last"}


def test_links_keep_repeated_parameters_and_quote_values(
    client: Any, admin: Any, example_dags: list[str]
) -> None:
    response = client.get("/api/v1/dags?tags=ingest&tags=sales%20%26%20ops&per_page=1&page=1", auth=admin)
    assert response.status_code == 200, response.text
    assert link_queries(response)["first"] == [
        ("tags", "ingest"),
        ("tags", "sales & ops"),
        ("per_page", "1"),
        ("page", "1"),
    ]


def test_the_batch_forms_get_the_headers_without_links(
    client: Any, admin: Any, example_dags: list[str]
) -> None:
    for dag_id in ("etl_daily", "sales_report", "partner_feeds_hourly"):
        assert client.post(f"/api/v1/dags/{dag_id}/dagRuns", json={}, auth=admin).status_code == 200
    form = {"page_limit": 2, "page_offset": 2}
    response = client.post("/api/v1/dags/~/dagRuns/list", json=form, auth=admin)
    assert len(response.json()["dag_runs"]) == 1
    assert page_headers(response) == {
        "total": "3",
        "total-pages": "2",
        "page": "2",
        "per-page": "2",
        "next-page": "",
        "prev-page": "1",
    }
    assert "link" not in response.headers
    # Without page_limit the task instance form answers every match from page_offset on, as one page.
    instances = "/api/v1/dags/~/dagRuns/~/taskInstances/list"
    everything = client.post(instances, json={"page_offset": 1}, auth=admin)
    total = everything.json()["total_entries"]
    assert len(everything.json()["task_instances"]) == total - 1
    assert page_headers(everything)["per-page"] == str(total - 1)
    assert page_headers(everything)["total-pages"] == "1"
    # The query string takes no paging parameters there: the form carries them.
    assert_problem(client.post("/api/v1/dags/~/dagRuns/list?page=2", json={}, auth=admin), 400)


@pytest.mark.parametrize(("limit", "counted"), [(1, True), (4, False), (100, True)])
def test_the_page_style_runs_the_statements_limit_does(
    client: Any, admin: Any, pools: list[str], count_statements: list[str], limit: int, counted: bool
) -> None:
    client.get(POOLS, auth=admin)  # credentials cached
    count_statements.clear()
    client.get(f"{POOLS}?limit={limit}&offset={limit}", auth=admin)
    by_offset = list(count_statements)
    count_statements.clear()
    client.get(f"{POOLS}?page=2&per_page={limit}", auth=admin)
    assert count_statements == by_offset
    # Rows 5-6 of 6 tell the total without a count; a full page or one past the end does not. The
    # headers add none.
    assert any("count(*)" in statement for statement in by_offset) == counted


@pytest.mark.parametrize("style", ["page", "offset"])
def test_a_real_client_walks_every_page_by_the_next_link(
    live_server: str, client: Any, admin: Any, pools: list[str], style: str
) -> None:
    first = "page=1&per_page=4" if style == "page" else "limit=4"
    url: str | None = f"{live_server}{POOLS}?order_by=name&{first}"
    seen: list[str] = []
    pages = 0
    with httpx.Client(auth=admin) as http:
        while url is not None:
            response = http.get(url)
            assert response.status_code == 200
            seen += [pool["name"] for pool in response.json()["pools"]]
            pages += 1
            assert response.headers["x-page"] == str(pages)
            assert response.links["last"]["url"].startswith(f"{live_server}{POOLS}?order_by=name&")
            url = response.links.get("next", {}).get("url")
    assert seen == pools
    assert pages == 2
