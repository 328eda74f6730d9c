"""The ASGI application object gunicorn (or any ASGI server) loads: ``orchestrator_api.asgi:app``."""

import importlib
import sys
import types
from typing import Any


class _ImportedOnFirstUse(types.ModuleType):
    """Stands in ``sys.modules`` for a module until one of its attributes is read, then imports it.

    connexion imports ``requests`` when it is imported, to fetch ``$ref``s from other URLs; our spec has
    none, so a server never uses it. Loaded, it and urllib3 cost each worker about 4 MiB.
    (``importlib.util.LazyLoader`` cannot do this: an ``import`` statement reads the module's ``__spec__``,
    which loads it.)
    """

    def __getattr__(self, attribute: str) -> Any:
        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        return getattr(importlib.import_module(self.__name__), attribute)


if "requests" not in sys.modules:
    sys.modules["requests"] = _ImportedOnFirstUse("requests")

from orchestrator_api.app import create_app  # noqa: E402  # after the registration above
from orchestrator_api.config import get_settings  # noqa: E402
from orchestrator_api.logging_setup import configure_logging  # noqa: E402

configure_logging(get_settings().log_level, get_settings().log_format)
app = create_app(server=True)
