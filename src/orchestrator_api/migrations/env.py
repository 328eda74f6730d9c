"""Alembic environment: migrate the engine handed over by ``orchestrator_api.migrations.upgrade``."""

from __future__ import annotations

from alembic import context

from orchestrator_api import models

config = context.config
engine = config.attributes["engine"]

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=models.Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    context.run_migrations()
