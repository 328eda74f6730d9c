"""Running one claimed task instance: render, start a subprocess, stream its log, heartbeat, finish.

The subprocess gets its own process group, so a timeout or a lost lease kills everything it started.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from orchestrator_api.execution.client import LeaseLostError, WorkerClient
from orchestrator_api.execution.python_task import SKIP_EXIT_CODE
from orchestrator_api.execution.templating import context_for, render

RUNNABLE = ("BashOperator", "PythonOperator", "EmptyOperator")
_FLUSH_SECONDS = 0.2


class TaskRunner:
    """Runs one claim to its end (or until the lease is lost)."""

    def __init__(self, client: WorkerClient, claim: dict[str, Any]) -> None:
        self.client = client
        self.claim = claim
        self.ti_id: int = claim["task_instance_id"]
        self.lease_id: str = claim["lease_id"]
        lease_left = (datetime.fromisoformat(claim["lease_expires_at"]) - datetime.now(UTC)).total_seconds()
        self.heartbeat_every = max(lease_left / 3, 0.2)  # three chances before the lease runs out
        self.buffer: list[str] = []
        self.lock = threading.Lock()

    def write(self, text: str) -> None:
        with self.lock:
            self.buffer.append(text)

    def flush(self) -> None:
        with self.lock:
            text, self.buffer = "".join(self.buffer), []
        if text:
            self.client.log(self.ti_id, self.lease_id, text)

    def run(self) -> None:
        try:
            state = self._execute()
            self.flush()
            self.client.finish(self.ti_id, self.lease_id, state)
        except LeaseLostError:
            pass  # someone else owns the task instance now; nothing we send counts

    def _execute(self) -> str:
        claim = self.claim
        operator = claim["operator"]
        self.write(
            f"Running {claim['dag_id']}.{claim['task_id']} ({operator}), run {claim['dag_run_id']}, "
            f"try {claim['try_number']}\n"
        )
        if operator not in RUNNABLE:
            self.write(
                f"ERROR: this worker cannot run {operator}; it runs {', '.join(RUNNABLE)}. "
                "Marking the task failed.\n"
            )
            return "failed"
        if operator == "EmptyOperator":
            return "success"
        try:
            arguments = render(claim.get("operator_args", {}), context_for(claim))
        except Exception as exc:  # a template error is the task's failure, reported in its log
            self.write(f"ERROR: rendering the templates failed: {type(exc).__name__}: {exc}\n")
            return "failed"
        with tempfile.TemporaryDirectory(prefix="oapi-task-") as workdir:
            return self._subprocess(operator, arguments, Path(workdir))

    def _command(
        self, operator: str, arguments: dict[str, Any], workdir: Path
    ) -> tuple[list[str], str | None]:
        if operator == "BashOperator":
            command = arguments.get("bash_command")
            if not isinstance(command, str):
                raise ValueError("BashOperator needs bash_command")
            return ["bash", "-c", command], None
        callable_path = arguments.get("python_callable")
        if not isinstance(callable_path, str):
            raise ValueError("PythonOperator needs python_callable (module:function)")
        spec = {
            "python_callable": callable_path,
            "op_args": arguments.get("op_args", []),
            "op_kwargs": arguments.get("op_kwargs", {}),
            "result_path": str(workdir / "result.json"),
        }
        return [sys.executable, "-u", "-m", "orchestrator_api.execution.python_task"], json.dumps(spec)

    def _environment(self, arguments: dict[str, Any]) -> dict[str, str]:
        claim = self.claim
        env = dict(os.environ)
        env.pop("ORCHESTRATOR_API_WORKER_TOKEN", None)  # the task never sees the worker's credential
        env.update(
            {
                "AIRFLOW_CTX_DAG_ID": claim["dag_id"],
                "AIRFLOW_CTX_TASK_ID": claim["task_id"],
                "AIRFLOW_CTX_DAG_RUN_ID": claim["dag_run_id"],
                "AIRFLOW_CTX_TRY_NUMBER": str(claim["try_number"]),
                "AIRFLOW_CTX_EXECUTION_DATE": claim["logical_date"],
            }
        )
        env.update({str(k): str(v) for k, v in (arguments.get("env") or {}).items()})
        return env

    def _subprocess(self, operator: str, arguments: dict[str, Any], workdir: Path) -> str:
        try:
            argv, stdin = self._command(operator, arguments, workdir)
        except ValueError as exc:
            self.write(f"ERROR: {exc}\n")
            return "failed"
        process = subprocess.Popen(
            argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            cwd=workdir,
            env=self._environment(arguments),
            start_new_session=True,
            text=True,
            bufsize=1,
        )
        last_line: list[str] = [""]
        reader = threading.Thread(target=self._read, args=(process, last_line), daemon=True)
        reader.start()
        if process.stdin is not None:
            if stdin is not None:
                process.stdin.write(stdin)
            process.stdin.close()
        timeout = self.claim.get("execution_timeout")
        started = time.monotonic()
        next_beat = started + self.heartbeat_every
        try:
            while process.poll() is None:
                time.sleep(_FLUSH_SECONDS)
                self.flush()
                if time.monotonic() >= next_beat:
                    self.client.heartbeat(self.ti_id, self.lease_id)
                    next_beat = time.monotonic() + self.heartbeat_every
                if timeout is not None and time.monotonic() - started > timeout:
                    _kill(process)
                    reader.join(timeout=5)
                    self.write(
                        f"ERROR: the task exceeded its execution_timeout of {timeout:g}s and was killed\n"
                    )
                    return "failed"
        except LeaseLostError:
            _kill(process)
            raise
        reader.join(timeout=5)
        code = process.returncode
        if code == SKIP_EXIT_CODE:
            self.write(f"Exit code {SKIP_EXIT_CODE}: the task is skipped\n")
            return "skipped"
        if code != 0:
            self.write(f"ERROR: the task's process exited with return code {code}\n")
            return "failed"
        self.flush()
        result = workdir / "result.json"
        if operator == "PythonOperator" and result.exists():
            self.client.xcom(self.ti_id, self.lease_id, "return_value", json.loads(result.read_text()))
        elif operator == "BashOperator" and last_line[0]:
            self.client.xcom(self.ti_id, self.lease_id, "return_value", last_line[0])
        return "success"

    def _read(self, process: subprocess.Popen[str], last_line: list[str]) -> None:
        assert process.stdout is not None
        for line in process.stdout:
            self.write(line)
            if line.strip():
                last_line[0] = line.rstrip("\n")


def _kill(process: subprocess.Popen[str]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
