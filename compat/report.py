"""Write compat/REPORT.md (for people) and compat/report.json (for the test that keeps it current)."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from compat import normalize
from compat.compare import Difference, Result
from compat.deliberate import reason_for
from compat.plan import airflow_operations

BASELINE = Path(__file__).resolve().parent / "baseline.json"
HOW = """## How it compares

Both servers start empty with the same admin user and the four `examples/dags` DAGs (Airflow gets them
translated to Python by `compat/airflow_dags.py`, stand-in operators with the same class names, and
`dags_are_paused_at_creation` off, as our DAG files default to unpaused). The same requests go to both, in
order. Rows no operation can create (task instance states, tries, logs, XComs, import errors, DAG warnings)
are written between two steps from `compat/seed.json`: into Airflow's database by `compat/seed_airflow.py`
(Airflow's own ORM, run with the Airflow venv's python), into ours by `compat/seed_ours.py` (the test
suite's factories). Compared: status code, media type (except on empty bodies), for problems `status`,
`title` and the `type` fragment, and for JSON bodies every key, type and value after normalisation. Text
bodies (DAG source, plain-text logs) are file contents that differ by nature and are not compared.
Differences cascade: a request one side refuses and the other accepts changes what later lists show.
"""


def _cell(value: Any) -> str:
    text = json.dumps(value) if not isinstance(value, str) else value
    return text.replace("|", "\\|").replace("\n", "\\n")


def _clip(body: Any) -> Any:
    text = body if isinstance(body, str) or body is None else json.dumps(body)
    return text if text is None or len(text) <= 1500 else text[:1500] + "..."


def _classify(row: dict[str, Any]) -> dict[str, Any]:
    """Give each of ``row``'s differences its documented reason (or None) and the row its outcome."""
    for d in row["differences"]:
        difference = Difference(d["where"], d["airflow"], d["ours"])
        d["deliberate"] = reason_for(row["name"], difference, row["airflow_status"])
    if not row["differences"]:
        row["result"] = "same"
    elif all(d["deliberate"] for d in row["differences"]):
        row["result"] = "deliberate"
    else:
        row["result"] = "differs"
    return row


def _case_rows(results: list[Result]) -> list[dict[str, Any]]:
    rows = []
    for result in results:
        row: dict[str, Any] = {
            "name": result.case.name,
            "operation": result.case.operation,
            "request": f"{result.case.method} {result.case.path}",
            "airflow_status": result.airflow.status,
            "ours_status": result.ours.status,
            "differences": [d.as_dict() for d in result.differences],
        }
        if result.differences:
            row["bodies"] = {"airflow": _clip(result.airflow.body), "ours": _clip(result.ours.body)}
        rows.append(_classify(row))
    return rows


def _baseline_origin() -> str:
    if not BASELINE.exists():
        return "none recorded"
    baseline = json.loads(BASELINE.read_text())
    return f"measured on `{baseline['measured_on']}` at {baseline['generated_at']}"


def _fixed(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Differences the baseline found in cases that now answer alike (or differ only deliberately).

    Counted per case, not per place: in a case that still differs, list items may pair up differently
    from one run to the next, and a place that stopped differing there proves nothing.
    """
    if not BASELINE.exists():
        return []
    baseline = json.loads(BASELINE.read_text())
    settled = {row["name"] for row in rows if row["result"] != "differs"}
    current = {(row["name"], d["where"]) for row in rows for d in row["differences"]}
    return [
        item
        for item in baseline["differences"]
        if item["case"] in settled and (item["case"], item["where"]) not in current
    ]


def save_baseline(report_json: Path, baseline: Path = BASELINE) -> None:
    """Keep ``report_json``'s differences as the baseline later reports count as fixed when they vanish."""
    document = json.loads(report_json.read_text())
    differences = [
        {"case": row["name"], "where": d["where"], "airflow": d["airflow"], "ours": d["ours"]}
        for row in document["cases"]
        for d in row["differences"]
        if not d["deliberate"]
    ]
    kept = {
        "measured_on": document["ours"],
        "generated_at": document["generated_at"],
        "differences": differences,
    }
    baseline.write_text(json.dumps(kept, indent=1) + "\n")


def rerender(out: Path) -> dict[str, Any]:
    """Write the report again from ``out/report.json`` with the current list of deliberate differences."""
    document = json.loads((out / "report.json").read_text())
    rows = [_classify(row) for row in document["cases"]]
    return _write(rows, out, document["airflow_version"], document["ours"], document["generated_at"])


def write_report(
    results: list[Result], out: Path, *, airflow_version: str, ours_commit: str
) -> dict[str, Any]:
    now = datetime.now(UTC).isoformat(timespec="seconds")
    return _write(_case_rows(results), out, airflow_version, ours_commit, now)


def _write(
    rows: list[dict[str, Any]], out: Path, airflow_version: str, ours_commit: str, generated_at: str
) -> dict[str, Any]:
    operations = airflow_operations()
    by_operation: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_operation[row["operation"]].append(row)
    fixed = _fixed(rows)
    summary = {
        "cases": len(rows),
        "same": sum(row["result"] == "same" for row in rows),
        "deliberate": sum(row["result"] == "deliberate" for row in rows),
        "differs": sum(row["result"] == "differs" for row in rows),
        "undocumented": sum(1 for row in rows for d in row["differences"] if not d["deliberate"]),
        "fixed": len(fixed),
        "operations": len(operations),
        "operations_not_compared": sorted(set(operations) - set(by_operation)),
    }
    document = {
        "generated_at": generated_at,
        "airflow_version": airflow_version,
        "ours": ours_commit,
        "operations": operations,
        "summary": summary,
        "cases": rows,
        "fixed": fixed,
        "baseline": _baseline_origin(),
    }
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.json").write_text(json.dumps(document, indent=1, sort_keys=False) + "\n")
    (out / "REPORT.md").write_text(_markdown(document, by_operation))
    return summary


def _markdown(document: dict[str, Any], by_operation: dict[str, list[dict[str, Any]]]) -> str:
    summary = document["summary"]
    lines = [
        "# Compatibility report: orchestrator-api against Apache Airflow",
        "",
        "Generated by `make compat` (`python -m compat`; see `compat/` and the README's Compatibility",
        "section).",
        "Do not edit by hand: run `make compat` again.",
        "",
        f"- Date: {document['generated_at']}",
        f"- Airflow: apache-airflow {document['airflow_version']} webserver (SQLite, basic-auth API backend,"
        " 1 gunicorn worker, no scheduler)",
        f"- Ours measured on: `{document['ours']}`",
        f"- Operations compared: {summary['operations']} (every operationId of `openapi/v1.yaml` outside the "
        "extension tags); cases: {cases}".format(cases=summary["cases"]),
        f"- Cases answered the same: {summary['same']}; only deliberate differences: {summary['deliberate']};"
        f" with undocumented differences: {summary['differs']} ({summary['undocumented']} differences)",
        f"- Differences of the baseline (`compat/baseline.json`, {document['baseline']}) now fixed:"
        f" {summary['fixed']}",
        "",
        *HOW.splitlines(),
        "### Fields that legitimately differ (`compat/normalize.py`)",
        "",
        "- Wall-clock timestamps (compared as null / date-time, offset style kept): "
        + ", ".join(f"`{k}`" for k in sorted(normalize.TIMESTAMP_KEYS)),
        "- Values each server picks (compared as present / null): "
        + ", ".join(f"`{k}`" for k in sorted(normalize.OPAQUE_KEYS)),
        "- Run ids generated from the trigger time (`manual__<time>`), and keys a case marks volatile"
        " (logical dates of runs triggered without one; users' login counters and times).",
        "- Lists whose order is database order or a Python set's in Airflow, compared as sets: "
        + ", ".join(f"`{k}`" for k in sorted(normalize.UNORDERED_KEYS)),
        "- A problem's `type` URL base (each server's docs); the `#section/Errors/...` fragment is compared.",
        "- A role's permissions on our extensions' resources ("
        + ", ".join(f"`{k}`" for k in sorted(normalize.EXTENSION_RESOURCES))
        + "), which Airflow has no such resource for, as a plugin's views would add theirs.",
        "",
        "## Operations",
        "",
        "| operation | cases | same | deliberate | differs |",
        "|---|---|---|---|---|",
    ]
    for operation in document["operations"]:
        rows = by_operation.get(operation, [])
        counts = [sum(r["result"] == kind for r in rows) for kind in ("same", "deliberate", "differs")]
        lines.append(f"| `{operation}` | {len(rows)} | " + " | ".join(map(str, counts)) + " |")
    lines += ["", "## Cases", "", "| case | request | Airflow | ours | result |", "|---|---|---|---|---|"]
    for row in document["cases"]:
        lines.append(
            f"| {_cell(row['name'])} | `{_cell(row['request'])}` | {row['airflow_status']}"
            f" | {row['ours_status']} | {row['result']} |"
        )
    lines += ["", "## Differences", ""]
    for row in document["cases"]:
        if not row["differences"]:
            continue
        lines += [
            f"### {row['name']} (`{row['request']}`)",
            "",
            "| where | Airflow | ours | status |",
            "|---|---|---|---|",
        ]
        for d in row["differences"]:
            status = f"deliberate: {d['deliberate']}" if d["deliberate"] else "open"
            lines.append(f"| `{d['where']}` | `{_cell(d['airflow'])}` | `{_cell(d['ours'])}` | {status} |")
        lines.append("")
    lines += ["## Fixed since the baseline", ""]
    if document["fixed"]:
        lines += ["| case | where | Airflow answered | we answered before |", "|---|---|---|---|"]
        for item in document["fixed"]:
            lines.append(
                f"| {_cell(item['case'])} | `{item['where']}` | `{_cell(item['airflow'])}`"
                f" | `{_cell(item['ours'])}` |"
            )
    else:
        lines.append("None recorded.")
    return "\n".join(lines) + "\n"
