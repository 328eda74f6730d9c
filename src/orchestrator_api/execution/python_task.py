"""Runs one PythonOperator callable in its own process: ``python -m orchestrator_api.execution.python_task``.

Reads ``{"python_callable": "module:function", "op_args": [...], "op_kwargs": {...}, "result_path": ...}``
on stdin, calls the function, and writes its return value as JSON to ``result_path``. Exit code 99 means
the callable asked to be skipped (it raised an exception named ``AirflowSkipException``).
"""

from __future__ import annotations

import importlib
import json
import sys
import traceback

SKIP_EXIT_CODE = 99


def main() -> int:
    spec = json.load(sys.stdin)
    module_name, _, function_name = spec["python_callable"].partition(":")
    try:
        function = getattr(importlib.import_module(module_name), function_name)
        value = function(*spec.get("op_args", []), **spec.get("op_kwargs", {}))
    except Exception as exc:
        if type(exc).__name__ == "AirflowSkipException":
            print(f"Skipping: {exc}", flush=True)
            return SKIP_EXIT_CODE
        traceback.print_exc(file=sys.stdout)
        return 1
    print(f"Done. Returned value was: {value!r}", flush=True)
    try:
        text = json.dumps(value)
    except TypeError:
        print("The return value is not JSON; no XCom pushed", flush=True)
        return 0
    with open(spec["result_path"], "w", encoding="utf-8") as handle:
        handle.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
