"""``bench/RESULTS.md``: the machine, the versions, the dataset and one table per connection count."""

from __future__ import annotations

import os
import platform
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

from bench.wrk import WrkResult

Results = dict[tuple[str, str, str, int], WrkResult]


def _machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in open("/proc/cpuinfo").read().splitlines():  # noqa: SIM115
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{platform.system()} {platform.release()}, {os.cpu_count()} cores ({cpu})"


def _wrk_version() -> str:
    done = subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False)
    text = (done.stdout or done.stderr).strip()
    return text.splitlines()[0].split(" Copyright")[0] if text else "wrk"


def _cell(result: WrkResult | None) -> str:
    if result is None:
        return "-"
    errors = "" if result.clean else f" **{result.socket_errors} socket errors, {result.non_2xx} non-2xx**"
    return f"{result.requests_per_second:.0f} ({result.p99_ms:.0f}){errors}"


def _ratio(ours: WrkResult | None, other: WrkResult | None) -> str:
    if ours is None or other is None or not other.requests_per_second:
        return "-"
    return f"{ours.requests_per_second / other.requests_per_second:.2f}x"


def _table(results: Results, connections: int, airflow: bool) -> list[str]:
    head = "| `GET /api/v1/...` | auth | ours req/s (p99 ms) | ceiling req/s (p99 ms) | ours / ceiling |"
    rule = "|---|---|---:|---:|---:|"
    if airflow:
        head += " Airflow 2.10.5 req/s (p99 ms) | ours / Airflow |"
        rule += "---:|---:|"
    lines = [head, rule]
    # The order in which they were measured (the table), each once.
    scenarios = list(
        dict.fromkeys((name, auth) for (server, name, auth, count) in results if server != "ceiling")
    )
    for name, auth in scenarios:
        ours = results.get(("orchestrator-api", name, auth, connections))
        ceiling = results.get(("ceiling", name, "none", connections)) or results.get(
            ("ceiling", name, "basic", connections)
        )
        row = f"| `{name}` | {auth} | {_cell(ours)} | {_cell(ceiling)} | {_ratio(ours, ceiling)} |"
        if airflow:
            theirs = results.get(("airflow", name, auth, connections))
            row += f" {_cell(theirs)} | {_ratio(ours, theirs)} |"
        lines.append(row)
    return lines


@dataclass
class ScaleRun:
    """One scale's dataset, how it was seeded, and what was measured on it."""

    scale: int
    dags: int
    runs_per_dag: int
    seed: str  # "api" or "bulk"
    database_url: str
    timings: dict[str, float]
    airflow_timings: dict[str, float]
    results: Results
    memory: dict[str, float]

    @property
    def backend(self) -> str:
        return self.database_url.split(":", 1)[0].split("+", 1)[0]


def _seeding(run: ScaleRun) -> list[str]:
    runs = run.dags * run.runs_per_dag
    how = (
        "through `POST /dags/{id}/dagRuns`, one request per run"
        if run.seed == "api"
        else "in bulk by the server's own trigger code (`bench/bulk.py`)"
    )
    lines = [
        f"- Dataset: {run.backend}; {run.dags} DAGs x 10 tasks, {runs} runs, {runs * 10} task instances",
        f"- Seeding ours: DAG files + `dags sync` {run.timings.get('dags', 0):.0f} s; runs {how} "
        f"{run.timings.get('runs', 0):.0f} s; task instance states by SQL "
        f"{run.timings.get('states', 0):.1f} s"
        + (f"; `VACUUM ANALYZE` {run.timings['vacuum']:.0f} s" if "vacuum" in run.timings else ""),
    ]
    if run.airflow_timings:
        t = run.airflow_timings
        lines.append(
            f"- Seeding Airflow: `db migrate`, `users create`, `dags reserialize` of the same DAGs as Python "
            f"files and webserver start {t.get('dags', 0):.0f} s; runs and task instances with Airflow's "
            f"models in its venv (`bench/airflow_seed.py`) {t.get('runs', 0):.0f} s; states by SQL "
            f"{t.get('states', 0):.1f} s"
        )
    return lines


