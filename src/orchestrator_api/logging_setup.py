"""One logging configuration for the server and the CLI: plain lines or JSON objects on stderr."""

from __future__ import annotations

import logging
import sys

from orchestrator_api.operations.logs import JsonFormatter


def configure_logging(level: str = "INFO", log_format: str = "text") -> None:
    handler = logging.StreamHandler(sys.stderr)
    if log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # uvicorn's own access log would repeat ours without the request id; its error log stays.
    logging.getLogger("uvicorn.access").disabled = True
