"""Wire shapes of import errors and DAG warnings."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields

from orchestrator_api.schemas.common import UTCDateTime, dump_many


class ImportErrorSchema(Schema):
    """Dumps an import error, or a row of same-named columns (``stack_trace`` may be withheld)."""

    import_error_id = fields.Integer(attribute="id")
    timestamp = UTCDateTime()
    filename = fields.String()
    stack_trace = fields.String()


class DagWarningSchema(Schema):
    dag_id = fields.String()
    warning_type = fields.String()
    message = fields.String()
    timestamp = UTCDateTime()


def dag_warning_collection(rows: Any, total: int) -> dict[str, Any]:
    """The list under `dag_warnings`, the key Airflow sends (its published schema says `import_errors`)."""
    return {"dag_warnings": dump_many(dag_warning_schema, rows), "total_entries": total}


import_error_schema = ImportErrorSchema()
dag_warning_schema = DagWarningSchema()
