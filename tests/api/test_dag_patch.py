"""DAGs: patch_dag and patch_dags with and without update_mask, and edge cases of the DAG paths."""

from __future__ import annotations

import pytest

from tests.api.dag_fixtures import ids
from tests.problems import assert_problem


def test_patch_dag_with_mask_changes_only_masked_field(client, admin, three_dags):
    before = client.get("/api/v1/dags/alpha_etl", auth=admin).json()
    sent = {"is_paused": False}  # every other DAG field is read-only, so a body cannot carry one
    response = client.patch("/api/v1/dags/alpha_etl?update_mask=is_paused", json=sent, auth=admin)
    assert response.status_code == 200
    assert response.json()["is_paused"] is False
    assert response.json()["description"] == before["description"]
    assert client.get("/api/v1/dags/alpha_etl", auth=admin).json()["is_paused"] is False


def test_patch_dag_without_mask_applies_writable_fields(client, admin, three_dags):
    response = client.patch("/api/v1/dags/beta_report", json={"is_paused": True}, auth=admin)
    assert response.status_code == 200
    assert response.json()["is_paused"] is True


def test_patch_dag_refuses_read_only_fields_as_airflow_does(client, admin, three_dags):
    current = client.get("/api/v1/dags/beta_report", auth=admin).json()
    response = client.patch("/api/v1/dags/beta_report", json={**current, "is_paused": True}, auth=admin)
    assert_problem(response, 400, "Property is read-only")
    assert client.get("/api/v1/dags/beta_report", auth=admin).json()["is_paused"] is current["is_paused"]


@pytest.mark.parametrize(
    ("query", "body", "detail"),
    [
        ("update_mask=owners", {"owners": ["x"]}, "owners"),
        ("update_mask=nonsense", {"nonsense": 1}, "nonsense"),
        ("", {"is_paused": True, "dag_id": "renamed"}, "Property is read-only - 'dag_id'"),
        ("", {"is_paused": True, "colour": "red"}, "colour"),
        ("", {"is_paused": None}, "is_paused"),
        ("", {"is_paused": "yes please"}, "is_paused"),
    ],
)
def test_patch_dag_rejects_bad_masks_and_bodies_and_writes_nothing(
    client, admin, three_dags, query, body, detail
):
    response = client.patch(f"/api/v1/dags/alpha_etl?{query}", json=body, auth=admin)
    assert_problem(response, 400, detail)
    assert client.get("/api/v1/dags/alpha_etl", auth=admin).json()["is_paused"] is True


def test_patch_dag_mask_naming_a_field_the_body_lacks_changes_nothing(client, admin, three_dags):
    response = client.patch("/api/v1/dags/alpha_etl?update_mask=is_paused", json={}, auth=admin)
    assert response.status_code == 200
    assert response.json()["is_paused"] is True


@pytest.mark.parametrize(
    "order_by",
    [
        "dag_id",
        "dag_display_name",
        "next_dagrun",
        "last_parsed_time",
        "is_paused",
        "is_active",
        "fileloc",
        "owners",
    ],
)
def test_every_documented_order_by_is_accepted(client, admin, three_dags, order_by):
    forward = client.get(f"/api/v1/dags?order_by={order_by}", auth=admin)
    backward = client.get(f"/api/v1/dags?order_by=-{order_by}", auth=admin)
    assert forward.status_code == backward.status_code == 200
    assert forward.json()["total_entries"] == 3


def test_unsupported_method_lists_every_allowed_method(client, admin):
    response = client.put("/api/v1/dags", auth=admin)
    assert_problem(response, 405, framework=True)
    assert response.headers["allow"] == "HEAD, GET, POST, PATCH"


def test_non_utf8_body_is_a_bad_request(client, admin, three_dags):
    response = client.patch(
        "/api/v1/dags/alpha_etl",
        content=b"\xff\xfe{",
        headers={"Content-Type": "application/json"},
        auth=admin,
    )
    assert_problem(response, 400)


def test_patch_dag_mask_may_be_comma_separated_or_repeated(client, admin, three_dags):
    body = {"is_paused": False}
    assert (
        client.patch(
            "/api/v1/dags/alpha_etl?update_mask=is_paused,is_paused", json=body, auth=admin
        ).status_code
        == 200
    )
    response = client.patch(
        "/api/v1/dags/alpha_etl?update_mask=is_paused&update_mask=owners", json=body, auth=admin
    )
    assert_problem(response, 400, "owners")


def test_patch_dag_refuses_non_json(client, admin, three_dags):
    response = client.patch(
        "/api/v1/dags/alpha_etl",
        content=b"is_paused=true",
        headers={"Content-Type": "text/plain"},
        auth=admin,
    )
    assert_problem(response, 415, framework=True)
    broken = client.patch(
        "/api/v1/dags/alpha_etl",
        content=b"{not json",
        headers={"Content-Type": "application/json"},
        auth=admin,
    )
    assert_problem(broken, 400)


def test_patch_dag_needs_edit_permission(client, viewer, three_dags):
    assert_problem(
        client.patch("/api/v1/dags/alpha_etl", json={"is_paused": False}, auth=viewer), 403, "can_edit"
    )


def test_patch_missing_dag_is_404(client, admin):
    assert_problem(client.patch("/api/v1/dags/nope", json={"is_paused": True}, auth=admin), 404)


def test_patch_dags_pauses_matching_dags(client, admin, three_dags):
    response = client.patch(
        "/api/v1/dags?dag_id_pattern=etl&update_mask=is_paused", json={"is_paused": True}, auth=admin
    )
    assert response.status_code == 200
    assert ids(response) == ["alpha_etl", "gamma_etl"]
    assert all(d["is_paused"] for d in response.json()["dags"])
    assert client.get("/api/v1/dags/gamma_etl", auth=admin).json()["is_paused"] is True
    assert client.get("/api/v1/dags/beta_report", auth=admin).json()["is_paused"] is False


def test_patch_dags_tilde_matches_all_and_tags_narrow(client, admin, three_dags):
    response = client.patch("/api/v1/dags?dag_id_pattern=~&tags=report", json={"is_paused": True}, auth=admin)
    assert ids(response) == ["beta_report"]
    everything = client.patch("/api/v1/dags?dag_id_pattern=~", json={"is_paused": False}, auth=admin)
    assert ids(everything) == ["alpha_etl", "beta_report", "gamma_etl"]


def test_patch_dags_changes_one_page_and_counts_every_match(client, admin, three_dags):
    response = client.patch(
        "/api/v1/dags?dag_id_pattern=~&limit=1&offset=1", json={"is_paused": True}, auth=admin
    )
    assert ids(response) == ["beta_report"]
    assert response.json()["total_entries"] == 3
    assert client.get("/api/v1/dags/gamma_etl", auth=admin).json()["is_paused"] is False, "beyond the page"
    past_the_end = client.patch(
        "/api/v1/dags?dag_id_pattern=etl&offset=5", json={"is_paused": True}, auth=admin
    )
    assert past_the_end.json() == {"dags": [], "total_entries": 2}


def test_patch_dags_rejects_other_fields(client, admin, three_dags):
    assert_problem(
        client.patch("/api/v1/dags?dag_id_pattern=~", json={"dag_id": "x"}, auth=admin), 400, "dag_id"
    )
    assert_problem(client.patch("/api/v1/dags", json={"is_paused": True}, auth=admin), 400, "dag_id_pattern")
