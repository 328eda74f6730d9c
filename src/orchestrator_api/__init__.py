"""orchestrator-api: an OpenAPI-first control-plane API, wire-compatible with Airflow 2's REST API v1."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("orchestrator-api")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
