"""Wire shapes of XCom entries: the list item (no value) and the entry with its value."""

from __future__ import annotations

import json
from typing import Any

from marshmallow import Schema, fields
from sqlalchemy import Row

from orchestrator_api.schemas.common import UTCDateTime, dump


class XComCollectionItemSchema(Schema):
    """Dumps a row of ``select(XCom, <logical date>.label("execution_date"))``."""

    key = fields.String(attribute="XCom.key")
    timestamp = UTCDateTime(attribute="XCom.timestamp")
    execution_date = UTCDateTime()
    map_index = fields.Integer(attribute="XCom.map_index")
    task_id = fields.String(attribute="XCom.task_id")
    dag_id = fields.String(attribute="XCom.dag_id")


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def xcom_value(stored: str | None, *, stringify: bool) -> Any:
    """The answer for a stored value (JSON text): its Python text when ``stringify``, else the JSON value.

    As text, the decoded value is answered as Python's ``str()`` of it, as Airflow does: a string as
    itself, ``{'rows': 3}`` for an object, ``True`` for true; a null (stored or missing) stays null. Text
    that is not valid JSON is answered as it is either way.
    """
    if stored is None:
        return None
    try:
        value = json.loads(stored, parse_constant=_reject_constant)
    except ValueError:
        return stored
    if stringify and value is not None:
        return str(value)
    return value


def dump_xcom_entry(row: Row[Any], *, stringify: bool) -> dict[str, Any]:
    """One entry with its value, from the same row shape as the list item."""
    return {**dump(xcom_item_schema, row), "value": xcom_value(row.XCom.value, stringify=stringify)}


xcom_item_schema = XComCollectionItemSchema()
