# shellcheck shell=bash
# The shared set-up of the editor clients' end-to-end tests. Source it from a test runner:
#
#   . "$(dirname "$0")/../../test-support/harness.sh"
#   aid_harness_start '["first answer", "second answer"]'
#   ... run the editor's tests; they find everything in the variables below ...
#
# It gives the run its own daemon (its own socket, state and config directories under a fresh
# temporary directory, so it never touches the developer's daemon), a fake model server on
# 127.0.0.1 that streams scripted answers in the OpenAI wire format, and a sample workspace
# whose build fails while any .py file contains the word BUG. Everything is stopped and removed
# when the runner exits.
#
# Inputs (optional): AID_BIN, the aid executable (default: the debug build of this checkout);
# AID_FAKE_MODEL, the aid-fake-model executable (same default).
# Exported: AID_BIN, AID_SOCKET, AID_STATE_DIR, XDG_CONFIG_HOME, XDG_RUNTIME_DIR,
# AID_TEST_DIR (the temporary directory), AID_TEST_WORKSPACE (the sample workspace),
# AID_FAKE_ANSWERS (the answers file; rewrite it to change the next answers),
# AID_FAKE_URL (the fake server's base URL; GET $AID_FAKE_URL/requests lists what it received).

aid_harness_repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
: "${AID_BIN:=$aid_harness_repo/.build/debug/aid}"
: "${AID_FAKE_MODEL:=$aid_harness_repo/.build/debug/aid-fake-model}"
export AID_BIN AID_FAKE_MODEL

aid_harness_fail() {
    echo "harness: $*" >&2
    exit 2
}

# Starts the fake model with the answers given as a JSON array and the daemon's environment.
aid_harness_start() {
    local answers="${1:-[\"No answer was scripted for this test.\"]}"
    [ -x "$AID_BIN" ] || aid_harness_fail "no aid executable at $AID_BIN (run swift build, or set AID_BIN)"
    [ -x "$AID_FAKE_MODEL" ] || aid_harness_fail "no aid-fake-model at $AID_FAKE_MODEL (run swift build, or set AID_FAKE_MODEL)"
    AID_TEST_DIR="$(mktemp -d "${TMPDIR:-/tmp}/aid-editor-test.XXXXXX")"
    export AID_TEST_DIR
    export XDG_RUNTIME_DIR="$AID_TEST_DIR/run" XDG_CONFIG_HOME="$AID_TEST_DIR/config"
    export AID_STATE_DIR="$AID_TEST_DIR/state" AID_SOCKET="$AID_TEST_DIR/run/aid/aid.sock"
    mkdir -p "$XDG_RUNTIME_DIR" "$XDG_CONFIG_HOME/aid" "$AID_STATE_DIR"
    chmod 700 "$XDG_RUNTIME_DIR"
    trap aid_harness_stop EXIT

    export AID_FAKE_ANSWERS="$AID_TEST_DIR/answers.json"
    printf '%s\n' "$answers" > "$AID_FAKE_ANSWERS"
    "$AID_FAKE_MODEL" --answers "$AID_FAKE_ANSWERS" --port-file "$AID_TEST_DIR/fake-port" \
        --chunk-chars 6 --chunk-delay-ms 2 --lifetime-seconds 900 > "$AID_TEST_DIR/fake-model.log" 2>&1 &
    aid_harness_fake_pid=$!
    local waited=0
    while [ ! -s "$AID_TEST_DIR/fake-port" ]; do
        kill -0 "$aid_harness_fake_pid" 2>/dev/null || aid_harness_fail "the fake model server exited: $(cat "$AID_TEST_DIR/fake-model.log")"
        waited=$((waited + 1))
        [ "$waited" -le 100 ] || aid_harness_fail "the fake model server did not start within 10 s"
        sleep 0.1
    done
    export AID_FAKE_URL="http://127.0.0.1:$(cat "$AID_TEST_DIR/fake-port")"
    cat > "$XDG_CONFIG_HOME/aid/config.toml" <<TOML
[models.fake]
provider = "openai"
base_url = "$AID_FAKE_URL/v1"
model = "fake"

[routes]
default = ["fake"]
TOML

    export AID_TEST_WORKSPACE="$AID_TEST_DIR/workspace"
    mkdir -p "$AID_TEST_WORKSPACE/.aid"
    cat > "$AID_TEST_WORKSPACE/greet.py" <<'PY'
def greet(name):
    return "Hello, " + name


if __name__ == "__main__":
    print(greet("world"))
PY
    # The build: fails with a compiler-style diagnostic for every line that says BUG.
    cat > "$AID_TEST_WORKSPACE/.aid/config.toml" <<'TOML'
[build]
command = "grep -n -H -o 'BUG.*' *.py | awk -F: '{print $1\":\"$2\":1: error: \"$3}' | grep . && exit 1 || exit 0"
debounce_ms = 50
TOML
}

# Stops the daemon and the fake model and removes the temporary directory.
aid_harness_stop() {
    [ -n "${AID_TEST_DIR:-}" ] || return 0
    "$AID_BIN" stop >/dev/null 2>&1 || true
    [ -n "${aid_harness_fake_pid:-}" ] && kill "$aid_harness_fake_pid" 2>/dev/null
    wait 2>/dev/null
    if [ -n "${AID_KEEP_TEST_DIR:-}" ]; then echo "harness: kept $AID_TEST_DIR" >&2; else rm -rf "$AID_TEST_DIR"; fi
}
