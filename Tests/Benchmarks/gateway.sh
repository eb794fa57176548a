#!/usr/bin/env bash
# What Aid's model gateway adds to a model call, side by side with LiteLLM's proxy, on the same
# mock upstream, in the same run.
#
#   Tests/Benchmarks/gateway.sh BENCH_DIR
#
# BENCH_DIR is the LiteLLM gateway benchmark (mock_server.py, bench.py, run.sh, config.yaml).
# The script
#   1. runs BENCH_DIR/run.sh (the mock, LiteLLM's proxy, bench.py through it), then
#   2. starts the mock again and a private Aid daemon (release build; AID_BIN overrides) whose model
#      `mock-gpt` is the mock and whose local OpenAI-compatible endpoint is on, and runs bench.py
#      through Aid's endpoint, then
#   3. measures time to first token of models/complete over the JSON-RPC socket (streamed)
#      against a streamed request sent straight to the mock (rpc_ttft.py).
# Knobs: N, THREADS, PER_THREAD (as run.sh), MOCK_PORT (18080), AID_PORT (18765); SKIP_LITELLM=1
# measures Aid alone (for quick iterations; the ratios need the LiteLLM half of the same run).
set -euo pipefail
BENCH=$(cd "${1:?usage: gateway.sh BENCH_DIR}" && pwd)
REPO=$(cd "$(dirname "$0")/../.." && pwd)
AID_BIN=${AID_BIN:-$REPO/.build/release/aid}
WORK=${AID_BENCH_DIR:-${TMPDIR:-/tmp}/aid-bench-gateway}
MOCK_PORT=${MOCK_PORT:-18080}; AID_PORT=${AID_PORT:-18765}
N=${N:-500}; THREADS=${THREADS:-8}; PER_THREAD=${PER_THREAD:-200}
[ -x "$AID_BIN" ] || { echo "no aid at $AID_BIN: swift build -c release --product aid" >&2; exit 1; }

if [ "${SKIP_LITELLM:-0}" != 1 ]; then
  echo "== LiteLLM"
  N=$N THREADS=$THREADS PER_THREAD=$PER_THREAD MOCK_PORT=$MOCK_PORT bash "$BENCH/run.sh"
fi

echo
echo "== Aid"
PY="$WORK/venv/bin/python"
RUN=$(mktemp -d "${TMPDIR:-/tmp}/aid-gateway-bench.XXXXXX")
MOCK_PID=""
cleanup() {
  AID_SOCKET="$RUN/run/aid.sock" AID_STATE_DIR="$RUN/state" XDG_CONFIG_HOME="$RUN/config" "$AID_BIN" stop >/dev/null 2>&1 || true
  [ -n "$MOCK_PID" ] && kill "$MOCK_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$RUN"
}
trap cleanup EXIT INT TERM
"$PY" "$BENCH/mock_server.py" "$MOCK_PORT" > "$RUN/mock.log" 2>&1 &
MOCK_PID=$!
for _ in $(seq 1 200); do
  (exec 3<>/dev/tcp/127.0.0.1/$MOCK_PORT) 2>/dev/null && break
  sleep 0.05
done
mkdir -p "$RUN/run" "$RUN/state" "$RUN/config/aid" && chmod 700 "$RUN/run"
cat > "$RUN/config/aid/config.toml" <<TOML
[models.mock-gpt]
provider = "openai"
base_url = "http://127.0.0.1:$MOCK_PORT/v1"
model = "mock-gpt"
concurrency = 64

[routes]
default = ["mock-gpt"]

[gateway]
endpoint_enabled = true
endpoint_port = $AID_PORT
TOML
export AID_SOCKET="$RUN/run/aid.sock" AID_STATE_DIR="$RUN/state" XDG_CONFIG_HOME="$RUN/config"
T0=$("$PY" -c "import time; print(time.time())")
"$AID_BIN" status >/dev/null
for _ in $(seq 1 200); do
  [ -s "$RUN/state/endpoint-token" ] && (exec 3<>/dev/tcp/127.0.0.1/$AID_PORT) 2>/dev/null && break
  sleep 0.05
done
STARTUP=$("$PY" -c "import time; print(f'{time.time() - $T0:.2f}')")
KEY=$(cat "$RUN/state/endpoint-token")
"$PY" "$BENCH/bench.py" --direct "http://127.0.0.1:$MOCK_PORT" --via "http://127.0.0.1:$AID_PORT" \
  --via-name aid --key "$KEY" --n "$N" --threads "$THREADS" --per-thread "$PER_THREAD"
PID=$("$AID_BIN" status --json | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["pid"])')
echo "aid startup->endpoint ready: ${STARTUP}s   RSS after benchmark: $(( $(ps -o rss= -p "$PID") / 1024 )) MiB   peak (VmHWM): $(( $(awk '/VmHWM/{print $2}' /proc/$PID/status) / 1024 )) MiB"
"$PY" "$(dirname "$0")/rpc_ttft.py" --socket "$AID_SOCKET" --direct "http://127.0.0.1:$MOCK_PORT" --n "$N"
