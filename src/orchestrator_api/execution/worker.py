"""``orchestrator-api worker``: a reference worker that talks only to the HTTP API.

It claims as many queued task instances of its queues as it has free slots, runs each in a thread that
drives one subprocess (see :mod:`task_runner`), and polls again. Stopping it (SIGTERM, SIGINT) stops
claiming and kills running tasks; their leases expire and the scheduler retries them by their rules.
"""

from __future__ import annotations

import logging
import signal
import socket
import threading
from types import FrameType

import httpx

from orchestrator_api.execution.client import WorkerClient
from orchestrator_api.execution.task_runner import TaskRunner

log = logging.getLogger(__name__)


def run(
    *,
    api_url: str,
    token: str,
    queues: list[str],
    concurrency: int = 4,
    poll_interval: float = 0.5,
) -> None:
    """Claim and run tasks until stopped."""
    client = WorkerClient(api_url, token)
    hostname = socket.gethostname()
    stop = threading.Event()
    running: set[threading.Thread] = set()

    def _stop(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
    log.info("worker on %s polling queues %s with %d slots", api_url, ",".join(queues), concurrency)
    try:
        while not stop.is_set():
            running = {thread for thread in running if thread.is_alive()}
            free = concurrency - len(running)
            claimed = []
            if free > 0:
                try:
                    claimed = client.claim(queues, free, hostname)
                except httpx.HTTPError as exc:
                    log.warning("claiming failed: %s", exc)
            for claim in claimed:
                runner = TaskRunner(client, claim)
                thread = threading.Thread(target=_guarded, args=(runner,), daemon=True)
                thread.start()
                running.add(thread)
            if not claimed:
                stop.wait(poll_interval)
    finally:
        client.close()


def _guarded(runner: TaskRunner) -> None:
    try:
        runner.run()
    except httpx.HTTPError as exc:
        # The API is unreachable or refused us: the lease will expire and the scheduler retries the task.
        log.warning("task instance %s abandoned: %s", runner.ti_id, exc)
