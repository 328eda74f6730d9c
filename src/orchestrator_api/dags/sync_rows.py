"""Copying a :class:`DagSpec` onto its ``Dag`` row, tags and tasks, updating rows in place."""

from __future__ import annotations

from datetime import datetime

from orchestrator_api.dags.schedule import (
    DagRunInfo,
    DatasetSchedule,
    next_dagrun_info,
    schedule_interval,
    schedule_to_json,
    timetable_description,
)
from orchestrator_api.dags.spec import DagSpec, TaskSpec
from orchestrator_api.models.dag import Dag, DagTag, Task


def new_dag(spec: DagSpec) -> Dag:
    """A ``Dag`` row for a DAG seen for the first time; the only time ``is_paused_upon_creation`` applies."""
    return Dag(
        dag_id=spec.dag_id,
        is_paused=bool(spec.is_paused_upon_creation),
        tags=[],
        tasks=[],
    )


def apply_spec(
    dag: Dag, spec: DagSpec, *, fileloc: str, now: datetime, last_scheduled: datetime | None
) -> None:
    """Make ``dag`` (and its tags and tasks) say what ``spec`` says; ``is_paused`` is left alone."""
    dag.dag_display_name = spec.dag_display_name
    dag.description = spec.description
    dag.fileloc = fileloc
    dag.owners = ",".join(spec.owners)
    dag.is_active = True
    dag.is_paused_upon_creation = spec.is_paused_upon_creation
    dag.has_import_errors = False
    dag.last_parsed_time = now
    dag.schedule = schedule_to_json(spec.schedule)
    dag.schedule_interval = schedule_interval(spec.schedule)
    dag.timetable_description = timetable_description(spec.schedule)
    dag.max_active_tasks = spec.max_active_tasks
    dag.max_active_runs = spec.max_active_runs
    dag.max_consecutive_failed_dag_runs = spec.max_consecutive_failed_dag_runs
    dag.has_task_concurrency_limits = False  # the file format has no per-task concurrency limit yet
    dag.catchup = spec.catchup
    dag.start_date = spec.start_date
    dag.end_date = spec.end_date
    dag.doc_md = spec.doc_md
    dag.params = dict(spec.params)
    dag.dataset_expression = (
        {"all": list(spec.schedule.uris)} if isinstance(spec.schedule, DatasetSchedule) else None
    )
    dag.dag_run_timeout_seconds = spec.dagrun_timeout
    _apply_next_run(
        dag,
        next_dagrun_info(spec.schedule, spec.start_date, spec.end_date, spec.catchup, last_scheduled, now),
    )
    existing_tags = {tag.name: tag for tag in dag.tags}
    dag.tags = [existing_tags.get(name) or DagTag(name=name) for name in spec.tags]
    _apply_tasks(dag, spec)


def _apply_next_run(dag: Dag, info: DagRunInfo | None) -> None:
    dag.next_dagrun = None if info is None else info.logical_date
    dag.next_dagrun_data_interval_start = None if info is None else info.data_interval_start
    dag.next_dagrun_data_interval_end = None if info is None else info.data_interval_end
    dag.next_dagrun_create_after = None if info is None else info.create_after


def _apply_tasks(dag: Dag, spec: DagSpec) -> None:
    existing = {task.task_id: task for task in dag.tasks}
    downstream = spec.downstream
    tasks: list[Task] = []
    for position, task_spec in enumerate(spec.tasks):
        task = existing.get(task_spec.task_id) or Task(dag_id=spec.dag_id, task_id=task_spec.task_id)
        _fill_task(task, task_spec, spec, position, downstream[task_spec.task_id])
        tasks.append(task)
    dag.tasks = tasks  # tasks the file dropped are orphans, deleted by the relationship's cascade


def _fill_task(task: Task, spec: TaskSpec, dag: DagSpec, position: int, downstream: list[str]) -> None:
    task.position = position
    task.task_display_name = spec.task_display_name
    task.operator = spec.operator_class
    task.operator_module = spec.operator_module
    task.owner = spec.owner
    task.pool = spec.pool
    task.pool_slots = spec.pool_slots
    task.queue = spec.queue
    task.priority_weight = spec.priority_weight
    task.weight_rule = spec.weight_rule
    task.retries = spec.retries
    task.retry_delay_seconds = spec.retry_delay
    task.retry_exponential_backoff = spec.retry_exponential_backoff
    task.trigger_rule = spec.trigger_rule
    task.depends_on_past = spec.depends_on_past
    task.wait_for_downstream = spec.wait_for_downstream
    task.execution_timeout_seconds = spec.execution_timeout
    task.executor = spec.executor
    task.doc_md = spec.doc_md
    task.start_date = dag.start_date  # tasks inherit the DAG's dates, as in Airflow
    task.end_date = dag.end_date
    task.map_count = spec.expand
    task.template_fields = list(spec.template_fields)
    task.upstream_task_ids = list(spec.upstream)
    task.downstream_task_ids = list(downstream)
    task.extra_links = dict(spec.extra_links)
    task.operator_args = dict(spec.operator_args)
