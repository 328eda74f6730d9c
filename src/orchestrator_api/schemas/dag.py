"""Wire shapes of DAGs, DAG details, tasks and DAG stats."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields

from orchestrator_api.dags.file_token import file_token
from orchestrator_api.instance import secret_key
from orchestrator_api.models.dag import Dag, Task
from orchestrator_api.schemas.common import UTCDateTime, class_reference, timedelta_object


class TagSchema(Schema):
    name = fields.String()


class DagSchema(Schema):
    dag_id = fields.String(dump_only=True)
    dag_display_name = fields.Method("_display_name", dump_only=True)
    root_dag_id = fields.Constant(None, dump_only=True)
    is_paused = fields.Boolean(allow_none=False)
    is_active = fields.Boolean(dump_only=True)
    is_subdag = fields.Constant(False, dump_only=True)
    last_parsed_time = UTCDateTime(dump_only=True)
    last_pickled = fields.Constant(None, dump_only=True)
    last_expired = fields.Constant(None, dump_only=True)
    scheduler_lock = fields.Constant(None, dump_only=True)
    pickle_id = fields.Constant(None, dump_only=True)
    default_view = fields.String(dump_only=True)
    fileloc = fields.String(dump_only=True)
    file_token = fields.Method("_file_token", dump_only=True)
    owners = fields.Method("_owners", dump_only=True)
    description = fields.String(dump_only=True)
    schedule_interval = fields.Raw(dump_only=True)
    timetable_description = fields.String(dump_only=True)
    tags = fields.Method("_tags", dump_only=True)
    max_active_tasks = fields.Integer(dump_only=True)
    max_active_runs = fields.Integer(dump_only=True)
    max_consecutive_failed_dag_runs = fields.Integer(dump_only=True)
    has_task_concurrency_limits = fields.Boolean(dump_only=True)
    has_import_errors = fields.Boolean(dump_only=True)
    next_dagrun = UTCDateTime(dump_only=True)
    next_dagrun_data_interval_start = UTCDateTime(dump_only=True)
    next_dagrun_data_interval_end = UTCDateTime(dump_only=True)
    next_dagrun_create_after = UTCDateTime(dump_only=True)

    def _display_name(self, dag: Dag) -> str:
        return dag.dag_display_name or dag.dag_id

    def _tags(self, dag: Dag) -> list[dict[str, str]]:
        return [{"name": name} for name in dag.tag_names]

    def _file_token(self, dag: Dag) -> str:
        return file_token(dag.fileloc, secret_key())

    def _owners(self, dag: Dag) -> list[str]:
        return dag.owner_list


class DagDetailSchema(DagSchema):
    timezone = fields.String(dump_only=True)
    catchup = fields.Boolean(dump_only=True)
    orientation = fields.String(dump_only=True)
    concurrency = fields.Integer(attribute="max_active_tasks", dump_only=True)
    start_date = UTCDateTime(dump_only=True)
    end_date = UTCDateTime(dump_only=True)
    dag_run_timeout = fields.Method("_dag_run_timeout", dump_only=True)
    dataset_expression = fields.Raw(dump_only=True)
    doc_md = fields.String(dump_only=True)
    params = fields.Method("_params", dump_only=True)
    is_paused_upon_creation = fields.Boolean(dump_only=True)
    last_parsed = UTCDateTime(attribute="last_parsed_time", dump_only=True)
    template_searchpath = fields.Raw(attribute="template_search_path", dump_only=True)
    render_template_as_native_obj = fields.Boolean(dump_only=True)

    def _dag_run_timeout(self, dag: Dag) -> dict[str, Any] | None:
        return timedelta_object(dag.dag_run_timeout_seconds)

    def _params(self, dag: Dag) -> dict[str, Any]:
        return serialized_params(dag.params)

    def _owners(self, dag: Dag) -> list[str]:
        # Airflow 2.10.5 sends an empty list here whatever the tasks' owners (its detail schema reads an
        # attribute its DAG rows lack); GET /dags/{dag_id} carries the owners.
        return []


# The class path Airflow tags each serialised parameter with.
PARAM_CLASS = "airflow.models.param.Param"


def serialized_params(params: dict[str, Any] | None) -> dict[str, Any]:
    """Parameters as Airflow answers them: an object per param, not the bare value; clients read `value`."""
    return {
        name: {"__class": PARAM_CLASS, "value": value, "description": None, "schema": {}}
        for name, value in (params or {}).items()
    }


class TaskSchema(Schema):
    class_ref = fields.Method("_class_ref", dump_only=True)
    task_id = fields.String(dump_only=True)
    task_display_name = fields.Method("_display_name", dump_only=True)
    owner = fields.String(dump_only=True)
    start_date = UTCDateTime(dump_only=True)
    end_date = UTCDateTime(dump_only=True)
    trigger_rule = fields.String(dump_only=True)
    extra_links = fields.Method("_extra_links", dump_only=True)
    depends_on_past = fields.Boolean(dump_only=True)
    is_mapped = fields.Boolean(dump_only=True)
    wait_for_downstream = fields.Boolean(dump_only=True)
    # Airflow sends these counts as JSON numbers with a fraction (1.0), and no `executor`.
    retries = fields.Float(dump_only=True)
    queue = fields.String(dump_only=True)
    pool = fields.String(dump_only=True)
    pool_slots = fields.Float(dump_only=True)
    execution_timeout = fields.Method("_execution_timeout", dump_only=True)
    retry_delay = fields.Method("_retry_delay", dump_only=True)
    retry_exponential_backoff = fields.Boolean(dump_only=True)
    priority_weight = fields.Float(dump_only=True)
    weight_rule = fields.String(dump_only=True)
    ui_color = fields.String(dump_only=True)
    ui_fgcolor = fields.String(dump_only=True)
    template_fields = fields.List(fields.String(), dump_only=True)
    downstream_task_ids = fields.List(fields.String(), dump_only=True)
    doc_md = fields.String(dump_only=True)
    operator_name = fields.String(attribute="operator", dump_only=True)
    params = fields.Method("_params", dump_only=True)

    def __init__(self, dag_params: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.dag_params = dag_params

    def _params(self, task: Task) -> dict[str, Any]:
        # A task's params are its DAG's (tasks here declare none of their own).
        return serialized_params(self.dag_params)

    def _class_ref(self, task: Task) -> dict[str, str]:
        return class_reference(task.operator, task.operator_module)

    def _display_name(self, task: Task) -> str:
        return task.task_display_name or task.task_id

    def _extra_links(self, task: Task) -> list[dict[str, Any]]:
        # Airflow sends each link's class reference as the item itself (its spec wraps it in `class_ref`).
        return [class_reference(name, "") for name in sorted(task.extra_links or {})]

    def _execution_timeout(self, task: Task) -> dict[str, Any] | None:
        return timedelta_object(task.execution_timeout_seconds)

    def _retry_delay(self, task: Task) -> dict[str, Any] | None:
        return timedelta_object(task.retry_delay_seconds)


dag_schema = DagSchema()
dag_detail_schema = DagDetailSchema()
task_schema = TaskSchema()
