// The client scenario through the Go client generated from our spec (build/sdk/go).
// Reads ORCHESTRATOR_URL, ORCHESTRATOR_USERNAME and ORCHESTRATOR_PASSWORD; prints one JSON object.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"os"
	"sort"

	orchestrator "example.org/orchestrator-api/orchestrator-client-go"
)

func must[T any](value T, _ any, err error) T {
	if err != nil {
		var apiErr *orchestrator.GenericOpenAPIError
		if errors.As(err, &apiErr) {
			log.Fatalf("%v: %s", err, apiErr.Body())
		}
		log.Fatal(err)
	}
	return value
}

func main() {
	config := orchestrator.NewConfiguration()
	config.Servers = orchestrator.ServerConfigurations{{URL: os.Getenv("ORCHESTRATOR_URL") + "/api/v1"}}
	client := orchestrator.NewAPIClient(config)
	username := os.Getenv("ORCHESTRATOR_USERNAME")

	basic := context.WithValue(context.Background(), orchestrator.ContextBasicAuth,
		orchestrator.BasicAuth{UserName: username, Password: os.Getenv("ORCHESTRATOR_PASSWORD")})
	created := must(client.TokensAPI.PostUserToken(basic, username).
		AccessTokenRequest(*orchestrator.NewAccessTokenRequest("go scenario")).Execute())
	token := created.GetToken()

	ctx := context.WithValue(context.Background(), orchestrator.ContextAccessToken, token)
	first := must(client.DAGAPI.GetDags(ctx).Limit(2).Offset(0).Execute())
	second := must(client.DAGAPI.GetDags(ctx).Limit(2).Offset(2).Execute())
	unpause := orchestrator.NewDAG()
	unpause.SetIsPaused(false)
	patched := must(client.DAGAPI.PatchDag(ctx, "etl_daily").DAG(*unpause).UpdateMask([]string{"is_paused"}).Execute())
	trigger := orchestrator.NewTriggerDAGRun()
	trigger.SetConf(map[string]interface{}{"env": "staging"})
	run := must(client.DAGRunAPI.PostDagRun(ctx, "etl_daily").TriggerDAGRun(*trigger).Execute())
	instances := must(client.TaskInstanceAPI.GetTaskInstances(ctx, "etl_daily", run.GetDagRunId()).Execute())

	var problem map[string]interface{}
	_, response, err := client.DAGAPI.GetDag(ctx, "no_such_dag").Execute()
	var apiErr *orchestrator.GenericOpenAPIError
	if !errors.As(err, &apiErr) || response.StatusCode != 404 {
		log.Fatalf("expected a 404 problem, got %v", err)
	}
	if err := json.Unmarshal(apiErr.Body(), &problem); err != nil {
		log.Fatal(err)
	}

	ids := func(c *orchestrator.DAGCollection) []string {
		out := []string{}
		for _, dag := range c.GetDags() {
			out = append(out, dag.GetDagId())
		}
		return out
	}
	taskIDs := []string{}
	for _, ti := range instances.GetTaskInstances() {
		taskIDs = append(taskIDs, ti.GetTaskId())
	}
	sort.Strings(taskIDs)
	out, err := json.Marshal(map[string]interface{}{
		"token_prefix":  token[:9],
		"pages":         [][]string{ids(first), ids(second)},
		"total_entries": first.GetTotalEntries(),
		"is_paused":     patched.GetIsPaused(),
		"run_id":        run.GetDagRunId(),
		"conf":          run.GetConf(),
		"state":         run.GetState(),
		"task_ids":      taskIDs,
		"problem":       problem,
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(out))
}
