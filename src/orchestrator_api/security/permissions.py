"""What each operation needs, in one table, and the one check that enforces it.

An entry lists (action, resource) pairs, all of which the caller must hold. ``"DAGs"`` is special: when the
request names a DAG (a ``dag_id`` path parameter other than ``~``) the caller may hold either the all-DAGs
permission or the DAG's own ``DAG:<dag_id>``; otherwise holding it for at least one DAG lets the call through
and the handler narrows rows with :func:`dag_filter`, a SQL condition rather than a list of ids.
As in Airflow, changing anything that belongs to a DAG needs ``can_edit`` on the DAG itself.
``OWN_ACCOUNT`` is special too: it is granted when the ``username`` path parameter is the caller's own, and
otherwise needs the same action on ``Users`` (access tokens: one's own, or anyone's for an administrator).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import ColumnElement, false, func, select, true

from orchestrator_api.migrations.seed_0001 import OP as AIRFLOW_OP
from orchestrator_api.migrations.seed_0001 import USER as AIRFLOW_USER
from orchestrator_api.models.auth import Action, Permission, Resource, role_permission
from orchestrator_api.problems import PermissionDenied
from orchestrator_api.security.dag_scope import covers, scope_condition
from orchestrator_api.security.principal import (
    CAN_CREATE,
    CAN_DELETE,
    CAN_EDIT,
    CAN_READ,
    DAG_RESOURCE_PREFIX,
    RESOURCE_DAG,
    WORKER_API,
    Principal,
)

Need = tuple[str, str]

DAG_RUNS = "DAG Runs"
TASK_INSTANCES = "Task Instances"
TASK_LOGS = "Task Logs"
DAG_CODE = "DAG Code"
DAG_WARNINGS = "DAG Warnings"
CONNECTIONS = "Connections"
VARIABLES = "Variables"
POOLS = "Pools"
XCOMS = "XComs"
AUDIT_LOGS = "Audit Logs"
IMPORT_ERRORS = "ImportError"
CONFIG = "Configurations"
DATASETS = "Datasets"
PLUGINS = "Plugins"
PROVIDERS = "Providers"
USERS = "Users"
ROLES = "Roles"
PERMISSIONS = "Permissions"
MY_PROFILE = "My Profile"
DAG_DEFINITIONS = "DAG Definitions"  # extension: DAGs authored through the API
# Extension, held only through an organization role: reading connections as id, type and host, without
# the login, password and extra (see ORGANIZATION_ROLE_PERMISSIONS).
CONNECTION_SUMMARIES = "Connection Summaries"
# Not a stored resource: the caller's own account, else the same action on `Users` (see `authorize`).
OWN_ACCOUNT = "Users (or one's own account)"


def _read(*resources: str) -> tuple[Need, ...]:
    return tuple((CAN_READ, r) for r in resources)


def _on_dag(action: str, resource: str) -> tuple[Need, ...]:
    """A change to something that belongs to a DAG: edit on the DAG plus ``action`` on the thing."""
    return ((CAN_EDIT, RESOURCE_DAG), (action, resource))


PUBLIC: tuple[Need, ...] = ()
# Any authenticated caller; the spec's `security` decides which schemes are accepted.
AUTHENTICATED: tuple[Need, ...] = ()

OPERATION_NEEDS: Mapping[str, tuple[Need, ...]] = {
    # Monitoring and configuration
    "get_health": PUBLIC,
    "get_version": PUBLIC,
    "get_config": _read(CONFIG),
    "get_value": _read(CONFIG),
    # DAGs
    "get_dags": _read(RESOURCE_DAG),
    "patch_dags": ((CAN_EDIT, RESOURCE_DAG),),
    "get_dag": _read(RESOURCE_DAG),
    "patch_dag": ((CAN_EDIT, RESOURCE_DAG),),
    "delete_dag": ((CAN_DELETE, RESOURCE_DAG),),
    "get_dag_details": _read(RESOURCE_DAG),
    "get_tasks": _read(RESOURCE_DAG),
    "get_task": _read(RESOURCE_DAG),
    "get_dag_source": _read(DAG_CODE),
    "reparse_dag_file": ((CAN_EDIT, RESOURCE_DAG),),
    "get_dag_stats": _read(RESOURCE_DAG, DAG_RUNS),
    # DAG runs
    "get_dag_runs": _read(RESOURCE_DAG, DAG_RUNS),
    "get_dag_runs_batch": _read(RESOURCE_DAG, DAG_RUNS),
    "post_dag_run": _on_dag(CAN_CREATE, DAG_RUNS),
    "get_dag_run": _read(RESOURCE_DAG, DAG_RUNS),
    "delete_dag_run": _on_dag(CAN_DELETE, DAG_RUNS),
    "update_dag_run_state": _on_dag(CAN_EDIT, DAG_RUNS),
    "clear_dag_run": _on_dag(CAN_EDIT, DAG_RUNS),
    "set_dag_run_note": _on_dag(CAN_EDIT, DAG_RUNS),
    "get_upstream_dataset_events": _read(RESOURCE_DAG, DAG_RUNS, DATASETS),
    # Task instances
    "get_task_instances": _read(RESOURCE_DAG, DAG_RUNS, TASK_INSTANCES),
    "get_task_instances_batch": _read(RESOURCE_DAG, DAG_RUNS, TASK_INSTANCES),
    "get_task_instance": _read(RESOURCE_DAG, DAG_RUNS, TASK_INSTANCES),
    "get_mapped_task_instances": _read(RESOURCE_DAG, DAG_RUNS, TASK_INSTANCES),
    "get_mapped_task_instance": _read(RESOURCE_DAG, DAG_RUNS, TASK_INSTANCES),
    "patch_task_instance": _on_dag(CAN_EDIT, TASK_INSTANCES),
    "patch_mapped_task_instance": _on_dag(CAN_EDIT, TASK_INSTANCES),
    "set_task_instance_note": _on_dag(CAN_EDIT, TASK_INSTANCES),
    "set_mapped_task_instance_note": _on_dag(CAN_EDIT, TASK_INSTANCES),
    "post_clear_task_instances": _on_dag(CAN_EDIT, TASK_INSTANCES),
    "post_set_task_instances_state": _on_dag(CAN_EDIT, TASK_INSTANCES),
    "get_task_instance_dependencies": _read(RESOURCE_DAG, DAG_RUNS, TASK_INSTANCES),
    "get_mapped_task_instance_dependencies": _read(RESOURCE_DAG, DAG_RUNS, TASK_INSTANCES),
    "get_task_instance_tries": _read(RESOURCE_DAG, DAG_RUNS, TASK_INSTANCES),
    "get_mapped_task_instance_tries": _read(RESOURCE_DAG, DAG_RUNS, TASK_INSTANCES),
    "get_task_instance_try_details": _read(RESOURCE_DAG, DAG_RUNS, TASK_INSTANCES),
    "get_mapped_task_instance_try_details": _read(RESOURCE_DAG, DAG_RUNS, TASK_INSTANCES),
    "get_log": _read(RESOURCE_DAG, DAG_RUNS, TASK_INSTANCES, TASK_LOGS),
    "get_extra_links": _read(RESOURCE_DAG, DAG_RUNS, TASK_INSTANCES),
    # XComs
    "get_xcom_entries": _read(RESOURCE_DAG, DAG_RUNS, TASK_INSTANCES, XCOMS),
    "get_xcom_entry": _read(RESOURCE_DAG, DAG_RUNS, TASK_INSTANCES, XCOMS),
    # Connections, variables, pools
    "get_connections": _read(CONNECTIONS),
    "post_connection": ((CAN_CREATE, CONNECTIONS),),
    "get_connection": _read(CONNECTIONS),
    "patch_connection": ((CAN_EDIT, CONNECTIONS),),
    "delete_connection": ((CAN_DELETE, CONNECTIONS),),
    "test_connection": ((CAN_CREATE, CONNECTIONS),),
    "get_variables": _read(VARIABLES),
    "post_variables": ((CAN_CREATE, VARIABLES),),
    "get_variable": _read(VARIABLES),
    "patch_variable": ((CAN_EDIT, VARIABLES),),
    "delete_variable": ((CAN_DELETE, VARIABLES),),
    "get_pools": _read(POOLS),
    "post_pool": ((CAN_CREATE, POOLS),),
    "get_pool": _read(POOLS),
    "patch_pool": ((CAN_EDIT, POOLS),),
    "delete_pool": ((CAN_DELETE, POOLS),),
    # Event logs, import errors, warnings
    "get_event_logs": _read(AUDIT_LOGS),
    "get_event_log": _read(AUDIT_LOGS),
    "get_import_errors": _read(IMPORT_ERRORS),
    "get_import_error": _read(IMPORT_ERRORS),
    "get_dag_warnings": _read(DAG_WARNINGS),
    # Datasets
    "get_datasets": _read(DATASETS),
    "get_dataset": _read(DATASETS),
    "get_dataset_events": _read(DATASETS),
    "create_dataset_event": ((CAN_CREATE, DATASETS),),
    "get_dag_dataset_queued_events": _read(RESOURCE_DAG, DATASETS),
    "get_dag_dataset_queued_event": _read(RESOURCE_DAG, DATASETS),
    "delete_dag_dataset_queued_events": ((CAN_READ, RESOURCE_DAG), (CAN_DELETE, DATASETS)),
    "delete_dag_dataset_queued_event": ((CAN_READ, RESOURCE_DAG), (CAN_DELETE, DATASETS)),
    "get_dataset_queued_events": _read(DATASETS),
    "delete_dataset_queued_events": ((CAN_DELETE, DATASETS),),
    # Plugins and providers
    "get_plugins": _read(PLUGINS),
    "get_providers": _read(PROVIDERS),
    # Users, roles, permissions
    "get_users": _read(USERS),
    "post_user": ((CAN_CREATE, USERS),),
    "get_user": _read(USERS),
    "patch_user": ((CAN_EDIT, USERS),),
    "delete_user": ((CAN_DELETE, USERS),),
    "get_roles": _read(ROLES),
    "post_role": ((CAN_CREATE, ROLES),),
    "get_role": _read(ROLES),
    "patch_role": ((CAN_EDIT, ROLES),),
    "delete_role": ((CAN_DELETE, ROLES),),
    "get_permissions": _read(PERMISSIONS),
    # Access tokens (extension)
    "get_user_tokens": ((CAN_READ, OWN_ACCOUNT),),
    "post_user_token": ((CAN_EDIT, OWN_ACCOUNT),),
    "delete_user_token": ((CAN_EDIT, OWN_ACCOUNT),),
    "post_session_token": AUTHENTICATED,
    "get_trigger_tokens": ((CAN_EDIT, RESOURCE_DAG),),
    "post_trigger_token": ((CAN_EDIT, RESOURCE_DAG),),
    "delete_trigger_token": ((CAN_EDIT, RESOURCE_DAG),),
    # The token in the path is the credential: the handler verifies it, as no security scheme applies.
    "trigger_dag_run_by_token": PUBLIC,
    # Watching a run (extension)
    "wait_dag_run": _read(RESOURCE_DAG, DAG_RUNS),
    # Workers (extension). Running tasks fills pool slots: whoever may create pools (Op, Admin) manages
    # the workers that fill them.
    "get_workers": ((CAN_CREATE, POOLS),),
    "post_worker": ((CAN_CREATE, POOLS),),
    "delete_worker": ((CAN_CREATE, POOLS),),
    # The worker API: only a worker token holds this permission, and it holds nothing else.
    "claim_task_instances": (WORKER_API,),
    "heartbeat_task_instance": (WORKER_API,),
    "append_task_instance_log": (WORKER_API,),
    "push_task_instance_xcom": (WORKER_API,),
    "finish_task_instance": (WORKER_API,),
    # DAG authoring (extension)
    "post_dag": ((CAN_CREATE, DAG_DEFINITIONS),),
    "get_dag_definition": _read(RESOURCE_DAG, DAG_CODE),
    "put_dag_definition": _on_dag(CAN_EDIT, DAG_DEFINITIONS),
    "post_task": _on_dag(CAN_EDIT, DAG_DEFINITIONS),
    "patch_task": _on_dag(CAN_EDIT, DAG_DEFINITIONS),
    "delete_task": _on_dag(CAN_EDIT, DAG_DEFINITIONS),
    # Organizations (extension). Deployment-level: the handlers check the caller's role in the organization
    # named in the path (tenancy.access), since a role there is not a permission of the caller's roles.
    "get_organizations": AUTHENTICATED,
    "post_organization": AUTHENTICATED,
    "get_organization": AUTHENTICATED,
    "patch_organization": AUTHENTICATED,
    "delete_organization": AUTHENTICATED,
    "get_organization_members": AUTHENTICATED,
    "post_organization_member": AUTHENTICATED,
    "patch_organization_member": AUTHENTICATED,
    "delete_organization_member": AUTHENTICATED,
    # Organization tokens (extension): Owners of the organization in the path and deployment Admins, as
    # people, never as a token (api.organization_tokens, through tenancy.membership).
    "get_organization_tokens": AUTHENTICATED,
    "post_organization_token": AUTHENTICATED,
    "get_organization_token": AUTHENTICATED,
    "delete_organization_token": AUTHENTICATED,
}

# Operations about organizations themselves: they act on the organization in their path, so the
# `Organization` header does not apply to them.
ORGANIZATION_OPERATIONS: frozenset[str] = frozenset(
    {
        "get_organizations",
        "post_organization",
        "get_organization",
        "patch_organization",
        "delete_organization",
        "get_organization_members",
        "post_organization_member",
        "patch_organization_member",
        "delete_organization_member",
        "get_organization_tokens",
        "post_organization_token",
        "get_organization_token",
        "delete_organization_token",
    }
)

# What a member holds inside a non-default organization, by organization role. An Owner works like
# Airflow's Op (connections in full, variables, pools, configuration), may author DAGs and reads the
# organization's audit log; a User works like Airflow's User and reads connections as summaries only.
# Member changes are Owner-only (tenancy.membership).
_DAG_AUTHORING = [(action, DAG_DEFINITIONS) for action in (CAN_CREATE, CAN_EDIT, CAN_DELETE)]
ORGANIZATION_ROLE_PERMISSIONS: Mapping[str, frozenset[Need]] = {
    "Owner": frozenset([*AIRFLOW_OP, *_DAG_AUTHORING, (CAN_READ, AUDIT_LOGS)]),
    "User": frozenset([*AIRFLOW_USER, (CAN_READ, CONNECTION_SUMMARIES)]),
}
# What an organization token holds in its organization, by its role: an Owner's or a User's as above, and
# for a Viewer what a User may read, nothing it may change.
ORGANIZATION_TOKEN_PERMISSIONS: Mapping[str, frozenset[Need]] = {
    **ORGANIZATION_ROLE_PERMISSIONS,
    "Viewer": frozenset(need for need in ORGANIZATION_ROLE_PERMISSIONS["User"] if need[0] == CAN_READ),
}

# What an operation needs beyond its entry above when the DAG it acts on was authored through the API:
# deleting such a DAG deletes its definition too.
API_DAG_NEEDS: Mapping[str, tuple[Need, ...]] = {
    "delete_dag": ((CAN_DELETE, DAG_DEFINITIONS),),
}

# What a worker's calls change is recorded on the task instance itself (dates, hostname, its log), so they
# stay out of the audit log, which would otherwise get a row per heartbeat and log chunk.
# Listing workers reads only, although it needs a write permission.
NOT_AUDITED: frozenset[str] = frozenset(
    {"get_workers", *(op for op, needs in OPERATION_NEEDS.items() if WORKER_API in needs)}
)


def is_mutating(operation_id: str) -> bool:
    """Whether the operation changes state (and so is recorded in the audit log)."""
    if operation_id in NOT_AUDITED:
        return False
    return operation_id in MUTATING_WITHOUT_WRITE_PERMISSION or any(
        action != CAN_READ for action, _ in OPERATION_NEEDS.get(operation_id, ())
    )


# Operations that change something yet need no write permission: they create a token, or a run.
MUTATING_WITHOUT_WRITE_PERMISSION: frozenset[str] = frozenset(
    {"post_session_token", "trigger_dag_run_by_token", "post_organization_token", "delete_organization_token"}
)


def authorize(principal: Principal, operation_id: str, arguments: Mapping[str, Any]) -> None:
    """Raise 403 unless ``principal`` holds everything ``operation_id`` needs for these arguments."""
    if principal.allowed_operations is not None and operation_id not in principal.allowed_operations:
        if principal.method == "worker":
            raise PermissionDenied(detail="A worker token may only call the worker API")
        raise PermissionDenied(detail="This token may only trigger runs of its DAG")
    if principal.dag_scope is not None and operation_id == "post_dag":
        # The new DAG's id is in the body, which no scope check reads: a narrowed token makes no DAGs.
        raise PermissionDenied(detail="A token narrowed to some DAGs cannot create DAGs")
    needs = OPERATION_NEEDS[operation_id]
    argument = arguments.get("dag_id")
    dag_id = argument if isinstance(argument, str) and argument != "~" else None
    named_dag = dag_id is not None
    for action, resource in needs:
        if resource == RESOURCE_DAG and dag_id is not None:
            allowed = principal.can_dag(action, dag_id) and (
                principal.dag_scope is None or covers(principal.dag_scope, dag_id)
            )
        elif resource == RESOURCE_DAG:
            allowed = principal.can_some_dag(action)
        elif (action, resource) == (CAN_READ, CONNECTIONS):
            allowed = principal.has(CAN_READ, CONNECTIONS) or principal.has(CAN_READ, CONNECTION_SUMMARIES)
        elif resource == OWN_ACCOUNT:
            own = principal.user_id is not None and arguments.get("username") == principal.username
            allowed = own or principal.has(action, USERS)
        else:
            allowed = principal.has(action, resource)
        if not allowed:
            target = f"DAG {dag_id!r}" if resource == RESOURCE_DAG and named_dag else resource
            target = USERS if resource == OWN_ACCOUNT else target
            raise PermissionDenied(detail=f"Missing permission {action} on {target}")


def sees_connection_secrets(principal: Principal) -> bool:
    """Whether connections are shown in full (login, extra), or as summaries (id, type, host...)."""
    return principal.has(CAN_READ, CONNECTIONS)


def is_deployment_admin(principal: Principal) -> bool:
    """An administrator of the whole deployment (manages roles): sees and manages every organization."""
    return principal.has(CAN_EDIT, ROLES) and principal.has(CAN_EDIT, USERS)


def authorize_api_dag(principal: Principal, operation_id: str) -> None:
    """Raise 403 unless ``principal`` also holds what :data:`API_DAG_NEEDS` lists for ``operation_id``."""
    for action, resource in API_DAG_NEEDS.get(operation_id, ()):
        if not principal.has(action, resource):
            raise PermissionDenied(detail=f"Missing permission {action} on {resource}")


def dag_filter(principal: Principal, column: Any, action: str = CAN_READ) -> ColumnElement[bool]:
    """A WHERE condition keeping rows whose DAG (``column``) the principal may ``action``.

    All-DAGs access is ``TRUE``; per-DAG access is a subquery over the principal's roles' ``DAG:<id>``
    resources, so the database does the filtering and paginated totals stay right. A DAG-scoped token's
    scope is the same kind of condition (see ``dag_scope``).
    """
    if principal.dag_scope is not None:
        if (action, RESOURCE_DAG) not in principal.permissions:
            return false()
        return scope_condition(principal.dag_scope, column)
    if principal.has(action, RESOURCE_DAG):
        return true()
    if not principal.role_ids or not principal.can_some_dag(action):
        return false()
    prefix_length = len(DAG_RESOURCE_PREFIX)
    granted = (
        select(func.substr(Resource.name, prefix_length + 1))
        .select_from(role_permission)
        .join(Permission, Permission.id == role_permission.c.permission_id)
        .join(Action, Action.id == Permission.action_id)
        .join(Resource, Resource.id == Permission.resource_id)
        .where(
            role_permission.c.role_id.in_(sorted(principal.role_ids)),
            Action.name == action,
            Resource.name.startswith(DAG_RESOURCE_PREFIX, autoescape=True),
        )
    )
    return column.in_(granted)  # type: ignore[no-any-return]
