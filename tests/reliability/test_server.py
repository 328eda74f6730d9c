"""The real server (`orchestrator-api serve`): unparsable requests get problems, and recycling a worker
under keep-alive load drops no connection."""

from __future__ import annotations

import contextlib
import json
import re
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from orchestrator_api.concurrency import STREAM_THREADS
from tests.reliability.conftest import raw_request, split_response

MALFORMED = [
    b"GET /api/v1/version HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n",
    b"GET /api/v1/version HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
    b"GET /api/v1/version HTTP/1.1\r\nHost: x\r\nBad Name: value\r\n\r\n",
]


def test_requests_the_http_parser_rejects_get_problems(serve):
    served = serve(workers=1)
    for payload in MALFORMED:
        status, headers, body = split_response(raw_request(served.url, payload))
        assert status == 400
        assert headers["content-type"].startswith("application/problem+json"), headers
        problem = json.loads(body)
        assert problem["status"] == 400
        assert problem["type"].endswith("#section/Errors/BadRequest")
        assert problem["detail"].startswith("The HTTP request is malformed")


def test_keep_alive_clients_lose_nothing_when_workers_are_recycled(serve, admin):
    served = serve(workers=2, MAX_REQUESTS="40")
    errors: list[str] = []

    def client_loop(_: int) -> list[int]:
        statuses = []
        with httpx.Client(auth=admin, timeout=30) as keep_alive:
            for _ in range(60):
                try:
                    statuses.append(keep_alive.get(f"{served.url}/api/v1/pools").status_code)
                except httpx.TransportError as exc:
                    errors.append(type(exc).__name__)
        return statuses

    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = [status for batch in pool.map(client_loop, range(6)) for status in batch]
    recycled = re.findall(r"Maximum request limit of \d+ exceeded", served.log())
    assert recycled, "the load was meant to cross a worker recycle"
    assert errors == []
    assert statuses == [200] * 360


@pytest.mark.parametrize("setting", ["0"])
def test_workers_are_not_recycled_by_default(serve, admin, setting):
    served = serve(workers=1, MAX_REQUESTS=setting)
    with httpx.Client(auth=admin) as keep_alive:
        assert all(keep_alive.get(f"{served.url}/api/v1/pools").status_code == 200 for _ in range(50))
    assert "Maximum request limit" not in served.log()


def test_headers_that_never_finish_get_a_problem(serve):
    served = serve(workers=1, BODY_READ_TIMEOUT="1")
    # uvicorn alone would wait for the rest of these headers for as long as the client stays.
    status, headers, body = split_response(
        raw_request(served.url, b"GET /api/v1/version HTTP/1.1\r\nHost: x\r\nX-Slow: ", timeout=15)
    )
    assert status == 400
    assert headers["content-type"].startswith("application/problem+json")
    assert "did not arrive in time" in json.loads(body)["detail"]


QUIET = """
dag_id: quiet
schedule: null
start_date: 2026-01-01
tasks:
  - task_id: only
    operator: BashOperator
    bash_command: "true"
"""


def test_open_run_watches_do_not_hold_back_other_requests(serve, admin, dag_folder):
    """With room for one request at a time, three watchers of a run that never moves (no scheduler)
    keep their streams open and every other request is still answered."""
    dag_folder({"quiet.yaml": QUIET})
    served = serve(workers=1, REQUEST_CONCURRENCY="1")
    api = f"{served.url}/api/v1"
    with httpx.Client(auth=admin, timeout=20) as client:
        client.patch(f"{api}/dags/quiet", json={"is_paused": False}).raise_for_status()
        run_id = client.post(f"{api}/dags/quiet/dagRuns", json={}).json()["dag_run_id"]
        url = f"{api}/dags/quiet/dagRuns/{run_id}/wait"
        with contextlib.ExitStack() as open_streams:
            watchers = [
                open_streams.enter_context(client.stream("GET", url, params={"interval": 0.2}))
                for _ in range(3)
            ]
            lines = [watcher.iter_lines() for watcher in watchers]
            assert [json.loads(next(each))["state"] for each in lines] == ["queued"] * 3
            for _ in range(5):
                assert client.get(f"{api}/pools").status_code == 200
                assert client.get(f"{api}/dags/quiet/dagRuns/{run_id}").json()["state"] == "queued"
            # The watchers are still being served: each has another line by now.
            assert [json.loads(next(each))["state"] for each in lines] == ["queued"] * 3
            # Ending the run ends the streams.
            client.patch(f"{api}/dags/quiet/dagRuns/{run_id}", json={"state": "success"}).raise_for_status()
            assert [json.loads(list(each)[-1])["state"] for each in lines] == ["success"] * 3


def test_watchers_that_hang_up_free_their_threads(serve, admin, dag_folder):
    """Twice as many watchers as a worker has threads come and go on a run that never moves, each hanging
    up after its first line: each one's thread is freed, so the next watchers and other requests are served
    (an abandoned stream used to keep its thread until the run ended)."""
    dag_folder({"quiet.yaml": QUIET})
    served = serve(workers=1)
    api = f"{served.url}/api/v1"
    with httpx.Client(auth=admin, timeout=20) as client:
        client.patch(f"{api}/dags/quiet", json={"is_paused": False}).raise_for_status()
        run_id = client.post(f"{api}/dags/quiet/dagRuns", json={}).json()["dag_run_id"]
        url = f"{api}/dags/quiet/dagRuns/{run_id}/wait"
        for _ in range(2 * STREAM_THREADS):
            with (
                httpx.Client(auth=admin, timeout=20) as watcher,
                watcher.stream("GET", url, params={"interval": 0.1}) as stream,
            ):
                assert json.loads(next(stream.iter_lines()))["state"] == "queued"
        assert client.get(f"{api}/pools").status_code == 200
        assert client.get(f"{api}/dags/quiet/dagRuns/{run_id}").json()["state"] == "queued"
