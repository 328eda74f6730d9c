"""Rows the contract tests start from, beyond the example DAGs: each family registers what it needs."""

from __future__ import annotations

from collections.abc import Callable

from tests.contract.seed_access import seed_access
from tests.contract.seed_authoring import seed_authoring
from tests.contract.seed_observability import seed_observability
from tests.contract.seed_resources import seed_resources
from tests.contract.seed_runs import seed_runs

Seeder = Callable[[tuple[str, str]], None]

# Each resource family contributes a function that creates a few rows through the store or the API layer.
SEEDERS: list[Seeder] = [seed_access, seed_observability, seed_resources, seed_runs, seed_authoring]


def seed_contract_data(admin: tuple[str, str]) -> None:
    for seeder in SEEDERS:
        seeder(admin)
