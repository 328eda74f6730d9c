"""``python -m compat``: install Airflow (cached), start both servers, run the plan, write the report."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx

from compat.compare import Result, compare, send
from compat.install_airflow import airflow_bin, ensure_airflow
from compat.plan import PLAN, SEED
from compat.report import rerender, save_baseline, write_report
from compat.servers import Server, start_airflow, start_ours

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def _seed(airflow: Server, ours: Server, ours_root: Path) -> None:
    data = HERE / "seed.json"
    subprocess.run(
        [str(airflow_bin("python")), str(HERE / "seed_airflow.py"), str(data)], env=airflow.env, check=True
    )
    env = {**ours.env, "PYTHONPATH": str(ours_root)}
    python = str(ours_root / ".venv" / "bin" / "python")
    subprocess.run([python, str(HERE / "seed_ours.py"), str(data)], env=env, cwd=ours_root, check=True)


def run(airflow: Server, ours: Server, ours_root: Path) -> list[Result]:
    results: list[Result] = []
    contexts: dict[str, dict[str, object]] = {"airflow": {}, "ours": {}}
    with (
        httpx.Client(base_url=f"{airflow.url}/api/v1", timeout=60) as to_airflow,
        httpx.Client(base_url=f"{ours.url}/api/v1", timeout=60) as to_ours,
    ):
        for step in PLAN:
            if step == SEED:
                _seed(airflow, ours, ours_root)
                continue
            assert not isinstance(step, str)
            for case in step:
                answer_airflow = send(to_airflow, case, contexts["airflow"])
                answer_ours = send(to_ours, case, contexts["ours"])
                results.append(
                    Result(case, answer_airflow, answer_ours, compare(case, answer_airflow, answer_ours))
                )
    return results


def _commit(root: Path) -> str:
    done = subprocess.run(
        ["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True, check=False
    )
    branch = subprocess.run(
        ["git", "-C", str(root), "rev-parse", "--abbrev-ref", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    )
    dirty = subprocess.run(
        ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
        capture_output=True,
        text=True,
        check=False,
    )
    suffix = " + uncommitted changes" if dirty.stdout.strip() else ""
    return f"{branch.stdout.strip()} @ {done.stdout.strip()[:12]}{suffix}"


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m compat", description=__doc__)
    parser.add_argument(
        "--ours-root", type=Path, default=ROOT, help="checkout (with .venv) whose server to measure"
    )
    parser.add_argument("--out", type=Path, default=HERE, help="folder for REPORT.md and report.json")
    parser.add_argument(
        "--save-baseline", action="store_true", help="keep this run's differences as compat/baseline.json"
    )
    parser.add_argument(
        "--rerender",
        action="store_true",
        help="only rewrite the report from report.json (new deliberate list)",
    )
    parser.add_argument("--keep", action="store_true", help="leave the servers running (prints their URLs)")
    args = parser.parse_args()
    ours_root = args.ours_root.resolve()
    if args.rerender:
        print(json.dumps(rerender(args.out)))
        return 0
    print(f"airflow venv: {ensure_airflow()}", flush=True)
    examples = (ROOT / "examples" / "dags").resolve()
    work = Path(tempfile.mkdtemp(prefix="orchestrator-compat-"))
    servers: list[Server] = []
    try:
        servers.append(start_airflow(work, examples))
        servers.append(start_ours(work, examples, ours_root))
        airflow, ours = servers
        print(f"airflow {airflow.url}  ours {ours.url}  (work folder {work})", flush=True)
        results = run(airflow, ours, ours_root)
        airflow_version = httpx.get(f"{airflow.url}/api/v1/version").json().get("version", "?")
        measured = _commit(ours_root)
        if ours_root != ROOT:
            measured += f" (harness: {_commit(ROOT)})"
        summary = write_report(results, args.out, airflow_version=airflow_version, ours_commit=measured)
        print(json.dumps(summary), flush=True)
        if args.save_baseline:
            save_baseline(args.out / "report.json")
    finally:
        if args.keep:
            for server in servers:
                print(f"{server.name}: {server.url} pid {server.process.pid if server.process else '-'}")
        else:
            for server in servers:
                server.stop()
    return 0 if summary.get("undocumented", 1) == 0 else 1


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
