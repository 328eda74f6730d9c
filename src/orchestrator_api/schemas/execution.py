"""Wire shapes of the Execution extension: workers, claims, leases, finished tries and watch lines."""

from __future__ import annotations

from typing import Any

from orchestrator_api.execution.claims import Claim
from orchestrator_api.models.worker import Worker
from orchestrator_api.timeutil import isoformat


def worker_view(worker: Worker) -> dict[str, Any]:
    return {
        "worker_id": worker.id,
        "name": worker.name,
        "token_prefix": worker.display_prefix,
        "created_by": worker.created_by,
        "created_at": isoformat(worker.created_at),
        "last_seen_at": isoformat(worker.last_seen_at),
        "hostname": worker.hostname,
        "queues": list(worker.queues or []),
    }


def claim_view(claim: Claim) -> dict[str, Any]:
    ti, task, run = claim.instance, claim.task, claim.run
    return {
        "task_instance_id": ti.id,
        "lease_id": ti.lease_id,
        "lease_expires_at": isoformat(ti.lease_expires_at),
        "dag_id": ti.dag_id,
        "dag_run_id": ti.run_id,
        "task_id": ti.task_id,
        "map_index": ti.map_index,
        "try_number": ti.try_number,
        "max_tries": ti.max_tries,
        "queue": ti.queue,
        "operator": task.operator,
        "operator_module": task.operator_module,
        "operator_args": dict(task.operator_args or {}),
        "template_fields": list(task.template_fields or []),
        "execution_timeout": task.execution_timeout_seconds,
        "logical_date": isoformat(run.logical_date),
        "data_interval_start": isoformat(run.data_interval_start),
        "data_interval_end": isoformat(run.data_interval_end),
        "run_type": run.run_type,
        "conf": dict(run.conf or {}),
        "params": claim.params,
        "organization": claim.organization,
    }
