"""What a DAG file declares, validated and with every default resolved; no database involved."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from orchestrator_api.dags.schedule import DatasetSchedule, Schedule

DEFAULT_OWNER = "airflow"
# The `fileloc` of a DAG authored through the API: never a path, so no DAG folder sync ever claims it.
API_FILELOC_PREFIX = "api://dags/"


@dataclass(frozen=True)
class TaskSpec:
    """One task, with the DAG's ``default_args`` and owner already applied."""

    task_id: str
    operator: str  # as written: "BashOperator" or "pkg.mod.Class"
    line: int | None = None
    task_display_name: str | None = None
    upstream: tuple[str, ...] = ()
    retries: int = 0
    retry_delay: float = 300.0
    retry_exponential_backoff: bool = False
    pool: str = "default_pool"
    pool_slots: int = 1
    queue: str = "default"
    priority_weight: int = 1
    weight_rule: str = "downstream"
    trigger_rule: str = "all_success"
    depends_on_past: bool = False
    wait_for_downstream: bool = False
    execution_timeout: float | None = None
    owner: str = DEFAULT_OWNER
    doc_md: str | None = None
    outlets: tuple[str, ...] = ()
    expand: int | None = None
    extra_links: dict[str, str] = field(default_factory=dict)
    template_fields: tuple[str, ...] = ()
    executor: str | None = None
    operator_args: dict[str, Any] = field(default_factory=dict)

    @property
    def operator_class(self) -> str:
        """The class name: the last dotted part of ``operator``."""
        return self.operator.rpartition(".")[2]

    @property
    def operator_module(self) -> str:
        """The dotted prefix of ``operator``, or "" when it names a bare class."""
        return self.operator.rpartition(".")[0]


@dataclass(frozen=True)
class DagSpec:
    """One DAG file's content. ``line`` is where ``dag_id`` is declared."""

    dag_id: str
    filename: str
    tasks: tuple[TaskSpec, ...]
    line: int | None = None
    dag_display_name: str | None = None
    description: str | None = None
    schedule: Schedule | None = None
    start_date: datetime | None = None
    end_date: datetime | None = None
    catchup: bool = False
    is_paused_upon_creation: bool | None = None
    max_active_runs: int = 16
    max_active_tasks: int = 16
    max_consecutive_failed_dag_runs: int = 0
    dagrun_timeout: float | None = None
    tags: tuple[str, ...] = ()
    owner: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    doc_md: str | None = None

    @property
    def owners(self) -> list[str]:
        """Sorted unique task owners, as Airflow lists a DAG's owners."""
        return sorted({task.owner for task in self.tasks})

    @property
    def downstream(self) -> dict[str, list[str]]:
        """task_id -> the tasks that list it upstream, in file order."""
        result: dict[str, list[str]] = {task.task_id: [] for task in self.tasks}
        for task in self.tasks:
            for upstream_id in task.upstream:
                result[upstream_id].append(task.task_id)
        return result

    @property
    def dataset_uris(self) -> list[str]:
        """Every dataset URI the DAG consumes (schedule) or produces (outlets), without duplicates."""
        uris = list(self.schedule.uris) if isinstance(self.schedule, DatasetSchedule) else []
        uris.extend(uri for task in self.tasks for uri in task.outlets)
        return list(dict.fromkeys(uris))
