"""get_health answers as Airflow 2.10.5 does given the job table (measured on its webserver)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from orchestrator_api import db
from orchestrator_api.models.run import Job
from orchestrator_api.timeutil import isoformat, utcnow


def add_job(job_type: str, state: str, age: timedelta) -> str:
    beat = utcnow() - age
    with db.session_factory()() as session, session.begin():
        session.add(Job(job_type=job_type, state=state, hostname="h", start_date=beat, latest_heartbeat=beat))
    stamp = isoformat(beat)
    assert stamp is not None
    return stamp


def test_without_any_job_the_scheduler_is_unhealthy_and_the_rest_null(client):
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.json() == {
        "metadatabase": {"status": "healthy"},
        "scheduler": {"status": "unhealthy", "latest_scheduler_heartbeat": None},
        "triggerer": {"status": None, "latest_triggerer_heartbeat": None},
        "dag_processor": {"status": None, "latest_dag_processor_heartbeat": None},
    }


def test_a_dags_sync_is_not_a_dag_processor(client, example_dags):
    assert client.get("/api/v1/health").json()["dag_processor"] == {
        "status": None,
        "latest_dag_processor_heartbeat": None,
    }


def test_a_running_scheduler_with_a_recent_heartbeat_is_healthy(client):
    beat = add_job("SchedulerJob", "running", timedelta(seconds=1))
    assert client.get("/api/v1/health").json()["scheduler"] == {
        "status": "healthy",
        "latest_scheduler_heartbeat": beat,
    }


@pytest.mark.parametrize(
    ("state", "age"), [("running", timedelta(minutes=5)), ("success", timedelta(seconds=1))]
)
def test_a_stale_or_stopped_scheduler_is_unhealthy_with_its_heartbeat(client, state, age):
    beat = add_job("SchedulerJob", state, age)
    assert client.get("/api/v1/health").json()["scheduler"] == {
        "status": "unhealthy",
        "latest_scheduler_heartbeat": beat,
    }


def test_the_most_recent_job_of_each_type_decides(client):
    add_job("SchedulerJob", "running", timedelta(minutes=10))
    beat = add_job("SchedulerJob", "running", timedelta(seconds=1))
    triggerer = add_job("TriggererJob", "running", timedelta(minutes=1))
    body = client.get("/api/v1/health").json()
    assert body["scheduler"] == {"status": "healthy", "latest_scheduler_heartbeat": beat}
    assert body["triggerer"] == {"status": "unhealthy", "latest_triggerer_heartbeat": triggerer}


def test_a_worker_reuses_its_reading_for_the_configured_time(client, settings_env):
    settings_env(HEALTH_CACHE_SECONDS="3600")
    assert client.get("/api/v1/health").json()["scheduler"]["status"] == "unhealthy"
    add_job("SchedulerJob", "running", timedelta(seconds=1))
    assert client.get("/api/v1/health").json()["scheduler"]["status"] == "unhealthy"  # the same reading
    settings_env(HEALTH_CACHE_SECONDS="0")
    assert client.get("/api/v1/health").json()["scheduler"]["status"] == "healthy"
