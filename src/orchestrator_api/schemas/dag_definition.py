"""Wire shape of a task in a definition: the keys of a task in a YAML DAG file.

The values are taken as sent: the DAG file parser validates them when the whole definition is checked, so a
task added, patched or sent inside a definition is held to exactly the same rules.
"""

from __future__ import annotations

from marshmallow import Schema, fields

from orchestrator_api.dags.task_fields import TASK_KEYS

_REQUIRED = frozenset({"task_id", "operator"})

TaskDefinitionSchema = Schema.from_dict(
    {
        key: fields.Raw(required=key in _REQUIRED, allow_none=key not in _REQUIRED)
        for key in sorted(TASK_KEYS)
    },
    name="TaskDefinitionSchema",
)

task_definition_schema = TaskDefinitionSchema()
