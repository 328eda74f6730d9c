"""Clients generated from openapi/v1.yaml (`make sdk`) run the same scenario against a live server.

Each scenario signs in with basic auth, creates a personal access token and uses it to page through the
DAGs, unpause one with update_mask, trigger it with nothing but `conf`, read the run's task instances and
read the problem fields of a 404. Each prints one JSON object; all of them must tell the same story.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from tests.clients import sdkgen
from tests.clients.tools import need

pytestmark = pytest.mark.slow
SCENARIOS = Path(__file__).resolve().parent / "scenarios"
ETL_TASKS = ["clean_orders", "extract_orders", "load_fact_sales", "notify_done"]


def _env(live_server: str, admin: tuple[str, str]) -> dict[str, str]:
    return {
        **os.environ,
        "ORCHESTRATOR_URL": live_server,
        "ORCHESTRATOR_USERNAME": admin[0],
        "ORCHESTRATOR_PASSWORD": admin[1],
    }


def _run(command: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
    return done


def python_scenario(sdk: Path, env: dict[str, str], _tmp: Path) -> str:
    env = {**env, "PYTHONPATH": str(sdk / "python")}
    return _run([sys.executable, str(SCENARIOS / "scenario.py")], SCENARIOS, env).stdout


def typescript_scenario(sdk: Path, env: dict[str, str], tmp: Path) -> str:
    npm = need("npm", "npm")
    node = need("node", "nodejs")
    project = SCENARIOS / "typescript"
    if not (project / "node_modules" / ".bin" / "tsc").exists():
        _run([npm, "ci", "--no-audit", "--no-fund"], project, env)
    _run(
        [str(project / "node_modules" / ".bin" / "tsc"), "-p", str(project), "--outDir", str(tmp)],
        project,
        env,
    )
    return _run(
        [node, str(tmp / "tests" / "clients" / "scenarios" / "typescript" / "scenario.js")], project, env
    ).stdout


def go_scenario(sdk: Path, env: dict[str, str], tmp: Path) -> str:
    go = need("go", "golang-go")
    env = {
        **env,
        "GOFLAGS": "-mod=mod",
        "GOPROXY": "off",
        "GOCACHE": str(sdk.parent / "go-cache"),
        "GOTOOLCHAIN": "local",
    }
    binary = tmp / "scenario"
    _run([go, "build", "-o", str(binary), "."], SCENARIOS / "go", env)
    return _run([str(binary)], SCENARIOS / "go", env).stdout


@pytest.mark.parametrize(
    "scenario", [python_scenario, typescript_scenario, go_scenario], ids=["python", "typescript", "go"]
)
def test_generated_client_scenario(
    scenario: Callable[[Path, dict[str, str], Path], str],
    generated_sdk: Path,
    live_server: str,
    admin: tuple[str, str],
    example_dags: list[str],
    tmp_path: Path,
) -> None:
    result = json.loads(scenario(generated_sdk, _env(live_server, admin), tmp_path).strip().splitlines()[-1])

    assert result["token_prefix"] == "oapi_pat_"
    first, second = result["pages"]
    assert len(first) == 2
    assert len(second) == 2
    assert not set(first) & set(second)
    assert first + second == sorted(example_dags)[:4]
    assert result["total_entries"] == len(example_dags)
    assert result["is_paused"] is False
    assert result["conf"] == {"env": "staging"}
    assert result["state"] == "queued"
    assert result["task_ids"] == ETL_TASKS
    problem = result["problem"]
    assert problem["status"] == 404
    assert problem["title"] == "DAG not found"
    assert problem["type"].endswith("#section/Errors/NotFound")
    assert "no_such_dag" in problem["detail"]

    run = httpx.get(f"{live_server}/api/v1/dags/etl_daily/dagRuns/{result['run_id']}", auth=admin).json()
    # The client sent conf only: the server chose the logical date and inferred the interval from it.
    assert run["conf"] == {"env": "staging"}
    assert run["data_interval_start"] is not None
    assert not run["data_interval_start"].startswith("0001")


def test_generation_is_free_of_complaints(generated_sdk: Path) -> None:
    for name in sdkgen.GENERATORS:
        assert sdkgen.complaints((generated_sdk / f"{name}.log").read_text()) == []
        assert (generated_sdk / name).is_dir()
