#!/usr/bin/env bash
# Fuzzes the real server against its own OpenAPI document with schemathesis, once per role
# (customer, agent, admin): no 5xx, every response inside the schema (bad input included:
# it must get a documented status and the JSON error shape). Called by .ci/run after
# `cargo test`. It fails when it cannot run (no python3, no install, a dead token): a run
# that tested nothing must not pass. DESKPORT_SKIP_SCHEMATHESIS=1 skips it on purpose.
#
# Knobs: SCHEMATHESIS_EXAMPLES (examples per operation and phase, default 15).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${DESKPORT_SKIP_SCHEMATHESIS:-}" = 1 ]; then
    echo "SKIPPED: schemathesis API fuzzing (DESKPORT_SKIP_SCHEMATHESIS=1)" >&2
    exit 0
fi
if ! command -v python3 >/dev/null 2>&1; then
    echo "schemathesis: API fuzzing needs python3, which is not installed" >&2
    echo "(set DESKPORT_SKIP_SCHEMATHESIS=1 to skip it on purpose)" >&2
    exit 1
fi

SCHEMATHESIS_VERSION=4.32.5
EXAMPLES=${SCHEMATHESIS_EXAMPLES:-15}
VENV=$PWD/target/schemathesis-venv
ST=$VENV/bin/schemathesis

if ! "$ST" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
    echo "schemathesis: installing $SCHEMATHESIS_VERSION into $VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

cargo build --quiet --bin deskport
WORK=$(mktemp -d)
SERVER_PID=""
cleanup() {
    if [ -n "$SERVER_PID" ]; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

# Port 0: the server picks a free loopback port and prints its address.
mkdir -m 700 "$WORK/data"
target/debug/deskport serve --listen 127.0.0.1:0 --data-dir "$WORK/data" --demo \
    --demo-tickets 60 2>"$WORK/server.log" &
SERVER_PID=$!
BASE=""
for _ in $(seq 1 300); do
    BASE=$(sed -n 's/^deskport portal API on \(http[^ ]*\) .*/\1/p' "$WORK/server.log")
    [ -n "$BASE" ] && break
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        cat "$WORK/server.log" >&2
        echo "schemathesis: the server did not start" >&2
        exit 1
    fi
    sleep 0.1
done
if [ -z "$BASE" ]; then
    cat "$WORK/server.log" >&2
    echo "schemathesis: the server printed no address within 30 s" >&2
    exit 1
fi
echo "schemathesis: server at $BASE"

# A session token of the demo account $1 (every demo password is deskport-demo).
token() {
    python3 - "$BASE/auth/login" "$1" <<'PY'
import json, sys, urllib.request
body = json.dumps({"email": sys.argv[2], "password": "deskport-demo"}).encode()
req = urllib.request.Request(sys.argv[1], body, {"Content-Type": "application/json"})
with urllib.request.urlopen(req, timeout=30) as resp:
    print(json.load(resp)["token"])
PY
}

# Whether the token $1 still opens GET /me (a run whose token died would test only 401s).
alive() {
    python3 - "$BASE/me" "$1" <<'PY'
import sys, urllib.request
req = urllib.request.Request(sys.argv[1], headers={"Authorization": "Bearer " + sys.argv[2]})
with urllib.request.urlopen(req, timeout=30) as resp:
    sys.exit(0 if resp.status == 200 else 1)
PY
}

# Every token first: fuzzing the sign-in endpoints trips their rate limits.
declare -A TOKENS
for email in carla@acme.test sam@deskport.test ada@deskport.test; do
    TOKENS[$email]=$(token "$email")
done

# Customers first: an admin's run may change portal settings (consent text, access) that
# would shut a customer out for the rest of the run.
passed=0
failed=0
for who in customer:carla@acme.test agent:sam@deskport.test admin:ada@deskport.test; do
    role=${who%%:*}
    email=${who#*:}
    tok=${TOKENS[$email]}
    echo "schemathesis: as $role ($email), $EXAMPLES examples per operation"
    # Signing out (here or everywhere) would end the token mid-run, so /auth/logout and
    # /auth/logout-all are left to the API tests.
    # Run from the temporary dir: schemathesis and hypothesis leave caches in the current dir.
    if ! alive "$tok"; then
        echo "schemathesis: the $role token does not open GET /me before the run" >&2
        exit 1
    fi
    if ! (cd "$WORK" && "$ST" --no-color run "$BASE/openapi.json" \
        --url "$BASE" \
        --header "Authorization: Bearer $tok" \
        --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,negative_data_rejection \
        --exclude-path /auth/logout \
        --exclude-path /auth/logout-all \
        --max-examples "$EXAMPLES" \
        --phases examples,coverage,fuzzing \
        --seed 1 \
        --generation-database none \
        --workers 1); then
        echo "schemathesis: FAILED as $role" >&2
        failed=$((failed + 1))
    elif ! alive "$tok"; then
        echo "schemathesis: the $role token died during the run, so it tested only 401s" >&2
        failed=$((failed + 1))
    else
        passed=$((passed + 1))
    fi
done
if grep -q "internal error" "$WORK/server.log"; then
    grep "internal error" "$WORK/server.log" >&2
    echo "schemathesis: the server logged internal errors" >&2
    failed=$((failed + 1))
fi
# One line a role (and one for internal errors in the server log), in the plain summary form.
echo "schemathesis: $passed passed, $failed failed"
[ "$failed" = 0 ]
