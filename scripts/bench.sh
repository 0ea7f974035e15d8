#!/usr/bin/env bash
# `make bench`: builds the release functions (x86_64 here, and arm64 with cargo lambda and
# zig when they install), starts DynamoDB Local, and measures them through the Lambda
# Runtime API (bench/src/main.rs). Writes bench/RESULTS.md and bench/results.json.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

"$ROOT/scripts/install.sh"
log "building release binaries (x86_64)"
cargo build --release --workspace --bins

arm64=()
if python3 -m pip install --quiet --disable-pip-version-check ziglang==0.17.1 2>/dev/null; then
  log "building release binaries (arm64, cargo lambda + zig)"
  cargo lambda build --release --arm64 --workspace && arm64=(--arm64 "$ROOT/target/lambda")
else
  log "zig could not be installed: arm64 sizes are left out"
fi

work="$ROOT/.local/bench"
rm -rf "$work" && mkdir -p "$work"
trap cleanup EXIT
start_dynamodb "$(free_port)" "$work"
setup_table

log "measuring (this takes a while)"
"$ROOT/target/release/trolley-bench" --out "$ROOT/bench" --binaries "$ROOT/target/release" "${arm64[@]}"
rm -rf "$ROOT/bench/logs" "$ROOT/bench/bootstrap.zip"
