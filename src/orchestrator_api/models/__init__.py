"""The metadata store's tables; importing this package registers every model on ``Base.metadata``."""

from orchestrator_api.models.auth import (
    Action,
    LoginThrottle,
    Permission,
    Resource,
    Role,
    User,
    role_permission,
    user_role,
)
from orchestrator_api.models.base import Base
from orchestrator_api.models.dag import Dag, DagCode, DagImportError, DagTag, DagWarning, Task
from orchestrator_api.models.dataset import (
    DagRunDatasetEvent,
    DagScheduleDatasetReference,
    Dataset,
    DatasetDagRunQueue,
    DatasetEvent,
    TaskOutletDatasetReference,
)
from orchestrator_api.models.definition import DagDefinition
from orchestrator_api.models.event_log import EventLog
from orchestrator_api.models.meta import InstanceMeta
from orchestrator_api.models.organization import Organization, OrganizationMember
from orchestrator_api.models.resources import DEFAULT_POOL, Connection, Pool, Variable
from orchestrator_api.models.run import (
    DagRun,
    Job,
    TaskInstance,
    TaskInstanceCount,
    TaskInstanceHistory,
    XCom,
)
from orchestrator_api.models.token import AccessToken, TriggerToken, access_token_role
from orchestrator_api.models.worker import Worker

__all__ = [
    "DEFAULT_POOL",
    "AccessToken",
    "Action",
    "Base",
    "Connection",
    "Dag",
    "DagCode",
    "DagDefinition",
    "DagImportError",
    "DagRun",
    "DagRunDatasetEvent",
    "DagScheduleDatasetReference",
    "DagTag",
    "DagWarning",
    "Dataset",
    "DatasetDagRunQueue",
    "DatasetEvent",
    "EventLog",
    "InstanceMeta",
    "Job",
    "LoginThrottle",
    "Organization",
    "OrganizationMember",
    "Permission",
    "Pool",
    "Resource",
    "Role",
    "Task",
    "TaskInstance",
    "TaskInstanceCount",
    "TaskInstanceHistory",
    "TaskOutletDatasetReference",
    "TriggerToken",
    "User",
    "Variable",
    "Worker",
    "XCom",
    "access_token_role",
    "role_permission",
    "user_role",
]
