"""Task instance journeys through apache-airflow-client 2.10.0: lists, mapped instances, marking,
clearing and setting states through DAGApi, tries, logs, links and dependencies."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from airflow_client.client.api.dag_api import DAGApi
from airflow_client.client.api.task_instance_api import TaskInstanceApi
from airflow_client.client.exceptions import ApiException
from airflow_client.client.model.clear_task_instances import ClearTaskInstances
from airflow_client.client.model.list_task_instance_form import ListTaskInstanceForm
from airflow_client.client.model.set_task_instance_note import SetTaskInstanceNote
from airflow_client.client.model.task_state import TaskState
from airflow_client.client.model.update_task_instance import UpdateTaskInstance
from airflow_client.client.model.update_task_instances_state import UpdateTaskInstancesState
from airflow_client.client.model.update_task_state import UpdateTaskState

from orchestrator_api.config import get_settings
from tests import factories, factories_runs

FEEDS = "partner_feeds_hourly"


@pytest.fixture
def feeds_run(example_dags: list[str]) -> str:
    factories_runs.run(FEEDS, "p1", datetime(2026, 3, 1, tzinfo=UTC), state="running")
    started = datetime(2026, 3, 1, 0, 1, tzinfo=UTC)
    factories.set_task_instance(
        FEEDS, "p1", "list_partners", state="success", try_number=2, start_date=started, end_date=started
    )
    factories_runs.history(FEEDS, "p1", "list_partners", 1, "failed")
    factories.set_task_instance(FEEDS, "p1", "download_feed", 0, state="failed", try_number=1)
    factories.write_log(
        Path(get_settings().logs_folder), FEEDS, "p1", "list_partners", 2, "listed 3 partners\n"
    )
    return "p1"


def test_list_and_read_task_instances(sdk, feeds_run):
    api = TaskInstanceApi(sdk)
    listed = api.get_task_instances(FEEDS, "p1", state=["success", "failed"], limit=10)
    assert listed.total_entries == 2
    assert {ti.task_id for ti in listed.task_instances} == {"list_partners", "download_feed"}
    everything = api.get_task_instances("~", "~")
    assert everything.total_entries == 10
    assert any(ti.state is None for ti in everything.task_instances)

    one = api.get_task_instance(FEEDS, "p1", "list_partners")
    assert one.state == TaskState("success")
    assert one.try_number == 2
    assert one.execution_date.startswith("2026-03-01T00:00:00")
    assert one.sla_miss is None

    batch = api.get_task_instances_batch(
        ListTaskInstanceForm(dag_ids=[FEEDS], task_ids=["download_feed"], state=[TaskState("failed")])
    )
    assert [(ti.task_id, ti.map_index) for ti in batch.task_instances] == [("download_feed", 0)]


def test_mapped_task_instances(sdk, feeds_run):
    api = TaskInstanceApi(sdk)
    mapped = api.get_mapped_task_instances(FEEDS, "p1", "download_feed", order_by="-map_index")
    assert [ti.map_index for ti in mapped.task_instances] == [2, 1, 0]
    second = api.get_mapped_task_instance(FEEDS, "p1", "download_feed", 1)
    assert second.map_index == 1
    reference = api.patch_mapped_task_instance(
        FEEDS,
        "p1",
        "download_feed",
        1,
        update_task_instance=UpdateTaskInstance(new_state=UpdateTaskState("skipped"), dry_run=False),
    )
    assert reference.to_dict() == {}
    assert api.get_mapped_task_instance(FEEDS, "p1", "download_feed", 1).state == TaskState("skipped")
    deps = api.get_mapped_task_instance_dependencies(FEEDS, "p1", "download_feed", 2)
    assert [d.name for d in deps.dependencies] == ["Task Instance State"]  # not scheduled yet


def test_mapped_tries_and_notes(sdk, feeds_run):
    factories.set_task_instance(FEEDS, "p1", "download_feed", 1, state="success", try_number=2)
    factories_runs.history(FEEDS, "p1", "download_feed", 1, "up_for_retry", map_index=1)
    api = TaskInstanceApi(sdk)
    tries = api.get_mapped_task_instance_tries(FEEDS, "p1", "download_feed", 1)
    assert [(t.try_number, t.map_index, t.state.value) for t in tries.task_instances] == [
        (1, 1, "up_for_retry"),
        (2, 1, "success"),
    ]
    first = api.get_mapped_task_instance_try_details(FEEDS, "p1", "download_feed", 1, 1)
    assert (first.try_number, first.state) == (1, TaskState("up_for_retry"))

    noted = api.set_mapped_task_instance_note(
        FEEDS, "p1", "download_feed", 1, SetTaskInstanceNote(note="partner 1 re-sent its feed")
    )
    assert (noted.map_index, noted.note) == (1, "partner 1 re-sent its feed")
    assert api.get_mapped_task_instance(FEEDS, "p1", "download_feed", 0).note is None


def test_patch_note_tries_logs_and_links(sdk, feeds_run):
    api = TaskInstanceApi(sdk)
    preview = api.patch_task_instance(
        FEEDS, "p1", "check_feeds", UpdateTaskInstance(new_state=UpdateTaskState("success"))
    )
    assert preview.task_id == "check_feeds"
    assert api.get_task_instance(FEEDS, "p1", "check_feeds").state is None, "dry_run is the default"
    reference = api.patch_task_instance(
        FEEDS, "p1", "check_feeds", UpdateTaskInstance(new_state=UpdateTaskState("success"), dry_run=False)
    )
    assert reference.to_dict() == {}  # as Airflow 2.10.5 answers a change it made
    noted = api.set_task_instance_note(FEEDS, "p1", "check_feeds", SetTaskInstanceNote(note="done by hand"))
    assert noted.note == "done by hand"
    assert noted.state == TaskState("success")

    tries = api.get_task_instance_tries(FEEDS, "p1", "list_partners")
    assert [(t.try_number, t.state.value) for t in tries.task_instances] == [(1, "failed"), (2, "success")]
    assert api.get_task_instance_try_details(FEEDS, "p1", "list_partners", 1).state == TaskState("failed")

    log = api.get_log(FEEDS, "p1", "list_partners", 2)
    assert log.content == "listed 3 partners\n"
    assert log.continuation_token
    whole = api.get_log(FEEDS, "p1", "list_partners", 2, full_content=True, token=log.continuation_token)
    assert whole.content == "listed 3 partners\n"
    rest = api.get_log(FEEDS, "p1", "list_partners", 2, token=log.continuation_token)
    assert rest.content == ""
    not_yet = api.get_log(FEEDS, "p1", "merge_feeds", 1)
    assert "has not happened" in not_yet.content
    assert not_yet.continuation_token

    links = api.get_extra_links(FEEDS, "p1", "download_feed")
    assert links.extra_links[0].name == "Feed log"
    assert links.extra_links[0].href.startswith("https://logs.example.com/partner_feeds_hourly/p1/")

    deps = api.get_task_instance_dependencies(FEEDS, "p1", "merge_feeds")
    assert [d.name for d in deps.dependencies] == ["Task Instance State", "Trigger Rule"]


def test_clear_and_set_state_through_the_dag_api(sdk, feeds_run):
    dags = DAGApi(sdk)
    preview = dags.post_clear_task_instances(FEEDS, ClearTaskInstances(dag_run_id="p1"))
    assert [(ti.task_id, ti.dag_run_id) for ti in preview.task_instances] == [("download_feed", "p1")]
    cleared = dags.post_clear_task_instances(FEEDS, ClearTaskInstances(dag_run_id="p1", dry_run=False))
    assert len(cleared.task_instances) == 1
    assert factories_runs.dag_run(FEEDS, "p1").state == "running", "runs are reset only when asked"
    instances = TaskInstanceApi(sdk)
    assert instances.get_mapped_task_instance(FEEDS, "p1", "download_feed", 0).state is None

    changed = dags.post_set_task_instances_state(
        FEEDS,
        UpdateTaskInstancesState(
            task_id="check_feeds",
            dag_run_id="p1",
            new_state=UpdateTaskState("failed"),
            include_upstream=False,
            include_downstream=True,
            include_future=False,
            include_past=False,
            dry_run=False,
        ),
    )
    assert {ti.task_id for ti in changed.task_instances} == {
        "check_feeds", "validate_feeds", "quarantine_feeds", "merge_feeds", "alert_on_failure", "report_run",
    }  # fmt: skip
    assert instances.get_task_instance(FEEDS, "p1", "report_run").state == TaskState("failed")


def test_errors_carry_the_problem_body(sdk, feeds_run):
    api = TaskInstanceApi(sdk)
    with pytest.raises(ApiException) as caught:
        api.get_task_instance(FEEDS, "p1", "download_feed")
    assert caught.value.status == 404
    problem = json.loads(caught.value.body)
    assert problem["type"].endswith("#section/Errors/NotFound")
    assert "mapped" in problem["detail"]
    with pytest.raises(ApiException) as long_note:
        api.set_task_instance_note(FEEDS, "p1", "list_partners", SetTaskInstanceNote(note="n" * 1001))
    assert long_note.value.status == 400
    assert "note" in json.loads(long_note.value.body)["detail"]
    with pytest.raises(ApiException) as bad_token:
        api.get_log(FEEDS, "p1", "list_partners", 2, token="forged")
    assert bad_token.value.status == 400
    assert "not valid" in json.loads(bad_token.value.body)["detail"]
