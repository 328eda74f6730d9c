"""The benchmark cannot rot: its command line, its dataset and its wrk parsing stay working."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from bench import bulk, dataset, report
from bench.wrk import parse
from sqlalchemy import create_engine, select

from orchestrator_api.dags.parser import parse_file
from orchestrator_api.models.run import DagRun, TaskInstance

WRK_OUTPUT = """Running 2s test @ http://127.0.0.1:8080/api/v1/version
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     4.87ms    7.40ms 103.60ms   97.15%
    Req/Sec     1.02k   120.00     1.20k    70.00%
  Latency Distribution
     50%    2.91ms
     75%    4.10ms
     90%    7.20ms
     99%    1.02s
  4070 requests in 2.00s, 0.95MB read
  Socket errors: connect 0, read 3, write 1, timeout 0
  Non-2xx or 3xx responses: 2
Requests/sec:   2027.95
Transfer/sec:    487.12KB
"""


def test_help_runs() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--help"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "--airflow" in done.stdout
    assert "--dry-run" in done.stdout


def test_wrk_summary_is_read() -> None:
    result = parse(WRK_OUTPUT)
    assert result.requests_per_second == 2027.95
    assert result.p50_ms == 2.91
    assert result.p99_ms == 1020.0
    assert (result.requests, result.socket_errors, result.non_2xx) == (4070, 4, 2)
    assert not result.clean


def test_generated_dags_parse(tmp_path: Path) -> None:
    dataset.write_dags(tmp_path, 2)
    files = sorted(tmp_path.iterdir())
    assert [f.name for f in files] == ["bench_00000.yaml", "bench_00001.yaml"]
    spec = parse_file(files[1])
    assert spec.dag_id == "bench_00001"
    assert len(spec.tasks) == dataset.TASKS_PER_DAG


def test_report_flags_errors() -> None:
    dirty = parse(WRK_OUTPUT)
    clean = parse(
        WRK_OUTPUT.replace("read 3, write 1", "read 0, write 0").replace("responses: 2", "responses: 0")
    )
    assert clean.clean
    results = {
        ("orchestrator-api", "version", "none", 8): dirty,
        ("ceiling", "version", "none", 8): clean,
    }
    args = {"workers": 2, "seconds": 2, "passes": 1}
    run = report.ScaleRun(1, 10, 2, "api", "sqlite://", {}, {}, results, {"orchestrator-api": 150.0})
    text = report.render([run], args=args)
    assert "| `version` | none | 2028 (1020) **4 socket errors, 2 non-2xx** |" in text
    assert "1.00x" in text
    assert "socket errors or non-2xx answers: 1 of 2" in text


def test_scales_are_compared() -> None:
    """Two scales render one section each and a table of the second against the first, flagging a drop of
    more than 20 %."""
    clean = WRK_OUTPUT.replace("read 3, write 1", "read 0, write 0").replace("responses: 2", "responses: 0")
    fast = parse(clean.replace("2027.95", "1000.00"))
    slow = parse(clean.replace("2027.95", "700.00"))
    one = report.ScaleRun(
        1, 10, 2, "api", "sqlite://", {}, {}, {("orchestrator-api", "dags", "basic", 8): fast}, {}
    )
    ten = report.ScaleRun(
        10, 100, 2, "bulk", "sqlite://", {}, {}, {("orchestrator-api", "dags", "basic", 8): slow}, {}
    )
    text = report.render([one, ten], args={"workers": 2, "seconds": 2, "passes": 1})
    assert "## 1x" in text
    assert "## 10x" in text
    assert "in bulk by the server's own trigger code" in text
    assert "| `dags` | basic | 8 | 1000 (1020) | 700 (1020) | 0.70x | **no (-30 %)** |" in text


@pytest.mark.slow
def test_dry_run_covers_both_seeding_paths_and_scales() -> None:
    """The whole bench on a tiny dataset: scale 1 seeded through the API, scale 2 in bulk, real servers and
    wrk, totals verified, the comparison rendered. On the PostgreSQL pass it runs there (a database per
    scale on the suite's server), so ``BENCH_DATABASE_URL`` stays working too."""
    env = dict(os.environ)
    server = os.environ.get("ORCHESTRATOR_API_TEST_DATABASE_URL", "")
    if server:
        env["BENCH_DATABASE_URL"] = server
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--dry-run", "--scales", "1,2", "--only", "version"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "runs (api)" in done.stdout
    assert "runs (bulk)" in done.stdout
    assert "totals verified (12 DAGs, 24 runs, 240 task instances)" in done.stdout
    assert "## 2x against 1x (ours)" in done.stdout
    assert ("VACUUM ANALYZE" in done.stdout) == bool(server)


def _rows(url: str) -> dict[str, list[dict[str, object]]]:
    """Every run and task instance, without what differs between two writes of the same row."""
    engine = create_engine(url)
    varying = {"id", "updated_at", "queued_at"}
    found = {}
    with engine.connect() as conn:
        for table, order in ((DagRun.__table__, "run_id"), (TaskInstance.__table__, "task_id")):
            rows = conn.execute(select(table).order_by(table.c.run_id, table.c[order])).mappings()
            found[table.name] = [{k: v for k, v in row.items() if k not in varying} for row in rows]
    engine.dispose()
    return found


def test_bulk_seeding_writes_the_rows_the_api_writes(client, admin, dag_folder, database) -> None:
    """``bench/bulk.py`` stands in for ``POST /dags/{id}/dagRuns`` at 10x: the same DAG's runs written
    both ways must be the same rows (data intervals, task instance fields, priority weights...)."""
    dag_folder({"bench_00003.yaml": dataset.dag_yaml(3)})
    for number in range(3):
        body = {
            "dag_run_id": f"bench_{number:03d}",
            "logical_date": (dataset.START + timedelta(days=number)).isoformat(),
        }
        response = client.post("/api/v1/dags/bench_00003/dagRuns", json=body, auth=admin)
        assert response.status_code == 200, response.text
    through_api = _rows(database)
    for number in range(3):
        response = client.delete(f"/api/v1/dags/bench_00003/dagRuns/bench_{number:03d}", auth=admin)
        assert response.status_code == 204
    assert _rows(database) == {"dag_run": [], "task_instance": []}

    assert bulk.seed_runs(database, 3, dataset.START, triggered_by=admin[0]) == 3

    in_bulk = _rows(database)
    assert len(in_bulk["task_instance"]) == 3 * dataset.TASKS_PER_DAG
    assert in_bulk == through_api
