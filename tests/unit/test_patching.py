"""patching.py: a PATCH is planned (every rule checked, every value loaded) before the object changes."""

from __future__ import annotations

import pytest
from marshmallow import ValidationError

from orchestrator_api.api.pools import DEFAULT_POOL_RULES, PATCH_RULES
from orchestrator_api.models.resources import Pool
from orchestrator_api.patching import apply_plan, plan_patch
from orchestrator_api.problems import BadRequest
from orchestrator_api.schemas.pool import PoolSchema


def pool(name: str = "etl") -> Pool:
    return Pool(pool=name, slots=4, description="ETL", include_deferred=True)


def snapshot(obj: Pool) -> tuple[object, ...]:
    return (obj.pool, obj.slots, obj.description, obj.include_deferred)


def test_a_plan_leaves_the_object_untouched_until_applied():
    target = pool()
    before = snapshot(target)
    plan = plan_patch(target, {"name": "etl", "slots": 9}, None, schema=PoolSchema(), rules=PATCH_RULES)
    assert snapshot(target) == before
    # Without a mask the body replaces the pool: include_deferred left out goes back to its default.
    assert plan == {"pool": "etl", "slots": 9, "include_deferred": False}
    assert apply_plan(target, plan) == {"slots", "include_deferred"}
    assert snapshot(target) == ("etl", 9, "ETL", False)


@pytest.mark.parametrize(
    ("body", "mask", "detail"),
    [
        ({"slots": 9}, None, "Missing required property(ies): ['name']"),
        ({"name": "etl", "slots": "many"}, None, None),  # marshmallow refuses it: nothing planned
        ({"name": "etl", "slots": 9, "open_slots": 9}, None, "Property is read-only - 'open_slots'"),
        ({"slots": 9}, ["size"], "unknown field: size"),
    ],
)
def test_a_refused_patch_changes_nothing(body, mask, detail):
    target = pool()
    before = snapshot(target)
    with pytest.raises((BadRequest, ValidationError)) as refused:
        plan_patch(target, body, mask, schema=PoolSchema(), rules=PATCH_RULES)
    if detail is not None:
        assert isinstance(refused.value, BadRequest)
        assert detail in str(refused.value.detail)
    assert snapshot(target) == before


def plan_default(body: dict[str, object], mask: list[str] | None = None) -> dict[str, object]:
    return plan_patch(pool("default_pool"), body, mask, schema=PoolSchema(), rules=DEFAULT_POOL_RULES)


def test_the_default_pools_name_is_a_frozen_field():
    assert plan_default({"name": "default_pool", "slots": 1})["slots"] == 1
    with pytest.raises(BadRequest) as renamed:
        plan_default({"name": "other", "slots": 1})
    assert renamed.value.detail == "Default Pool's name can't be modified"
    # A mask that leaves the name out leaves it alone, as in Airflow.
    assert plan_default({"name": "other", "slots": 2}, ["slots"]) == {"slots": 2}
