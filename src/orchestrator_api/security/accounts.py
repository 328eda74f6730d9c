"""The rules of user and role management that several handlers share.

Role and permission names in request bodies are resolved here (an unknown name is a 409: the body is
well-formed, it names something the store does not hold); the "an active Admin must remain" rule lives here;
and so does what a role's deletion does to the users and tokens that held it.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import exists, select, update
from sqlalchemy.orm import Session

from orchestrator_api import db
from orchestrator_api.models.auth import Action, Permission, Resource, Role, User, user_role
from orchestrator_api.models.dag import Dag
from orchestrator_api.models.token import AccessToken, access_token_role
from orchestrator_api.problems import AlreadyExists, BadRequest
from orchestrator_api.queries import get_or_404
from orchestrator_api.security.principal import CAN_DELETE, CAN_EDIT, CAN_READ, DAG_RESOURCE_PREFIX
from orchestrator_api.tenancy.context import current_organization_id
from orchestrator_api.timeutil import utcnow

ADMIN_ROLE = "Admin"
# What a new user gets when the request names no role (Airflow's default registration role).
DEFAULT_ROLE = "Public"
# The actions a per-DAG resource (`DAG:<dag_id>`) offers.
DAG_ACTIONS = (CAN_READ, CAN_EDIT, CAN_DELETE)


def user_or_404(username: str) -> User:
    return get_or_404(
        User, User.username == username, title="User not found", detail=f"User {username!r} not found"
    )


def roles_named(names: Iterable[str]) -> list[Role]:
    """The roles with these names, ordered by name; 400 naming every one that does not exist (as Airflow)."""
    wanted = sorted(set(names))
    if not wanted:
        return []
    found = list(db.session().scalars(select(Role).where(Role.name.in_(wanted)).order_by(Role.name)))
    missing = sorted(set(wanted) - {role.name for role in found})
    if missing:
        raise BadRequest(detail=f"No role named {', '.join(map(repr, missing))}")
    return found


def default_roles() -> list[Role]:
    return list(db.session().scalars(select(Role).where(Role.name == DEFAULT_ROLE)))


def permissions_named(pairs: Iterable[tuple[str, str]]) -> list[Permission]:
    """The permissions for these (action, resource) names; 400 naming every one that does not exist.

    A per-DAG permission (`can_read`, `can_edit` or `can_delete` on `DAG:<dag_id>`) is created on first
    use when the DAG exists, so roles can grant access to single DAGs.
    """
    wanted = set(pairs)
    if not wanted:
        return []
    session = db.session()
    found = {
        (permission.action.name, permission.resource.name): permission
        for permission in session.scalars(
            select(Permission)
            .join(Action, Action.id == Permission.action_id)
            .join(Resource, Resource.id == Permission.resource_id)
            .where(Action.name.in_({a for a, _ in wanted}), Resource.name.in_({r for _, r in wanted}))
        )
    }
    for action, resource in sorted(wanted - found.keys()):
        created = _per_dag_permission(session, action, resource)
        if created is not None:
            found[(action, resource)] = created
    missing = sorted(wanted - found.keys())
    if missing:
        listed = ", ".join(f"{action} on {resource!r}" for action, resource in missing)
        raise BadRequest(detail=f"No such permission: {listed}")
    return [found[pair] for pair in sorted(wanted)]


def _per_dag_permission(session: Session, action: str, resource: str) -> Permission | None:
    if action not in DAG_ACTIONS or not resource.startswith(DAG_RESOURCE_PREFIX):
        return None
    dag_id = resource.removeprefix(DAG_RESOURCE_PREFIX)
    if session.get(Dag, (current_organization_id(), dag_id)) is None:
        return None
    resource_row = session.scalars(select(Resource).where(Resource.name == resource)).first()
    if resource_row is None:
        resource_row = Resource(name=resource)
        session.add(resource_row)
    action_row = session.scalars(select(Action).where(Action.name == action)).one()
    permission = Permission(action=action_row, resource=resource_row)
    session.add(permission)
    session.flush()
    return permission


def is_active_admin(user: User) -> bool:
    return user.active and any(role.name == ADMIN_ROLE for role in user.roles)


def ensure_other_active_admin(user: User, detail: str) -> None:
    """409 with ``detail`` unless an active user other than ``user`` holds the Admin role."""
    session = db.session()
    with session.no_autoflush:
        other = session.scalar(
            select(
                exists()
                .where(User.id == user_role.c.user_id, Role.id == user_role.c.role_id)
                .where(Role.name == ADMIN_ROLE, User.active.is_(True), User.id != user.id)
            )
        )
    if not other:
        raise AlreadyExists(title="Last administrator", detail=detail)


def forget_role(session: Session, role_id: int) -> None:
    """Before a role is deleted: its holders re-check their rights on their next request, and tokens
    narrowed to this role alone are revoked (with no role left they would act with all of the user's)."""
    holders = select(user_role.c.user_id).where(user_role.c.role_id == role_id)
    session.execute(update(User).where(User.id.in_(holders)).values(auth_version=User.auth_version + 1))
    narrowed_to_it = select(access_token_role.c.token_id).where(access_token_role.c.role_id == role_id)
    other_roles = select(access_token_role.c.token_id).where(access_token_role.c.role_id != role_id)
    session.execute(
        update(AccessToken)
        .where(
            AccessToken.id.in_(narrowed_to_it),
            AccessToken.id.not_in(other_roles),
            AccessToken.revoked_at.is_(None),
        )
        .values(revoked_at=utcnow())
    )
