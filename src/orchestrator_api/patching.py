"""``apply_patch()``: the update_mask rules, in the one place every PATCH goes through.

- ``update_mask`` may be repeated or comma-separated. With a mask, only the named fields change and the rest
  of the body is ignored; each named field must be known and writable. A named field the body lacks is
  left as it is (there is no value to set).
- Without a mask, every writable field in the body applies. Read-only and frozen fields may be sent back
  unchanged (so a client can PATCH what it just GOT), but changing one, or sending an unknown field, is a 400
  naming it.
- Values are loaded through the resource's marshmallow schema with ``partial=True``, so a PATCH validates
  exactly like a POST. Everything is checked before the object is touched; the request's rollback covers the
  rest, so nothing is written on any error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any

from marshmallow import Schema

from orchestrator_api.problems import BadRequest


def parse_update_mask(update_mask: Iterable[str] | str | None) -> list[str] | None:
    """Field names from ``update_mask`` however it was sent; None when there is no mask."""
    if update_mask is None:
        return None
    items = [update_mask] if isinstance(update_mask, str) else list(update_mask)
    names = [name.strip() for item in items for name in item.split(",") if name.strip()]
    return names or None


def _wire_names(schema: Schema, fields: Mapping[str, Any]) -> dict[str, str]:
    return {(field.data_key or name): name for name, field in fields.items()}


def _same(current: Any, sent: Any) -> bool:
    if current == sent:
        return True
    if isinstance(current, str) and isinstance(sent, str):
        try:
            return datetime.fromisoformat(current) == datetime.fromisoformat(sent)
        except ValueError:
            return False
    return False


def _writable_data(
    body: Mapping[str, Any],
    update_mask: Iterable[str] | str | None,
    schema: Schema,
    frozen: Mapping[str, str],
    unchanged: Callable[[str], bool],
) -> dict[str, Any]:
    """The part of ``body`` to load, after enforcing the mask rules (raises 400 naming the field)."""
    known = _wire_names(schema, schema.fields)
    writable = _wire_names(schema, schema.load_fields)
    mask = parse_update_mask(update_mask)
    data: dict[str, Any] = {}
    if mask is not None:
        for name in mask:
            if name not in known:
                raise BadRequest(detail=f"update_mask names an unknown field: {name}")
            if name not in body:
                continue
            if name in frozen:
                if not unchanged(name):
                    raise BadRequest(detail=frozen[name])
                continue
            if name not in writable:
                raise BadRequest(detail=f"update_mask names a read-only field: {name}")
            data[name] = body[name]
        return data
    for name, value in body.items():
        if name in writable and name not in frozen:
            data[name] = value
        elif name in known:
            if not unchanged(name):
                raise BadRequest(detail=frozen.get(name, f"{name} is read-only and cannot be changed"))
        else:
            raise BadRequest(detail=f"Unknown field in request body: {name}")
    return data


def patch_values(
    body: Mapping[str, Any], update_mask: Iterable[str] | str | None, *, schema: Schema
) -> dict[str, Any]:
    """The validated attribute values a bulk PATCH sets on every object it selects.

    There is no single object to compare with, so a read-only field in the body is a 400 unless the mask
    leaves it out.
    """
    data = _writable_data(body, update_mask, schema, {}, lambda _name: False)
    loaded: dict[str, Any] = schema.load(data, partial=True)
    return loaded


def apply_patch(
    obj: Any,
    body: Mapping[str, Any],
    update_mask: Iterable[str] | str | None,
    *,
    schema: Schema,
    frozen: Mapping[str, str] | None = None,
) -> set[str]:
    """Apply ``body`` to ``obj`` under the update_mask rules; return the attribute names that changed.

    ``frozen`` maps wire names that may not change on this object to the reason shown in the 400.
    """
    current: dict[str, Any] | None = None

    def unchanged(name: str) -> bool:
        nonlocal current
        if current is None:
            current = schema.dump(obj)
        return _same(current.get(name), body[name])

    data = _writable_data(body, update_mask, schema, frozen or {}, unchanged)
    loaded: dict[str, Any] = schema.load(data, partial=True)
    changed: set[str] = set()
    for attribute, value in loaded.items():
        if getattr(obj, attribute) != value:
            setattr(obj, attribute, value)
            changed.add(attribute)
    return changed
