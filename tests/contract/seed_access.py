"""Contract rows for users, roles and tokens: a second user, a per-DAG role, a personal and a trigger token.

The spec's parameter examples (`contract_user`, `etl_reader`, token id 1) name these rows, so schemathesis
reaches existing users, roles and tokens as well as missing ones.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from orchestrator_api import db
from orchestrator_api.models import Action, Permission, Resource, Role, User
from orchestrator_api.security.token_secrets import issue_access_token, issue_trigger_token
from tests import factories


def seed_access(admin: tuple[str, str]) -> None:
    factories.user("contract_user", "Viewer", password="contract-password")
    with db.transaction() as session:
        read = session.scalars(select(Action).where(Action.name == "can_read")).one()
        etl = Resource(name="DAG:etl_daily")
        role = Role(name="etl_reader", permissions=[Permission(action=read, resource=etl)])
        session.add(role)
        user = session.scalars(select(User).where(User.username == "contract_user")).one()
        issue_access_token(
            session, user, kind="personal", name="contract", lifetime=timedelta(days=1), roles=[]
        )
        issue_trigger_token(session, "etl_daily", name="contract", created_by=admin[0], lifetime=None)
