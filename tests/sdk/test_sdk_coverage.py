"""The SDK journeys call every operation the SDK offers, so none of its models goes unchecked."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import airflow_client.client.api as api_package


def sdk_operations() -> set[str]:
    """The name of every operation the SDK's API classes offer, e.g. ``get_dags``."""
    names: set[str] = set()
    for module_info in pkgutil.iter_modules(api_package.__path__):
        module = importlib.import_module(f"{api_package.__name__}.{module_info.name}")
        for class_name, api_class in inspect.getmembers(module, inspect.isclass):
            if class_name.endswith("Api") and api_class.__module__ == module.__name__:
                names.update(n for n, _ in inspect.getmembers(api_class, inspect.isfunction) if n[0] != "_")
    return names


def test_every_sdk_operation_is_called_by_a_journey():
    journeys = "".join(path.read_text() for path in Path(__file__).parent.glob("test_*_sdk.py"))
    operations = sdk_operations()
    assert len(operations) == 89, "apache-airflow-client 2.10.0 offers 89 operations"
    assert sorted(op for op in operations if not re.search(rf"\.{op}\(", journeys)) == []
