"""``orchestrator-api serve`` with two gunicorn workers: any worker's scrape reports every worker's counts."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from orchestrator_api import db
from orchestrator_api.migrations import upgrade
from tests.conftest import _free_port
from tests.operations.conftest import sample

pytestmark = pytest.mark.slow
CLI = Path(sys.executable).with_name("orchestrator-api")


@pytest.fixture
def gunicorn(tmp_path: Path) -> Iterator[tuple[str, Path, subprocess.Popen[bytes]]]:
    """A real server with two workers on a migrated SQLite file; yields its URL, TMPDIR and process."""
    url = f"sqlite:///{tmp_path / 'served.db'}"
    engine = db.make_engine(url)
    upgrade(engine)
    engine.dispose()
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PROMETHEUS_MULTIPROC_DIR"}
    env.update(
        ORCHESTRATOR_API_DATABASE_URL=url,
        TMPDIR=str(scratch),
        ORCHESTRATOR_API_LOG_LEVEL="INFO",
        ORCHESTRATOR_API_LOG_FORMAT="json",
    )
    port = _free_port()
    process = subprocess.Popen(
        [str(CLI), "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        env=env,
        stdout=(tmp_path / "stdout.log").open("wb"),
        stderr=(tmp_path / "stderr.log").open("wb"),
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/api/v1/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("gunicorn did not start")
            time.sleep(0.1)
        yield base, scratch, process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=60)


def _get(url: str) -> int:
    return httpx.get(url, headers={"Connection": "close"}).status_code


def test_every_scrape_reports_the_total_of_all_workers_until_exit(gunicorn):
    base, scratch, process = gunicorn
    # Concurrent requests on fresh connections, so both workers get some (which one accepts is the
    # kernel's choice; whatever the split, every scrape must add up to the same total).
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(lambda _: _get(f"{base}/api/v1/version"), range(40)))
    assert statuses == [200] * 40
    for _ in range(8):
        text = httpx.get(f"{base}/metrics", headers={"Connection": "close"}).text
        counted = sample(
            text, "orchestrator_api_http_requests_total", route="/api/v1/version", method="GET", status="2xx"
        )
        assert counted == 40
    (folder,) = scratch.iterdir()  # the workers' shared metrics folder, made by `serve`
    assert folder.name.startswith("orchestrator-api-metrics-")

    process.send_signal(signal.SIGTERM)  # how an operator (or docker stop) ends it
    assert process.wait(timeout=60) == 0
    assert not folder.exists()  # `serve` removed the folder it made


def test_with_json_logs_every_line_gunicorn_and_the_app_write_is_json(gunicorn, tmp_path):
    base, _, process = gunicorn
    assert _get(f"{base}/api/v1/version") == 200
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 0
    text = (tmp_path / "stderr.log").read_text() + (tmp_path / "stdout.log").read_text()
    lines = [json.loads(line) for line in text.splitlines() if line.strip()]
    loggers = {line["logger"] for line in lines}
    assert "gunicorn.error" in loggers  # "Booting worker", "Shutting down"...
    (access,) = [line for line in lines if line.get("route") == "/api/v1/version"]
    assert (access["status"], access["method"], access["principal"]) == (200, "GET", None)
