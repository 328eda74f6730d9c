"""The differential compatibility harness: the same requests to a real Airflow 2.10.5 and to us.

``make compat`` (= ``python -m compat``) runs it all; ``compat/REPORT.md`` is its output. Layout:

- ``install_airflow.py``: the cached Airflow virtualenv (``$ORCHESTRATOR_API_COMPAT_CACHE``).
- ``airflow_dags.py``: ``examples/dags/*.yaml`` translated to Airflow Python DAG files (and a links plugin).
- ``servers.py``: both servers on fresh SQLite databases, the same admin user, free loopback ports.
- ``seed.json`` + ``seed_airflow.py`` / ``seed_ours.py``: rows no operation creates, written into both.
- ``case.py``, ``cases_*.py``, ``plan.py``: the requests, in order; ``compare.py`` sends and compares them.
- ``normalize.py``: the one list of fields that legitimately differ; ``deliberate.py``: the differences we
  keep, each with its reason; ``report.py``: REPORT.md and report.json (``--rerender`` reclassifies
  report.json without a run, ``--save-baseline`` keeps a run's differences to count later fixes).
"""