def _scale_section(run: ScaleRun, level: str) -> list[str]:
    airflow = any(server == "airflow" for (server, *_rest) in run.results)
    lines = [*_seeding(run), ""]
    for count in sorted({count for (_s, _n, _a, count) in run.results}):
        lines += [f"{level} {count} connection{'s' if count > 1 else ''}", ""]
        lines += _table(run.results, count, airflow)
        lines.append("")
    dirty = [key for key, result in run.results.items() if not result.clean]
    lines += [
        f"{level} Errors and memory",
        "",
        f"- wrk runs with socket errors or non-2xx answers: {len(dirty)} of {len(run.results)}",
        "- Resident memory after the run (master + workers): "
        + ", ".join(f"{name} {mib:.0f} MiB" for name, mib in run.memory.items()),
        "",
    ]
    return lines


def _comparison(base: ScaleRun, other: ScaleRun) -> list[str]:
    """Each of our figures at ``other``'s scale against ``base``'s (the issue's target: within 20 %)."""
    lines = [
        f"## {other.scale}x against {base.scale}x (ours)",
        "",
        f"| `GET /api/v1/...` | auth | connections | {base.scale}x req/s (p99 ms) | "
        f"{other.scale}x req/s (p99 ms) | {other.scale}x / {base.scale}x | within 20 % |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    for (server, name, auth, count), first in base.results.items():
        if server != "orchestrator-api":
            continue
        second = other.results.get((server, name, auth, count))
        ratio = (
            second.requests_per_second / first.requests_per_second
            if second and first.requests_per_second
            else 0
        )
        verdict = "yes" if ratio >= 0.8 else f"**no ({(ratio - 1) * 100:.0f} %)**"
        lines.append(
            f"| `{name}` | {auth} | {count} | {_cell(first)} | {_cell(second)} | {ratio:.2f}x | {verdict} |"
        )
    return [*lines, ""]


def render(runs: list[ScaleRun], *, args: dict[str, Any]) -> str:
    """The whole report: one section per scale (a single scale keeps the flat layout), then comparisons."""
    lines = [
        "# Benchmark results",
        "",
        "Written by `make bench` (`python -m bench`); see the README's benchmark section for how to read it.",
        "",
        f"- Date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- Machine: {_machine()}; the load generator (wrk, 2 threads) shares these cores with the servers",
        f"- Versions: Python {platform.python_version()}, connexion {version('connexion')}, "
        f"SQLAlchemy {version('sqlalchemy')}, gunicorn {version('gunicorn')}, uvicorn {version('uvicorn')}, "
        f"{_wrk_version()}",
        f"- Servers: `orchestrator-api serve --workers {args['workers']}` (production settings); the ceiling "
        f"(`bench/ceiling`, bare connexion, same statements and JSON fields, no auth) under gunicorn with "
        f"{args['workers']} uvicorn workers"
        + (
            f"; Airflow 2.10.5's own `airflow webserver --workers {args['workers']}` (gunicorn), "
            "basic-auth API backend, SQLite"
            if any(run.airflow_timings for run in runs)
            else ""
        ),
        f"- Each cell: wrk `-d{round(args['seconds'])}s --latency`, best of {args['passes']} interleaved "
        "pass(es); requests per second, p99 latency in ms in brackets. Every server's list totals are "
        "checked against the dataset before it is measured",
    ]
    if len(runs) == 1:
        lines += _scale_section(runs[0], "##")
    else:
        lines.append("")
        for run in runs:
            lines += [f"## {run.scale}x", "", *_scale_section(run, "###")]
        for run in runs[1:]:
            lines += _comparison(runs[0], run)
    if runs and runs[0].backend == "sqlite":
        # A link only to figures that exist: `make bench-postgres` is a separate, optional run.
        postgres = Path(__file__).with_name("RESULTS-postgres.md")
        lines += [
            "PostgreSQL figures: [`RESULTS-postgres.md`](RESULTS-postgres.md) (`make bench-postgres`)."
            if postgres.exists()
            else "PostgreSQL figures: not measured yet (`make bench-postgres` writes `RESULTS-postgres.md`).",
            "",
        ]
    return "\n".join(lines)
