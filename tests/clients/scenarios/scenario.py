"""The client scenario through the Python client generated from our spec (build/sdk/python).

Reads ORCHESTRATOR_URL, ORCHESTRATOR_USERNAME and ORCHESTRATOR_PASSWORD; prints one JSON object that
the test compares with what the TypeScript and Go scenarios print.
"""

import json
import os

import orchestrator_client as oc
from orchestrator_client.exceptions import NotFoundException

URL = os.environ["ORCHESTRATOR_URL"] + "/api/v1"
basic = oc.Configuration(
    host=URL, username=os.environ["ORCHESTRATOR_USERNAME"], password=os.environ["ORCHESTRATOR_PASSWORD"]
)
with oc.ApiClient(basic) as api:
    created = oc.TokensApi(api).post_user_token(
        os.environ["ORCHESTRATOR_USERNAME"], oc.AccessTokenRequest(name="python scenario")
    )

with oc.ApiClient(oc.Configuration(host=URL, access_token=created.token)) as api:
    dags = oc.DAGApi(api)
    first = dags.get_dags(limit=2, offset=0)
    second = dags.get_dags(limit=2, offset=2)
    patched = dags.patch_dag("etl_daily", oc.DAG(is_paused=False), update_mask=["is_paused"])
    run = oc.DAGRunApi(api).post_dag_run("etl_daily", oc.TriggerDAGRun(conf={"env": "staging"}))
    instances = oc.TaskInstanceApi(api).get_task_instances("etl_daily", run.dag_run_id)
    try:
        dags.get_dag("no_such_dag")
        problem = None
    except NotFoundException as error:
        problem = error.data.to_dict() if error.data is not None else json.loads(error.body)

print(
    json.dumps(
        {
            "token_prefix": created.token[:9],
            "pages": [[d.dag_id for d in first.dags], [d.dag_id for d in second.dags]],
            "total_entries": first.total_entries,
            "is_paused": patched.is_paused,
            "run_id": run.dag_run_id,
            "conf": run.conf,
            "state": run.state,
            "task_ids": sorted(ti.task_id for ti in instances.task_instances),
            "problem": problem,
        }
    )
)
