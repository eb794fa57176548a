#!/usr/bin/env bash
# Every test: the Swift suites (serially: many drive real daemons), then each editor client's
# end-to-end tests in the real editor against a real daemon and the fake model server.
#   bash Tests/all.sh            # everything
#   bash Tests/all.sh swift      # the Swift suites only
#   bash Tests/all.sh editors    # the editor clients only (after a debug build)
set -uo pipefail
cd "$(dirname "$0")/.."
what=${1:-all}
failed=()

if [ "$what" != editors ] || [ ! -x .build/debug/aid ] || [ ! -x .build/debug/aid-fake-model ]; then
  swift build --build-tests || exit 1
fi
if [ "$what" != editors ]; then
  echo "== swift test --no-parallel"
  swift test --no-parallel --skip-build || failed+=(swift)
fi
if [ "$what" != swift ]; then
  export AID_BIN="$PWD/.build/debug/aid" AID_FAKE_MODEL="$PWD/.build/debug/aid-fake-model"
  for runner in editors/*/test/run; do
    [ -e "$runner" ] || continue
    editor=$(basename "$(dirname "$(dirname "$runner")")")
    echo "== $editor"
    timeout 900 bash "$runner" || failed+=("$editor")
  done
fi

if [ ${#failed[@]} -gt 0 ]; then
  echo "== FAILED: ${failed[*]}"
  exit 1
fi
echo "== all passed"
