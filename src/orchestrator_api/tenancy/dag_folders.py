"""How DAG files land in organizations: ``DAGS_FOLDER/orgs/<org_id>/`` belongs to that organization.

Every other file of the DAGs folder belongs to the default organization, as before organizations existed.
A folder under ``orgs/`` whose name is no organization's org_id is left alone (and reported), so a typo
never creates DAGs anywhere; the files load once the organization exists and ``dags sync`` runs again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from orchestrator_api.dags import SyncReport, sync_dags
from orchestrator_api.models.organization import Organization
from orchestrator_api.tenancy.context import DEFAULT_ORG_ID, DEFAULT_ORGANIZATION_ID, scoped

ORGANIZATIONS_FOLDER = "orgs"


@dataclass
class FolderSync:
    """What ``dags sync`` did, per organization, and the folders it could not place."""

    reports: dict[str, SyncReport] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)

    def summary(self) -> str:
        if list(self.reports) == [DEFAULT_ORG_ID] and not self.unknown:
            return self.reports[DEFAULT_ORG_ID].summary()  # one organization: the output it always had
        lines = [f"organization {org_id}:\n{report.summary()}" for org_id, report in self.reports.items()]
        lines += [
            f"skipped {ORGANIZATIONS_FOLDER}/{name}: no organization has this org_id" for name in self.unknown
        ]
        return "\n".join(lines)

    @property
    def import_error_count(self) -> int:
        return sum(len(report.import_errors) for report in self.reports.values())


def sync_organization_folders(
    session: Session, folder: Path, *, progress: Callable[[int, int], None] | None = None
) -> FolderSync:
    """Sync ``folder`` into the default organization and each ``orgs/<org_id>/`` into its organization."""
    result = FolderSync()
    organizations_root = folder / ORGANIZATIONS_FOLDER
    folders = (
        sorted(p for p in organizations_root.iterdir() if p.is_dir()) if organizations_root.is_dir() else []
    )
    with scoped(DEFAULT_ORGANIZATION_ID):
        result.reports[DEFAULT_ORG_ID] = sync_dags(
            session, folder, progress=progress, skip={organizations_root.resolve()}
        )
    known = dict(session.execute(select(Organization.org_id, Organization.id)).tuples().all())
    for path in folders:
        organization = known.get(path.name)
        if organization is None or organization == DEFAULT_ORGANIZATION_ID:
            result.unknown.append(path.name)
            continue
        with scoped(organization):
            result.reports[path.name] = sync_dags(session, path, progress=progress)
    return result
