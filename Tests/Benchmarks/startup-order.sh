#!/usr/bin/env bash
# Regenerates Sources/aid/startup.order, the functions a release daemon runs to start, answer
# `initialize` and `daemon/status`, and stop. The release link lays the input sections holding
# them out together (`releaseLinkerSettings` in Package.swift), so the idle daemon maps a few
# MiB of contiguous code instead of one 64 KiB fault-around window per function scattered over
# the whole binary. A stale list costs only memory: names no longer in the binary are skipped.
# Needs valgrind and python3. Usage: bash Tests/Benchmarks/startup-order.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
valgrind_pid=
cleanup() {
  [ -n "$valgrind_pid" ] && kill "$valgrind_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "== release build, with the link map"
swift build -c release --product aid -Xlinker -Map="$work/aid.map" >"$work/build.log" 2>&1 || { tail -20 "$work/build.log"; exit 1; }
# Valgrind cannot read the split debug information the Swift compiler writes; the symbol table suffices.
objcopy --strip-debug .build/release/aid "$work/aid"

echo "== the daemon under callgrind: start, aid status, three daemon/status, SIGTERM"
export AID_SOCKET="$work/run/aid.sock" XDG_STATE_HOME="$work/state" XDG_CONFIG_HOME="$work/config"
valgrind --tool=callgrind --demangle=no --compress-strings=no --callgrind-out-file="$work/callgrind.out" \
  "$work/aid" daemon --foreground >"$work/valgrind.log" 2>&1 &
valgrind_pid=$!
for _ in $(seq 600); do
  [ -S "$AID_SOCKET" ] && break
  kill -0 "$valgrind_pid" 2>/dev/null || { cat "$work/valgrind.log"; exit 1; }
  sleep 0.1
done
[ -S "$AID_SOCKET" ] || { echo "the daemon did not start under valgrind"; exit 1; }
"$work/aid" status >/dev/null
for _ in 1 2 3; do "$work/aid" rpc daemon/status >/dev/null; done
kill -TERM "$valgrind_pid"
wait "$valgrind_pid" || true
valgrind_pid=

echo "== one function per input section of the link"
python3 - "$work/callgrind.out" "$work/aid" "$work/aid.map" > Sources/aid/startup.order <<'PY'
import re, sys
callgrind, binary, link_map = sys.argv[1:]
# Every function of the binary that ran: callgrind names it under "fn=" (or as a callee, "cfn=").
ran, obj, callee_obj = set(), None, None
for line in open(callgrind, errors="replace"):
    if line.startswith("ob="):
        obj = line[3:].strip()
    elif line.startswith("cob="):
        callee_obj = line[4:].strip()
    elif line.startswith(("fn=", "cfn=")):
        name = line.split("=", 1)[1].strip()
        owner = (callee_obj or obj) if line.startswith("cfn=") else obj
        callee_obj = None
        if owner == binary:
            ran.add(re.sub(r"'\d+$", "", name))
# The linker orders input sections, so one symbol per section is enough: the map lists each
# input section (indented 8) followed by its symbols (indented 16).
row = re.compile(r"^\s*[0-9a-f]+\s+[0-9a-f]+\s+[0-9a-f]+\s+\d+ (\s*)(.*)$")
output, section, chosen = None, None, {}
for line in open(link_map, errors="replace"):
    match = row.match(line)
    if not match:
        continue
    depth, name = len(match.group(1)), match.group(2)
    if depth == 0:
        output = name
    elif depth == 8:
        section = name
    elif depth == 16 and output == ".text" and name in ran and section not in chosen:
        chosen[section] = name
for name in sorted(chosen.values()):
    print(name)
PY
echo "wrote Sources/aid/startup.order: $(wc -l < Sources/aid/startup.order) input sections"
