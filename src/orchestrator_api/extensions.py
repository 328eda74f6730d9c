"""Plugins and providers: whatever installed distributions declare as entry points, read when asked.

Two entry-point groups extend the service. ``orchestrator_api.providers`` names objects with
``package_name``, ``description`` and ``version`` (this package ships one, ``core``).
``orchestrator_api.plugins`` names a module, class or object whose attributes describe the plugin (see
:data:`PLUGIN_TEXT_LISTS`). Nothing is cached, so the listing always matches what is installed.
"""

from __future__ import annotations

import importlib.metadata
import inspect
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)

PLUGIN_GROUP = "orchestrator_api.plugins"
PROVIDER_GROUP = "orchestrator_api.providers"

# Attributes of a plugin answered as lists of text (classes and functions by their import path).
PLUGIN_TEXT_LISTS = (
    "hooks",
    "executors",
    "macros",
    "flask_blueprints",
    "global_operator_extra_links",
    "operator_extra_links",
    "ti_deps",
    "listeners",
    "timetables",
)
# Attributes of a plugin answered as lists of JSON objects, as the plugin gives them.
PLUGIN_OBJECT_LISTS = ("appbuilder_views", "appbuilder_menu_items")


@dataclass(frozen=True)
class ProviderInfo:
    """What a provider entry point names: a package and the connection types it brings."""

    package_name: str
    description: str
    version: str
    connection_types: tuple[str, ...] = ()


@dataclass(frozen=True)
class PluginInfo:
    name: str
    source: str | None
    texts: dict[str, list[str]]
    objects: dict[str, list[dict[str, Any]]]


def _loaded(group: str) -> Iterable[tuple[importlib.metadata.EntryPoint, Any]]:
    """Each entry point of ``group`` with the object it names; ones that cannot be imported are logged."""
    for entry_point in importlib.metadata.entry_points(group=group):
        try:
            yield entry_point, entry_point.load()
        except (ImportError, AttributeError) as error:
            log.warning("entry point %s in %s cannot be loaded: %s", entry_point.name, group, error)


def _source(entry_point: importlib.metadata.EntryPoint) -> str | None:
    dist = entry_point.dist
    return None if dist is None else f"{dist.name}=={dist.version}"


def _text(item: Any) -> str:
    """Text as it is; a module, class or function by its import path; any other object by its class's."""
    if isinstance(item, str):
        return item
    if inspect.ismodule(item):
        return item.__name__
    if not (inspect.isclass(item) or inspect.isroutine(item)):
        item = type(item)
    return f"{item.__module__}.{item.__qualname__}"


def _json_object(item: Any) -> dict[str, Any]:
    """A view or menu item as a JSON object: plain values kept, anything else named by :func:`_text`."""
    if not isinstance(item, Mapping):
        return {"name": _text(item)}
    return {
        str(key): value if isinstance(value, str | int | float | bool | None) else _text(value)
        for key, value in item.items()
    }


def _items(target: Any, attribute: str) -> list[Any]:
    value = getattr(target, attribute, None)
    return list(value) if isinstance(value, list | tuple | set | frozenset) else []


def installed_providers() -> list[ProviderInfo]:
    """Every provider entry point, sorted by package name (entries of the wrong shape are logged)."""
    found: list[ProviderInfo] = []
    for entry_point, target in _loaded(PROVIDER_GROUP):
        if isinstance(target, ProviderInfo):
            found.append(target)
            continue
        package_name, description, version = (
            getattr(target, name, None) for name in ("package_name", "description", "version")
        )
        if not (isinstance(package_name, str) and isinstance(description, str) and isinstance(version, str)):
            log.warning(
                "provider entry point %s lacks package_name, description or version", entry_point.name
            )
            continue
        found.append(ProviderInfo(package_name=package_name, description=description, version=version))
    return sorted(found, key=lambda provider: provider.package_name)


def installed_plugins() -> list[PluginInfo]:
    """Every plugin entry point, described by its attributes, sorted by name."""
    found: list[PluginInfo] = []
    for entry_point, target in _loaded(PLUGIN_GROUP):
        name = getattr(target, "name", None)
        found.append(
            PluginInfo(
                name=name if isinstance(name, str) and name else entry_point.name,
                source=_source(entry_point),
                texts={attr: [_text(item) for item in _items(target, attr)] for attr in PLUGIN_TEXT_LISTS},
                objects={
                    attr: [_json_object(item) for item in _items(target, attr)]
                    for attr in PLUGIN_OBJECT_LISTS
                },
            )
        )
    return sorted(found, key=lambda plugin: plugin.name)
