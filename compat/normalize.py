"""The one place that says which parts of an answer may legitimately differ between Airflow and us.

Every rule here is documented in ``compat/REPORT.md`` (section "Fields that legitimately differ"): both
answers go through :func:`normalize` before they are compared, so anything not listed here is compared
exactly: status, media type, problem ``title`` and ``status``, and every JSON key, type and value.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

# Wall-clock timestamps: set by each server when it does something, so only "null or a date-time" counts.
TIMESTAMP_KEYS = frozenset(
    {
        "last_parsed_time",
        "last_parsed",
        "next_dagrun",
        "next_dagrun_create_after",
        "next_dagrun_data_interval_start",
        "next_dagrun_data_interval_end",
        "start_date",
        "end_date",
        "queued_when",
        "queued_at",
        "last_scheduling_decision",
        "when",
        "timestamp",
        "created_at",
        "updated_at",
        "created_on",
        "changed_on",
        "last_login",
        "dttm",
        "latest_scheduler_heartbeat",
        "latest_triggerer_heartbeat",
        "latest_dag_processor_heartbeat",
        "note_updated_at",
    }
)

# Dates the requests choose (a run's logical date and the data interval derived from it) are compared
# exactly; a case that lets the server pick them lists them in its own ``volatile`` keys.

# Values each server chooses for itself: surrogate ids, signed file tokens, file paths (ours are the
# YAML files, Airflow's their Python translation), the server's own version, and log continuation tokens.
OPAQUE_KEYS = frozenset(
    {
        "event_log_id",
        "import_error_id",
        "id",
        "dataset_id",
        "file_token",
        "fileloc",
        "continuation_token",
        "version",
        "git_version",
        "pid",
    }
)

# Runs triggered without a run id get one derived from the trigger time.
GENERATED_RUN_ID = re.compile(r"^manual__\d{4}-\d{2}-\d{2}T[\d:.]+\+00:00$")

# Lists whose order carries no meaning in Airflow (database row order, or a Python set), compared as sets.
# A task's downstream_task_ids is a set of strings in Airflow: its order changes with the hash seed, so
# from one Airflow start to the next.
UNORDERED_KEYS = frozenset({"tags", "owners", "actions", "downstream_task_ids"})

# Resources of our extensions (DAG authoring), granted to Admin and Op by migration 0004 the way an Airflow
# plugin's views add theirs: a role's permissions on them are left out of `actions` before comparing.
EXTENSION_RESOURCES = frozenset({"DAG Definitions"})


def _extension_grant(item: Any) -> bool:
    resource = item.get("resource") if isinstance(item, dict) else None
    return isinstance(resource, dict) and resource.get("name") in EXTENSION_RESOURCES


# Airflow joins a DAG's owners from a set with ", " and splits them on ",", so every owner after the
# first (in arbitrary order) carries a leading space: owners are compared without surrounding blanks.
STRIPPED_KEYS = frozenset({"owners"})

# A problem's ``type`` is a documentation URL: the base is each server's own docs, the fragment must match.
PROBLEM_TYPE_KEY = "type"


def is_datetime(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def _canonical(item: Any) -> str:
    return json.dumps(item, sort_keys=True, default=str)


def normalize(
    value: Any,
    key: str | None = None,
    volatile: frozenset[str] = frozenset(),
    unordered: frozenset[str] = frozenset(),
) -> Any:
    """``value`` with every legitimately differing part replaced by a placeholder naming its kind.

    ``volatile`` names further keys a case lets the server choose (compared as "present, not null"),
    ``unordered`` further lists whose order the case does not fix.
    """
    if isinstance(value, dict):
        return {k: normalize(v, k, volatile, unordered) for k, v in value.items()}
    if isinstance(value, list):
        if key == "actions":
            value = [item for item in value if not _extension_grant(item)]
        items = [normalize(item, None, volatile, unordered) for item in value]
        if key in STRIPPED_KEYS:
            items = [item.strip() if isinstance(item, str) else item for item in items]
        if key in UNORDERED_KEYS or key in unordered:
            items.sort(key=_canonical)
        return items
    if key in TIMESTAMP_KEYS and is_datetime(value):
        # The offset style is part of the wire format ("+00:00" versus "Z"), so it survives.
        return "<datetime Z>" if value.endswith("Z") else "<datetime>"
    if key in volatile and value is not None:
        return "<volatile>"
    if key in OPAQUE_KEYS and value is not None:
        return f"<{type(value).__name__}>"
    if isinstance(value, str) and GENERATED_RUN_ID.match(value):
        return "<generated run id>"
    return value


def problem_fields(body: Any) -> dict[str, Any]:
    """What is compared of an RFC 7807 problem: ``status``, ``title`` and the fragment of ``type``."""
    if not isinstance(body, dict):
        return {"body": body}
    problem_type = body.get(PROBLEM_TYPE_KEY)
    fragment = problem_type.partition("#")[2] if isinstance(problem_type, str) else problem_type
    return {"status": body.get("status"), "title": body.get("title"), "type#": fragment}


def media_type(content_type: str | None) -> str | None:
    """The media type without parameters (``charset``), lower-cased."""
    if not content_type:
        return None
    return content_type.split(";")[0].strip().lower()
