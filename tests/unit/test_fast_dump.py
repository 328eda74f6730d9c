"""dump_rows answers exactly what marshmallow's dump answers, for every kind of field and row."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import pytest
from marshmallow import Schema, fields, post_dump

from orchestrator_api.schemas.common import UTCDateTime
from orchestrator_api.schemas.dag import dag_schema
from orchestrator_api.schemas.dag_run import dag_run_schema
from orchestrator_api.schemas.fast_dump import dump_rows
from orchestrator_api.schemas.task_instance import task_instance_schema


class Everything(Schema):
    name = fields.String()
    renamed = fields.String(attribute="other", data_key="wireName")
    count = fields.Integer(allow_none=True)
    text_count = fields.Integer(as_string=True)
    ratio = fields.Float()
    flag = fields.Boolean()
    when = UTCDateTime()
    blob = fields.Raw()
    fixed = fields.Constant("always")
    computed = fields.Method("_computed")
    defaulted = fields.String(dump_default="fallback")
    secret = fields.String(load_only=True)

    def _computed(self, obj: Any) -> str:
        return f"<{obj['name'] if isinstance(obj, dict) else obj.name}>"


ROWS: list[Any] = [
    {
        "name": "a",
        "other": b"bytes",
        "count": "7",
        "text_count": 3,
        "ratio": 2,
        "flag": "yes",
        "when": datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=UTC),
        "blob": {"k": [1, 2]},
        "secret": "never dumped",
    },
    {"name": None, "other": 5, "count": None, "ratio": None, "flag": None, "when": None, "blob": None},
    SimpleNamespace(name="obj", other="x", count=1, text_count=2, ratio=0.5, flag=0, when=None, blob=[]),
]


@pytest.mark.parametrize("row", ROWS, ids=["mapping", "nulls-and-missing", "object"])
def test_same_output_as_marshmallow(row):
    schema = Everything()
    expected = schema.dump([row], many=True)
    assert dump_rows(schema, [row]) == expected
    assert list(dump_rows(schema, [row])[0]) == list(expected[0])  # same key order too


def test_schemas_with_hooks_go_through_marshmallow():
    class Hooked(Schema):
        name = fields.String()

        @post_dump
        def shout(self, data: dict[str, Any], **_kwargs: Any) -> dict[str, Any]:
            return {key: value.upper() for key, value in data.items()}

    assert dump_rows(Hooked(), [{"name": "a"}]) == [{"name": "A"}]


def test_the_list_schemas_are_compiled():
    # The hot lists must take the quick path, not quietly fall back to marshmallow.
    for schema in (task_instance_schema, dag_run_schema, dag_schema):
        dump_rows(schema, [])
        assert schema.__dict__["_fast_dump_plan"] is not None, type(schema).__name__
