"""The ASGI application object gunicorn (or any ASGI server) loads: ``orchestrator_api.asgi:app``."""

from orchestrator_api.app import create_app
from orchestrator_api.config import get_settings
from orchestrator_api.logging_setup import configure_logging

configure_logging(get_settings().log_level, get_settings().log_format)
app = create_app(server=True)
