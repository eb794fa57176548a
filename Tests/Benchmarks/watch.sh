#!/usr/bin/env bash
# Watch set-up time and memory of build monitoring on a large workspace: a private release daemon
# attaches the corpus (Tests/Benchmarks/corpus.sh; ~28,000 files) with a build command that does
# nothing, RUNS times; prints the watcher's own set-up time from the log and the daemon's RSS
# before and after.
#   Tests/Benchmarks/watch.sh CORPUS [RUNS]
set -euo pipefail
CORPUS=$(cd "${1:?usage: watch.sh CORPUS [RUNS]}" && pwd)
RUNS=${2:-5}
REPO=$(cd "$(dirname "$0")/../.." && pwd)
AID_BIN=${AID_BIN:-$REPO/.build/release/aid}
RUN=$(mktemp -d "${TMPDIR:-/tmp}/aid-watch-bench.XXXXXX")
export AID_SOCKET="$RUN/run/aid.sock" AID_STATE_DIR="$RUN/state" XDG_CONFIG_HOME="$RUN/config"
trap '"$AID_BIN" stop >/dev/null 2>&1 || true; rm -rf "$RUN"' EXIT
mkdir -p "$RUN/run" "$RUN/state" "$RUN/config" "$CORPUS/.aid" && chmod 700 "$RUN/run"
[ -e "$CORPUS/.aid/config.toml" ] || printf '[build]\ncommand = "true"\n' > "$CORPUS/.aid/config.toml"
echo "$(find "$CORPUS" -type f | wc -l) files in $CORPUS"
rss() { awk '/VmRSS/{print $2}' "/proc/$1/status"; }
for i in $(seq 1 "$RUNS"); do
  "$AID_BIN" status >/dev/null
  pid=$("$AID_BIN" status --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["pid"])')
  before=$(rss "$pid")
  "$AID_BIN" build run --workspace "$CORPUS" >/dev/null
  after=$(rss "$pid")
  line=$(grep "set up in" "$AID_STATE_DIR"/*.log | tail -1 | grep -o 'Watching.*')
  echo "run $i: $line  RSS $((before / 1024)) -> $((after / 1024)) MiB (+$(((after - before) / 1024)) MiB)"
  "$AID_BIN" stop >/dev/null
done
