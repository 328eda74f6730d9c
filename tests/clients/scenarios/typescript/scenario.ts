// The client scenario through the typescript-fetch client generated from our spec (build/sdk).
// Reads ORCHESTRATOR_URL, ORCHESTRATOR_USERNAME and ORCHESTRATOR_PASSWORD; prints one JSON object.
import {
  Configuration,
  DAGApi,
  DAGRunApi,
  ResponseError,
  TaskInstanceApi,
  TokensApi,
} from "../../../../build/sdk/typescript-fetch/src";

declare const process: { env: Record<string, string | undefined>; exitCode?: number };

function setting(name: string): string {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
}

async function main(): Promise<void> {
  const basePath = `${setting("ORCHESTRATOR_URL")}/api/v1`;
  const username = setting("ORCHESTRATOR_USERNAME");
  const basic = new Configuration({ basePath, username, password: setting("ORCHESTRATOR_PASSWORD") });
  const created = await new TokensApi(basic).postUserToken({
    username,
    accessTokenRequest: { name: "typescript scenario" },
  });
  const token = created.token ?? "";

  const bearer = new Configuration({ basePath, accessToken: token });
  const dags = new DAGApi(bearer);
  const first = await dags.getDags({ limit: 2, offset: 0 });
  const second = await dags.getDags({ limit: 2, offset: 2 });
  const patched = await dags.patchDag({ dagId: "etl_daily", dAG: { isPaused: false }, updateMask: ["is_paused"] });
  const run = await new DAGRunApi(bearer).postDagRun({
    dagId: "etl_daily",
    triggerDAGRun: { conf: { env: "staging" } },
  });
  const instances = await new TaskInstanceApi(bearer).getTaskInstances({
    dagId: "etl_daily",
    dagRunId: run.dagRunId ?? "",
  });
  let problem: unknown = null;
  try {
    await dags.getDag({ dagId: "no_such_dag" });
  } catch (error) {
    if (!(error instanceof ResponseError)) throw error;
    problem = await error.response.json();
  }

  console.log(
    JSON.stringify({
      token_prefix: token.slice(0, 9),
      pages: [(first.dags ?? []).map((d) => d.dagId), (second.dags ?? []).map((d) => d.dagId)],
      total_entries: first.totalEntries,
      is_paused: patched.isPaused,
      run_id: run.dagRunId,
      conf: run.conf,
      state: run.state,
      task_ids: (instances.taskInstances ?? []).map((ti) => ti.taskId).sort(),
      problem,
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
