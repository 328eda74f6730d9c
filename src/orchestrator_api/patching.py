"""The update_mask rules, in the one place every PATCH goes through: plan first, then apply.

:func:`plan_patch` checks the whole request and loads every value through the resource's marshmallow
schema (so a PATCH validates exactly like a POST) without touching the object; :func:`apply_plan` then sets
the planned attributes. A handler that must look at the plan (a pool rename) does so in between, so no rule
is read twice and nothing is changed on any error.

As in Airflow 2.10:

- ``update_mask`` may be repeated or comma-separated. With a mask, only the named fields change and the rest
  of the body is ignored; each named field must be known and writable. A named field the body lacks is
  left as it is (there is no value to set).
- Without a mask the body replaces the resource: a required field left out is a 400, and a field with a
  default (:attr:`PatchRules.defaults`) left out goes back to it. Other fields left out keep their values.
  A resource that Airflow merges instead (connections) says so with ``replace=False``.
- Some resources want their required fields even with a mask (Airflow loads the whole body first):
  ``required_with_mask``.
- A frozen field (an identity such as a variable's key) may be sent unchanged; a different value is a 400
  with the rule's reason, mask or not unless ``frozen_with_mask`` is off (then a mask just leaves it out).
- A read-only field in the body is a 400 (Airflow refuses them whatever their value), and so is an unknown
  field; both name the field.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from marshmallow import Schema

from orchestrator_api.problem_titles import FROZEN_FIELD, INVALID_BODY
from orchestrator_api.problems import BadRequest


@dataclass(frozen=True)
class PatchRules:
    """What a resource's PATCH needs besides its schema (wire names throughout)."""

    frozen: Mapping[str, str] = field(default_factory=dict)
    frozen_with_mask: bool = True
    required: tuple[str, ...] = ()
    required_with_mask: bool = False
    defaults: Mapping[str, Any] = field(default_factory=dict)
    replace: bool = True


MERGE = PatchRules(replace=False)


def parse_update_mask(update_mask: Iterable[str] | str | None) -> list[str] | None:
    """Field names from ``update_mask`` however it was sent; None when there is no mask."""
    if update_mask is None:
        return None
    items = [update_mask] if isinstance(update_mask, str) else list(update_mask)
    names = [name.strip() for item in items for name in item.split(",") if name.strip()]
    return names or None


def _wire_names(fields: Mapping[str, Any]) -> dict[str, str]:
    return {(f.data_key or name): name for name, f in fields.items()}


def _same(current: Any, sent: Any) -> bool:
    if current == sent:
        return True
    if isinstance(current, str) and isinstance(sent, str):
        try:
            return datetime.fromisoformat(current) == datetime.fromisoformat(sent)
        except ValueError:
            return False
    return False


def _require(body: Mapping[str, Any], names: Iterable[str]) -> None:
    missing = sorted(name for name in names if name not in body)
    if missing:
        raise BadRequest(title=INVALID_BODY, detail=f"Missing required property(ies): {missing}")


def _writable_data(
    body: Mapping[str, Any],
    mask: list[str] | None,
    schema: Schema,
    rules: PatchRules,
    unchanged: Callable[[str], bool],
) -> dict[str, Any]:
    """The part of ``body`` to load, after enforcing the mask rules (raises 400 naming the field)."""
    known = _wire_names(schema.fields)
    writable = _wire_names(schema.load_fields)
    for name, reason in rules.frozen.items():
        if name in body and (mask is None or rules.frozen_with_mask) and not unchanged(name):
            raise BadRequest(title=FROZEN_FIELD, detail=reason)
    for name in body:
        if name in known and name not in writable and name not in rules.frozen:
            raise BadRequest(detail=f"Property is read-only - {name!r}")
    if mask is not None:
        if rules.required_with_mask:
            _require(body, rules.required)
        data: dict[str, Any] = {}
        for name in mask:
            if name not in known:
                raise BadRequest(detail=f"update_mask names an unknown field: {name}")
            if name not in body or name in rules.frozen:
                continue
            if name not in writable:
                raise BadRequest(detail=f"update_mask names a read-only field: {name}")
            data[name] = body[name]
        return data
    if rules.replace:
        _require(body, rules.required)
    data = {name: value for name, value in rules.defaults.items() if rules.replace and name not in body}
    for name, value in body.items():
        if name in writable and name not in rules.frozen:
            data[name] = value
        elif name not in known:
            raise BadRequest(detail=f"Unknown field in request body: {name}")
    return data


def patch_values(
    body: Mapping[str, Any], update_mask: Iterable[str] | str | None, *, schema: Schema
) -> dict[str, Any]:
    """The validated attribute values a bulk PATCH sets on every object it selects."""
    data = _writable_data(body, parse_update_mask(update_mask), schema, MERGE, lambda _name: False)
    loaded: dict[str, Any] = schema.load(data, partial=True)
    return loaded


def plan_patch(
    obj: Any,
    body: Mapping[str, Any],
    update_mask: Iterable[str] | str | None,
    *,
    schema: Schema,
    rules: PatchRules = MERGE,
) -> dict[str, Any]:
    """The validated attribute values this PATCH sets on ``obj``; ``obj`` is not touched."""
    current: dict[str, Any] | None = None

    def unchanged(name: str) -> bool:
        nonlocal current
        if current is None:
            current = schema.dump(obj)
        return _same(current.get(name), body[name])

    data = _writable_data(body, parse_update_mask(update_mask), schema, rules, unchanged)
    loaded: dict[str, Any] = schema.load(data, partial=True)
    return loaded


def apply_plan(obj: Any, plan: Mapping[str, Any]) -> set[str]:
    """Set the planned values on ``obj``; return the attribute names whose value changed."""
    changed: set[str] = set()
    for attribute, value in plan.items():
        if getattr(obj, attribute) != value:
            setattr(obj, attribute, value)
            changed.add(attribute)
    return changed


def apply_patch(
    obj: Any,
    body: Mapping[str, Any],
    update_mask: Iterable[str] | str | None,
    *,
    schema: Schema,
    rules: PatchRules = MERGE,
) -> set[str]:
    """Plan and apply ``body`` on ``obj`` under the update_mask rules; return the attributes that changed."""
    return apply_plan(obj, plan_patch(obj, body, update_mask, schema=schema, rules=rules))
