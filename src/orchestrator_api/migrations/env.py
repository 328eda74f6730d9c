"""Alembic environment: migrate the engine handed over by ``orchestrator_api.migrations.upgrade``."""

from __future__ import annotations

from alembic import context

from orchestrator_api import models

config = context.config
engine = config.attributes["engine"]
sqlite = engine.dialect.name == "sqlite"

with engine.connect() as connection:
    if sqlite:
        # SQLite changes a table's keys by rebuilding it (batch mode); with foreign keys on, dropping the
        # old copy of a referenced table would cascade into the tables that refer to it. The pragma only
        # takes effect outside a transaction.
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        connection.commit()
    with connection.begin():
        context.configure(
            connection=connection,
            target_metadata=models.Base.metadata,
            render_as_batch=sqlite,
            compare_type=True,
        )
        context.run_migrations()
    if sqlite:
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")
        connection.commit()
