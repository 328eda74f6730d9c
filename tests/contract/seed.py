"""Rows the contract tests start from, beyond the example DAGs: families add what their operations need."""

from __future__ import annotations

from collections.abc import Callable

Seeder = Callable[[tuple[str, str]], None]

# Each resource family may append a function that creates a few rows through the store or the API layer.
SEEDERS: list[Seeder] = []


def seed_contract_data(admin: tuple[str, str]) -> None:
    for seeder in SEEDERS:
        seeder(admin)


from tests.contract.seed_runs import seed_runs  # noqa: E402

SEEDERS.append(seed_runs)
