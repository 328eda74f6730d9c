"""Rows the contract tests start from, beyond the example DAGs: families add what their operations need."""

from __future__ import annotations

from collections.abc import Callable

from tests.contract.seed_access import seed_access

Seeder = Callable[[tuple[str, str]], None]

# Each resource family may append a function that creates a few rows through the store or the API layer.
SEEDERS: list[Seeder] = []
SEEDERS.append(seed_access)


def seed_contract_data(admin: tuple[str, str]) -> None:
    for seeder in SEEDERS:
        seeder(admin)


from tests.contract.seed_observability import seed_observability  # noqa: E402

SEEDERS.append(seed_observability)
