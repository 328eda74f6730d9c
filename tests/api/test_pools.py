"""Pools: get_pools, post_pool, get_pool, patch_pool, delete_pool, with slot usage from task instances."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from tests import factories
from tests.factories_resources import etl_run_in_pool, event_log
from tests.problems import assert_problem

URL = "/api/v1/pools"
DAY_1 = datetime(2026, 3, 1, tzinfo=UTC)
DAY_2 = datetime(2026, 3, 2, tzinfo=UTC)
NO_USAGE = {
    "occupied_slots": 0,
    "running_slots": 0,
    "queued_slots": 0,
    "scheduled_slots": 0,
    "deferred_slots": 0,
}


@pytest.fixture
def three_pools(client: Any, admin: Any) -> list[str]:
    bodies = [
        {"name": "etl", "slots": 10, "description": "ETL jobs"},
        {"name": "api_calls", "slots": 2, "include_deferred": True},
        {"name": "unbounded", "slots": -1},
    ]
    for body in bodies:
        assert client.post(URL, json=body, auth=admin).status_code == 200
    return [body["name"] for body in bodies]


@pytest.fixture
def busy_pools(three_pools: list[str], example_dags: list[str]) -> list[str]:
    """etl and api_calls each hold task instances in every counted state, plus finished ones."""
    etl_run_in_pool(
        "busy_etl",
        DAY_1,
        "etl",
        extract_orders=("running", 2),
        clean_orders=("queued", 1),
        load_fact_sales=("scheduled", 3),
        notify_done=("deferred", 4),
    )
    etl_run_in_pool(
        "busy_api",
        DAY_2,
        "api_calls",
        extract_orders=("running", 1),
        clean_orders=("deferred", 2),
        load_fact_sales=("success", 5),
        notify_done=("failed", 7),
    )
    return three_pools


def names(response: Any) -> list[str]:
    return [p["name"] for p in response.json()["pools"]]


# ------------------------------------------------------------------------------------------------ create


def test_post_pool_answers_it_with_empty_usage(client, admin):
    response = client.post(URL, json={"name": "reports", "slots": 5, "description": "BI"}, auth=admin)
    assert response.status_code == 200
    assert response.json() == {
        "name": "reports",
        "slots": 5,
        **NO_USAGE,
        "open_slots": 5,
        "description": "BI",
        "include_deferred": False,
    }


def test_post_duplicate_pool_is_409(client, admin, three_pools):
    assert_problem(client.post(URL, json={"name": "etl", "slots": 1}, auth=admin), 409, "'etl'")
    assert_problem(client.post(URL, json={"name": "default_pool", "slots": 1}, auth=admin), 409)
    assert client.get(f"{URL}/etl", auth=admin).json()["slots"] == 10


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"slots": 1}, "name"),
        ({"name": "p"}, "slots"),
        ({"name": "p", "slots": 2**31}, "maximum"),
        ({"name": "p", "slots": 1.5}, "integer"),
        ({"name": "p", "slots": None}, "slots"),
        ({"name": "with space", "slots": 1}, "does not match"),
        ({"name": "..", "slots": 1}, "does not match"),
        ({"name": "p" * 257, "slots": 1}, "too long"),
        ({"name": "p", "slots": 1, "include_deferred": "yes"}, "include_deferred"),
        ({"name": "p", "slots": 1, "occupied_slots": 0}, "occupied_slots"),
        ({"name": "p", "slots": 1, "size": 3}, "size"),
        ({"name": "p", "slots": 1, "description": "nul\x00"}, "does not match"),
    ],
)
def test_post_pool_rejects_bad_bodies(client, admin, body, detail):
    assert_problem(client.post(URL, json=body, auth=admin), 400, detail)
    assert client.get(URL, auth=admin).json()["total_entries"] == 1  # only default_pool


def test_post_pool_needs_credentials_and_create_permission(client, viewer):
    assert_problem(client.post(URL, json={"name": "p", "slots": 1}), 401)
    assert_problem(client.post(URL, json={"name": "p", "slots": 1}, auth=viewer), 403, "can_create")


# ------------------------------------------------------------------------------------------------ read


def test_default_pool_exists_from_the_start(client, admin):
    assert client.get(f"{URL}/default_pool", auth=admin).json() == {
        "name": "default_pool",
        "slots": 128,
        **NO_USAGE,
        "open_slots": 128,
        "description": "Default pool",
        "include_deferred": False,
    }


def test_get_pool_counts_slots_by_state(client, admin, busy_pools):
    etl = client.get(f"{URL}/etl", auth=admin).json()
    assert etl == {
        "name": "etl",
        "slots": 10,
        "occupied_slots": 3,  # running 2 + queued 1; deferred not counted
        "running_slots": 2,
        "queued_slots": 1,
        "scheduled_slots": 3,
        "deferred_slots": 4,
        "open_slots": 7,
        "description": "ETL jobs",
        "include_deferred": False,
    }
    api = client.get(f"{URL}/api_calls", auth=admin).json()
    assert api["running_slots"] == 1
    assert api["deferred_slots"] == 2
    assert api["occupied_slots"] == 3  # include_deferred: running 1 + deferred 2
    assert api["open_slots"] == -1  # over-committed: 2 slots, 3 occupied


def test_include_deferred_changes_what_is_occupied(client, admin, busy_pools):
    response = client.patch(
        f"{URL}/etl?update_mask=include_deferred", json={"include_deferred": True}, auth=admin
    )
    assert response.json()["occupied_slots"] == 7
    assert response.json()["open_slots"] == 3


def test_unlimited_pool_has_open_slots_minus_one(client, admin, busy_pools):
    etl_run_in_pool(
        "unbounded_run", datetime(2026, 3, 3, tzinfo=UTC), "unbounded", extract_orders=("running", 9)
    )
    pool = client.get(f"{URL}/unbounded", auth=admin).json()
    assert pool["slots"] == -1
    assert pool["occupied_slots"] == 9
    assert pool["open_slots"] == -1


def test_get_missing_pool_is_404(client, admin):
    assert_problem(client.get(f"{URL}/nope", auth=admin), 404, "'nope'")


def test_a_nul_in_the_name_is_a_bad_request(client, admin):
    for method in ("get", "delete"):
        assert_problem(getattr(client, method)(f"{URL}/a%00b", auth=admin), 400, "does not match")


def test_get_pool_needs_read_permission(client, public_user):
    assert_problem(client.get(f"{URL}/default_pool"), 401)
    assert_problem(client.get(f"{URL}/default_pool", auth=public_user), 403, "can_read on Pools")


# ------------------------------------------------------------------------------------------------ list


def test_list_pools_counts_every_pool_on_the_page(client, admin, busy_pools):
    response = client.get(URL, auth=admin)
    assert response.status_code == 200
    body = response.json()
    assert body["total_entries"] == 4
    assert names(response) == ["default_pool", "etl", "api_calls", "unbounded"]
    by_name = {pool["name"]: pool for pool in body["pools"]}
    assert by_name["etl"]["running_slots"] == 2
    assert by_name["etl"]["open_slots"] == 7
    assert by_name["api_calls"]["occupied_slots"] == 3
    assert by_name["default_pool"]["occupied_slots"] == 0  # the finished and null states count nowhere
    assert by_name["unbounded"]["open_slots"] == -1


@pytest.mark.parametrize(
    ("order_by", "expected"),
    [
        ("name", ["api_calls", "default_pool", "etl", "unbounded"]),
        ("-name", ["unbounded", "etl", "default_pool", "api_calls"]),
        ("slots", ["unbounded", "api_calls", "etl", "default_pool"]),
        ("-slots", ["default_pool", "etl", "api_calls", "unbounded"]),
        ("-id", ["unbounded", "api_calls", "etl", "default_pool"]),
        ("-include_deferred", ["api_calls", "default_pool", "etl", "unbounded"]),
    ],
)
def test_list_pools_orders(client, admin, three_pools, order_by, expected):
    assert names(client.get(f"{URL}?order_by={order_by}", auth=admin)) == expected


def test_every_documented_order_by_is_accepted(client, admin, three_pools):
    for name in ("id", "name", "slots", "description", "include_deferred"):
        for term in (name, f"-{name}"):
            assert client.get(f"{URL}?order_by={term}", auth=admin).json()["total_entries"] == 4


def test_list_pools_pages_with_total_of_whole_set(client, admin, three_pools):
    first = client.get(f"{URL}?limit=3&order_by=name", auth=admin).json()
    second = client.get(f"{URL}?limit=3&offset=3&order_by=name", auth=admin).json()
    assert [p["name"] for p in first["pools"]] == ["api_calls", "default_pool", "etl"]
    assert [p["name"] for p in second["pools"]] == ["unbounded"]
    assert first["total_entries"] == second["total_entries"] == 4
    assert client.get(f"{URL}?offset=9", auth=admin).json() == {"pools": [], "total_entries": 4}


@pytest.mark.parametrize(
    ("query", "detail"),
    [("limit=-1", "minimum"), ("offset=x", "integer"), ("order_by=open_slots", "open_slots"), ("x=1", "x")],
)
def test_list_pools_rejects_bad_parameters(client, admin, query, detail):
    assert_problem(client.get(f"{URL}?{query}", auth=admin), 400, detail)


def test_list_pools_needs_read_permission(client, viewer, public_user):
    assert_problem(client.get(URL), 401)
    assert client.get(URL, auth=viewer).status_code == 200, "Viewers read pools, as in Airflow"
    assert_problem(client.get(URL, auth=public_user), 403, "Pools")


@pytest.mark.parametrize("limit", [1, 3, 100])
def test_list_pools_runs_fixed_statements(client, admin, busy_pools, count_statements, limit):
    client.get(URL, auth=admin)  # the first call verifies and caches the credentials
    count_statements.clear()
    response = client.get(f"{URL}?limit={limit}&order_by=-name", auth=admin)
    assert len(response.json()["pools"]) == min(limit, 4)
    # principal check + page + one grouped slot-usage query [+ count when the page is full]
    assert len(count_statements) == (4 if limit < 4 else 3), count_statements
    usage = [s for s in count_statements if "task_instance" in s]
    assert len(usage) == 1
    assert "GROUP BY" in usage[0]


# ------------------------------------------------------------------------------------------------ patch


def test_patch_pool_with_mask_changes_only_masked_fields(client, admin, busy_pools):
    current = client.get(f"{URL}/etl", auth=admin).json()
    sent = {"name": "etl", "slots": 20, "description": "ignored"}
    response = client.patch(f"{URL}/etl?update_mask=slots", json=sent, auth=admin)
    assert response.status_code == 200
    assert response.json() == {**current, "slots": 20, "open_slots": 17}


def test_patch_pool_without_mask_replaces_it_as_airflow_does(client, admin, busy_pools):
    client.patch(f"{URL}/etl?update_mask=include_deferred", json={"include_deferred": True}, auth=admin)
    current = client.get(f"{URL}/etl", auth=admin).json()
    response = client.patch(f"{URL}/etl", json={"name": "etl", "slots": 12}, auth=admin)
    assert response.status_code == 200
    # include_deferred left out goes back to false; the description left out keeps its value.
    assert response.json()["include_deferred"] is False
    assert response.json()["description"] == current["description"]
    assert response.json()["slots"] == 12


@pytest.mark.parametrize(("body", "missing"), [({"slots": 3}, "['name']"), ({"name": "etl"}, "['slots']")])
def test_patch_pool_without_mask_needs_name_and_slots(client, admin, busy_pools, body, missing):
    assert_problem(client.patch(f"{URL}/etl", json=body, auth=admin), 400, missing)
    assert client.get(f"{URL}/etl", auth=admin).json()["slots"] == 10


def test_patch_pool_refuses_read_only_fields_whatever_their_value(client, admin, busy_pools):
    current = client.get(f"{URL}/etl", auth=admin).json()
    response = client.patch(f"{URL}/etl", json=current, auth=admin)
    assert_problem(response, 400, "Property is read-only")


def test_pool_slots_may_be_negative_as_in_airflow(client, admin):
    response = client.post(URL, json={"name": "neg", "slots": -5}, auth=admin)
    assert response.status_code == 200
    assert (response.json()["slots"], response.json()["open_slots"]) == (-5, -5)


def test_patch_pool_refuses_a_changed_read_only_field(client, admin, busy_pools):
    response = client.patch(f"{URL}/etl", json={"name": "etl", "slots": 3, "running_slots": 0}, auth=admin)
    assert_problem(response, 400, "running_slots")
    assert client.get(f"{URL}/etl", auth=admin).json()["slots"] == 10


def test_patch_pool_renames_it(client, admin, three_pools, example_dags):
    # A task instance already waiting for a pool called "reporting" counts once the pool has that name.
    etl_run_in_pool("waiting", DAY_1, "reporting", clean_orders=("scheduled", 2))
    response = client.patch(f"{URL}/etl?update_mask=name", json={"name": "reporting"}, auth=admin)
    assert response.status_code == 200
    assert response.json()["name"] == "reporting"
    assert response.json()["scheduled_slots"] == 2
    assert_problem(client.get(f"{URL}/etl", auth=admin), 404)
    assert client.get(f"{URL}/reporting", auth=admin).json()["description"] == "ETL jobs"


def test_patch_pool_refuses_to_rename_the_default_pool(client, admin):
    response = client.patch(f"{URL}/default_pool", json={"name": "renamed", "slots": 1}, auth=admin)
    assert_problem(response, 400, "Default Pool's name can't be modified")
    same = client.patch(f"{URL}/default_pool", json={"name": "default_pool", "slots": 64}, auth=admin)
    assert same.json()["slots"] == 64
    masked = client.patch(
        f"{URL}/default_pool?update_mask=slots", json={"name": "x", "slots": 32}, auth=admin
    )
    assert (masked.json()["name"], masked.json()["slots"]) == ("default_pool", 32)


def test_patch_pool_refuses_a_taken_name_or_a_pool_in_use(client, admin, busy_pools):
    taken = client.patch(f"{URL}/unbounded", json={"name": "etl", "slots": 1}, auth=admin)
    assert_problem(taken, 409, "etl already exists")
    assert_problem(client.patch(f"{URL}/etl", json={"name": "etl2", "slots": 1}, auth=admin), 409, "in use")
    assert client.get(f"{URL}/etl", auth=admin).status_code == 200


@pytest.mark.parametrize(
    ("query", "body", "detail"),
    [
        ("update_mask=open_slots", {"slots": 1}, "'open_slots' is not one of"),
        ("update_mask=size", {"slots": 1}, "'size' is not one of"),
        ("", {"name": "etl", "slots": 2**31}, "maximum"),
        ("", {"name": "etl", "slots": 1, "colour": "red"}, "colour"),
        ("", {"name": "etl", "slots": 1, "include_deferred": None}, "include_deferred"),
    ],
)
def test_patch_pool_rejects_bad_masks_and_bodies_and_writes_nothing(
    client, admin, three_pools, query, body, detail
):
    assert_problem(client.patch(f"{URL}/etl?{query}", json=body, auth=admin), 400, detail)
    assert client.get(f"{URL}/etl", auth=admin).json()["slots"] == 10


def test_patch_missing_pool_is_404(client, admin):
    assert_problem(client.patch(f"{URL}/nope", json={"slots": 1}, auth=admin), 404, "'nope'")


def test_patch_pool_needs_edit_permission(client, viewer):
    assert_problem(client.patch(f"{URL}/default_pool", json={"slots": 1}), 401)
    assert_problem(client.patch(f"{URL}/default_pool", json={"slots": 1}, auth=viewer), 403, "can_edit")


# ------------------------------------------------------------------------------------------------ delete


def test_delete_pool_removes_it(client, admin, three_pools):
    response = client.delete(f"{URL}/unbounded", auth=admin)
    assert response.status_code == 204
    assert response.content == b""
    assert_problem(client.get(f"{URL}/unbounded", auth=admin), 404)
    assert_problem(client.delete(f"{URL}/unbounded", auth=admin), 404)


def test_delete_default_pool_is_400(client, admin):
    assert_problem(client.delete(f"{URL}/default_pool", auth=admin), 400, "Default Pool can't be deleted")
    assert client.get(f"{URL}/default_pool", auth=admin).status_code == 200


def test_delete_pool_in_use_is_409_until_its_task_instances_finish(client, admin, busy_pools):
    response = client.delete(f"{URL}/api_calls", auth=admin)
    assert_problem(
        response, 409, "in use by task instances (slots running 1, queued 0, scheduled 0, deferred 2)"
    )
    factories.set_task_instance("etl_daily", "busy_api", "extract_orders", state="success")
    factories.set_task_instance("etl_daily", "busy_api", "clean_orders", state="failed")
    assert client.delete(f"{URL}/api_calls", auth=admin).status_code == 204


def test_delete_pool_needs_delete_permission(client, viewer, three_pools):
    assert_problem(client.delete(f"{URL}/etl"), 401)
    assert_problem(client.delete(f"{URL}/etl", auth=viewer), 403, "can_delete")


def test_pool_changes_are_audited(client, admin, three_pools):
    client.patch(f"{URL}/etl?update_mask=slots", json={"slots": 3}, auth=admin)
    client.delete(f"{URL}/unbounded", auth=admin)
    events = [row["event"] for row in event_log()]
    assert events == [*(["api.post_pool"] * 3), "api.patch_pool", "api.delete_pool"]
