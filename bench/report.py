"""``bench/RESULTS.md``: the machine, the versions, the dataset and one table per connection count."""

from __future__ import annotations

import os
import platform
import subprocess
from datetime import UTC, datetime
from importlib.metadata import version
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


def render(
    results: Results,
    memory: dict[str, float],
    timings: dict[str, float],
    *,
    args: dict[str, Any],
    database_url: str,
) -> str:
    backend = database_url.split(":", 1)[0].split("+", 1)[0]
    airflow = any(server == "airflow" for (server, *_rest) in results)
    connections = sorted({count for (_s, _n, _a, count) in results})
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
        f"- Database: {backend}; {args['dags']} DAGs x 10 tasks, {args['dags'] * args['runs_per_dag']} runs, "
        f"{args['dags'] * args['runs_per_dag'] * 10} task instances",
        f"- Seeding: DAG files + `dags sync` {timings.get('dags', 0):.0f} s; runs through "
        f"`POST /dags/{{id}}/dagRuns` {timings.get('runs', 0):.0f} s; task instance states by SQL "
        f"{timings.get('states', 0):.1f} s (see `bench/dataset.py`)",
        f"- Servers: `orchestrator-api serve --workers {args['workers']}` (production settings); the ceiling "
        f"(`bench/ceiling`, bare connexion, same statements and JSON fields, no auth) under gunicorn with "
        f"{args['workers']} uvicorn workers",
        f"- Each cell: wrk `-d{round(args['seconds'])}s --latency`, best of {args['passes']} interleaved "
        "pass(es); requests per second, p99 latency in ms in brackets",
        "",
    ]
    for count in connections:
        lines += [f"## {count} connection{'s' if count > 1 else ''}", ""]
        lines += _table(results, count, airflow)
        lines.append("")
    dirty = [key for key, result in results.items() if not result.clean]
    lines += [
        "## Errors and memory",
        "",
        f"- wrk runs with socket errors or non-2xx answers: {len(dirty)} of {len(results)}",
        "- Resident memory after the run (master + workers): "
        + ", ".join(f"{name} {mib:.0f} MiB" for name, mib in memory.items()),
        "",
    ]
    return "\n".join(lines)
