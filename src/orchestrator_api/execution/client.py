"""The worker's side of the worker API: plain HTTP calls with its token, nothing else."""

from __future__ import annotations

from typing import Any

import httpx

LOG_CHUNK_CHARACTERS = 65536  # the spec's maxLength of one log chunk


class LeaseLostError(Exception):
    """The server says this worker no longer holds the task instance (409): stop the task."""


class WorkerClient:
    """Calls ``/api/v1/worker/...`` with a worker token."""

    def __init__(self, api_url: str, token: str, *, timeout: float = 30.0) -> None:
        self.http = httpx.Client(
            base_url=api_url.rstrip("/") + "/api/v1",
            headers={"Authorization": f"Bearer {token}"},
            timeout=timeout,
        )

    def close(self) -> None:
        self.http.close()

    def _post(self, path: str, body: dict[str, Any]) -> httpx.Response:
        response = self.http.post(path, json=body)
        if response.status_code == 409:
            raise LeaseLostError(response.json().get("detail", "lease lost"))
        response.raise_for_status()
        return response

    def claim(self, queues: list[str], limit: int, hostname: str) -> list[dict[str, Any]]:
        body = {"queues": queues, "limit": limit, "hostname": hostname}
        claimed: list[dict[str, Any]] = self._post("/worker/claims", body).json()["task_instances"]
        return claimed

    def heartbeat(self, ti_id: int, lease_id: str) -> None:
        self._post(f"/worker/taskInstances/{ti_id}/heartbeat", {"lease_id": lease_id})

    def log(self, ti_id: int, lease_id: str, content: str) -> None:
        for start in range(0, len(content), LOG_CHUNK_CHARACTERS):
            chunk = content[start : start + LOG_CHUNK_CHARACTERS]
            self._post(f"/worker/taskInstances/{ti_id}/logs", {"lease_id": lease_id, "content": chunk})

    def xcom(self, ti_id: int, lease_id: str, key: str, value: Any) -> None:
        self._post(f"/worker/taskInstances/{ti_id}/xcoms", {"lease_id": lease_id, "key": key, "value": value})

    def finish(self, ti_id: int, lease_id: str, state: str) -> str:
        answer = self._post(f"/worker/taskInstances/{ti_id}/finish", {"lease_id": lease_id, "state": state})
        return str(answer.json()["state"])
