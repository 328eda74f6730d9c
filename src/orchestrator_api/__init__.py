"""orchestrator-api: an OpenAPI-first control-plane API, wire-compatible with Airflow 2's REST API v1."""

import warnings
from importlib.metadata import PackageNotFoundError, version

# connexion imports starlette's test client when it is imported, and starlette warns there about the HTTP
# library the test client uses. That concerns tests, not the server: keep it out of every server start.
warnings.filterwarnings("ignore", message=r".*starlette\.testclient.*")

try:
    __version__ = version("orchestrator-api")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
