"""The YAML DAG loader: parse and validate DAG files, compute schedules, and sync them into the store."""

from orchestrator_api.dags.errors import DagFileError, DagFolderError
from orchestrator_api.dags.file_token import file_token, fileloc_from_token
from orchestrator_api.dags.parser import parse_file, parse_text
from orchestrator_api.dags.schedule import (
    CronSchedule,
    DagRunInfo,
    DatasetSchedule,
    PresetSchedule,
    Schedule,
    infer_manual_data_interval,
    next_dagrun_info,
    schedule_from_json,
    schedule_interval,
    schedule_to_json,
    timetable_description,
)
from orchestrator_api.dags.spec import DagSpec, TaskSpec
from orchestrator_api.dags.sync import find_dag_files, sync_dags, sync_file
from orchestrator_api.dags.sync_report import ImportErrorReport, SyncReport

__all__ = [
    "CronSchedule",
    "DagFileError",
    "DagFolderError",
    "DagRunInfo",
    "DagSpec",
    "DatasetSchedule",
    "ImportErrorReport",
    "PresetSchedule",
    "Schedule",
    "SyncReport",
    "TaskSpec",
    "file_token",
    "fileloc_from_token",
    "find_dag_files",
    "infer_manual_data_interval",
    "next_dagrun_info",
    "parse_file",
    "parse_text",
    "schedule_from_json",
    "schedule_interval",
    "schedule_to_json",
    "sync_dags",
    "sync_file",
    "timetable_description",
]
