"""Reading one task mapping, with ``default_args`` filling in what the task leaves out."""

from __future__ import annotations

import re
import string
from typing import Any

from orchestrator_api.dags.fields import FieldReader, describe_value
from orchestrator_api.dags.spec import TaskSpec
from orchestrator_api.models.resources import DEFAULT_POOL

TRIGGER_RULES = frozenset(
    {
        "all_success",
        "all_failed",
        "all_done",
        "all_done_setup_success",
        "one_success",
        "one_failed",
        "one_done",
        "none_failed",
        "none_skipped",
        "none_failed_or_skipped",
        "none_failed_min_one_success",
        "always",
        "all_skipped",
    }
)
WEIGHT_RULES = frozenset({"downstream", "upstream", "absolute"})
LINK_PLACEHOLDERS = ("dag_id", "task_id", "run_id", "map_index", "try_number")
DEFAULT_ARG_KEYS = frozenset(
    {
        "retries",
        "retry_delay",
        "retry_exponential_backoff",
        "pool",
        "pool_slots",
        "queue",
        "priority_weight",
        "weight_rule",
        "trigger_rule",
        "depends_on_past",
        "wait_for_downstream",
        "execution_timeout",
        "owner",
        "executor",
    }
)
TASK_KEYS = (
    DEFAULT_ARG_KEYS
    | {
        "task_id",
        "task_display_name",
        "operator",
        "upstream",
        "doc_md",
        "outlets",
        "expand",
        "extra_links",
        "template_fields",
    }
    # Operator arguments: those the reference worker runs, and any other under `arguments` (kept as given).
    | {"bash_command", "env", "python_callable", "op_kwargs", "op_args", "arguments"}
)
_CALLABLE = re.compile(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*:[A-Za-z_]\w*", re.ASCII)
_OPERATOR = re.compile(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*", re.ASCII)
_URI_MAX_LENGTH = 3000


def read_task(task: FieldReader, defaults: FieldReader, dag_owner: str) -> TaskSpec:
    """The task at ``task``; keys it omits (or nulls) come from ``defaults``, then built-in defaults."""

    def pick(key: str) -> FieldReader:
        return task if task.get(key) is not None or not defaults.has(key) else defaults

    task_id = task.identifier("task_id")
    operator = task.required_text("operator", max_length=1000)
    if not _OPERATOR.fullmatch(operator):
        raise task.error("operator", "expected a class name like BashOperator or pkg.mod.Class")
    retry_delay = pick("retry_delay").seconds("retry_delay")
    return TaskSpec(
        task_id=task_id,
        operator=operator,
        line=task.doc.line(*task.path),
        task_display_name=task.text("task_display_name"),
        upstream=tuple(task.string_list("upstream", max_length=250)),
        retries=pick("retries").integer("retries", 0, minimum=0),
        retry_delay=300.0 if retry_delay is None else retry_delay,
        retry_exponential_backoff=pick("retry_exponential_backoff").boolean(
            "retry_exponential_backoff", False
        ),
        pool=pick("pool").text("pool", max_length=256) or DEFAULT_POOL,
        pool_slots=pick("pool_slots").integer("pool_slots", 1, minimum=1),
        queue=pick("queue").text("queue", max_length=256) or "default",
        priority_weight=pick("priority_weight").integer("priority_weight", 1),
        weight_rule=pick("weight_rule").choice("weight_rule", "downstream", WEIGHT_RULES),
        trigger_rule=pick("trigger_rule").choice("trigger_rule", "all_success", TRIGGER_RULES),
        depends_on_past=pick("depends_on_past").boolean("depends_on_past", False),
        wait_for_downstream=pick("wait_for_downstream").boolean("wait_for_downstream", False),
        execution_timeout=pick("execution_timeout").seconds("execution_timeout", positive=True),
        owner=pick("owner").text("owner", max_length=500) or dag_owner,
        doc_md=task.text("doc_md", max_length=1_000_000, allow_empty=True),
        outlets=tuple(dataset_uris(task, "outlets")),
        expand=task.optional_integer("expand", minimum=1),
        extra_links=_extra_links(task),
        template_fields=tuple(task.string_list("template_fields", max_length=250)),
        executor=pick("executor").text("executor", max_length=1000),
        operator_args=_operator_args(task),
    )


def _operator_args(task: FieldReader) -> dict[str, Any]:
    """What the worker hands the operator: ``bash_command`` and ``env``; ``python_callable`` (as
    ``module:function``), ``op_args`` and ``op_kwargs``; any other argument under ``arguments``. Values may
    hold Jinja templates."""
    found: dict[str, Any] = _arguments(task)
    command = task.text("bash_command", max_length=100_000)
    if command is not None:
        found["bash_command"] = command
    callable_path = task.text("python_callable", max_length=1000)
    if callable_path is not None:
        if not _CALLABLE.fullmatch(callable_path):
            raise task.error("python_callable", "expected module:function")
        found["python_callable"] = callable_path
    for key in ("op_kwargs", "env"):
        mapping = task.mapping(key)
        if mapping is None:
            continue
        if any(not isinstance(name, str) for name in mapping):
            raise task.error(key, "keys must be strings")
        if key == "env" and any(not isinstance(value, str) for value in mapping.values()):
            raise task.error(key, "values must be strings")
        found[key] = dict(mapping)
    op_args = task.get("op_args")
    if op_args is not None:
        if not isinstance(op_args, list):
            raise task.error("op_args", f"expected a list, got {describe_value(op_args)}")
        found["op_args"] = list(op_args)
    return found


def dataset_uris(reader: FieldReader, key: str) -> list[str]:
    """A list of dataset URIs: non-empty strings without whitespace, duplicates dropped."""
    uris = reader.string_list(key, max_length=_URI_MAX_LENGTH)
    for index, uri in enumerate(uris):
        if any(character.isspace() for character in uri):
            raise reader.error(key, "dataset URI must not contain whitespace", index)
    return uris


def _arguments(task: FieldReader) -> dict[str, Any]:
    arguments = task.mapping("arguments") or {}
    for name in arguments:
        if not isinstance(name, str) or not name:
            raise task.error(
                "arguments", f"argument names must be non-empty strings, got {describe_value(name)}"
            )
    return dict(arguments)


def _extra_links(task: FieldReader) -> dict[str, str]:
    links = task.mapping("extra_links") or {}
    result: dict[str, str] = {}
    for name, template in links.items():
        if not isinstance(name, str) or not name:
            raise task.error(
                "extra_links", f"link names must be non-empty strings, got {describe_value(name)}"
            )
        if not isinstance(template, str) or not template:
            raise task.error("extra_links", f"expected a URL template, got {describe_value(template)}", name)
        _check_template(task, name, template)
        result[name] = template
    return result


def _check_template(task: FieldReader, name: str, template: str) -> None:
    allowed = ", ".join(f"{{{field}}}" for field in LINK_PLACEHOLDERS)
    try:
        fields = [field for _, field, _, _ in string.Formatter().parse(template) if field is not None]
    except ValueError as error:
        raise task.error(
            "extra_links", f"malformed URL template ({error}); placeholders: {allowed}", name
        ) from None
    for field in fields:
        if field not in LINK_PLACEHOLDERS:
            raise task.error("extra_links", f"unknown placeholder {{{field}}}; use {allowed}", name)
