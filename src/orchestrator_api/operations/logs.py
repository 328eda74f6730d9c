"""JSON log lines (``ORCHESTRATOR_API_LOG_FORMAT=json``): one object per line, for log shippers.

Access lines carry the request's structured fields under the same names everywhere; nothing else from
the request (headers, query strings, bodies) is ever logged, so no credential can reach the logs.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

ACCESS_FIELDS = "access"
"""The ``extra=`` key under which the access log passes its structured fields."""


class JsonFormatter(logging.Formatter):
    """``{"time", "level", "logger", "message", ...access fields, "exception"?}`` on one line."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        access = getattr(record, ACCESS_FIELDS, None)
        if isinstance(access, dict):
            entry.update(access)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)
