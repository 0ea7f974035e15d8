#!/usr/bin/env bash
# `make run`: installs what is missing, starts DynamoDB Local (in memory, port 8000) with the
# table and the events/ fixtures, and serves the whole API at http://127.0.0.1:9000 through
# `cargo lambda watch`, which rebuilds a function when its code changes. Ctrl-C stops it all.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

API_PORT=${API_PORT:-9000}
DYNAMODB_PORT=${DYNAMODB_PORT:-8000}

"$ROOT/scripts/install.sh"
log "building the functions"
cargo build --workspace
trap cleanup EXIT
log "starting DynamoDB Local on port $DYNAMODB_PORT"
start_dynamodb "$DYNAMODB_PORT" "$ROOT/.local/run"
setup_table
log "serving the API at http://127.0.0.1:$API_PORT (Ctrl-C stops it)"
cargo lambda watch --invoke-address 127.0.0.1 --invoke-port "$API_PORT"
