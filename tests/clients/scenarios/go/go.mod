module example.org/orchestrator-api/scenario

go 1.19

require example.org/orchestrator-api/orchestrator-client-go v0.0.0

replace example.org/orchestrator-api/orchestrator-client-go => ../../../../build/sdk/go
