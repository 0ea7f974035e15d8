# The two commands: `make run` serves the API locally, `make test` runs everything CI runs.
# Both install what they need on a fresh machine (scripts/install.sh).

.PHONY: run test bench install

run: ## Serve the whole API at http://127.0.0.1:9000 on DynamoDB Local (Ctrl-C stops it)
	scripts/run.sh

test: ## Lint, then unit, store and end-to-end tests against DynamoDB Local
	scripts/test.sh

bench: ## Measure release builds (cold start, latency, round trips, size, sweep); writes bench/RESULTS.md
	scripts/bench.sh

install: ## Install Java, DynamoDB Local, cargo-lambda and cfn-lint where missing
	scripts/install.sh
