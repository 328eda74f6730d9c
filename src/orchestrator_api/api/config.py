"""The service's configuration, when the administrator exposes it; secrets are always masked."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import flask
from sqlalchemy.engine import make_url

from orchestrator_api.config import Setting, get_settings, setting_items
from orchestrator_api.problems import NotFound, PermissionDenied

HIDDEN = "< hidden >"


def _shown(setting: Setting, value: Any) -> str:
    if not setting.secret:
        if isinstance(value, tuple):  # word lists read back as they are written: space-separated
            return " ".join(value)
        return str(value).lower() if isinstance(value, bool) else str(value)
    if setting.name == "DATABASE_URL":
        return make_url(str(value)).render_as_string(hide_password=True)
    return HIDDEN


def _sections(section: str | None = None, option: str | None = None) -> list[dict[str, Any]]:
    if get_settings().expose_config == "false":
        raise PermissionDenied(
            detail="The administrator chose not to expose the configuration (ORCHESTRATOR_API_EXPOSE_CONFIG)"
        )
    grouped: dict[str, list[dict[str, str]]] = {}
    for setting, value in setting_items(get_settings()):
        key = setting.name.lower()
        if option is not None and key != option:
            continue
        grouped.setdefault(setting.section, []).append({"key": key, "value": _shown(setting, value)})
    if section is not None:
        if section not in grouped:
            what = f"Option {option!r} in section {section!r}" if option else f"Section {section!r}"
            raise NotFound(detail=f"{what} not found")
        grouped = {section: grouped[section]}
    return [{"name": name, "options": options} for name, options in grouped.items()]


def _respond(sections: Iterable[dict[str, Any]]) -> Any:
    listed = list(sections)
    if flask.request.accept_mimetypes.best_match(["application/json", "text/plain"]) == "text/plain":
        lines = []
        for section in listed:
            lines.append(f"[{section['name']}]")
            lines.extend(f"{o['key']} = {o['value']}" for o in section["options"])
            lines.append("")
        return flask.Response("\n".join(lines), mimetype="text/plain")
    return {"sections": listed}


def get_config(section: str | None = None) -> Any:
    return _respond(_sections(section))


def get_value(section: str, option: str) -> Any:
    return _respond(_sections(section, option))
