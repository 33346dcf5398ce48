#!/usr/bin/env bash
# `npm test`: everything, from a clean clone. Installs what it needs (Debian packages, code-server),
# builds, type-checks, lints, then runs every suite against real parts and prints one total line.
set -uo pipefail
cd "$(dirname "$0")/.."
export INCIDENT_LENS_TAP_DIR=${INCIDENT_LENS_TAP_DIR:-$(mktemp -d /tmp/incident-lens-tap.XXXX)}
fail=0
step() { echo; echo "=== $* ==="; }

step "Debian packages"; bash scripts/ensure-deps.sh || exit 1
step "build";     npm run --silent build || exit 1
step "typecheck"; npm run --silent typecheck || exit 1
step "lint";      npm run --silent lint || exit 1

suite() { # name dir...
  local name=$1; shift
  local dirs=()
  for d in "$@"; do [ -d "$d" ] && dirs+=("$d"); done
  [ ${#dirs[@]} = 0 ] && return 0
  step "tests: $name"
  node scripts/run-tests.mjs "${dirs[@]}" --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$INCIDENT_LENS_TAP_DIR/$name.tap" || fail=1
}
suite unit test/unit
suite host test/host
suite transport test/transport
suite engine test/engine
suite follow test/follow
suite server test/server
suite django test/django
suite start test/start
if [ -x test/vscode/run.sh ] && [ "${INCIDENT_LENS_SKIP_VSCODE:-}" != 1 ]; then
  step "tests: vscode (code-server + chromium)"
  bash test/vscode/run.sh || fail=1
fi

passed=0; failed=0
for f in "$INCIDENT_LENS_TAP_DIR"/*.tap; do
  [ -f "$f" ] || continue
  p=$(grep -E '^# pass [0-9]+' "$f" | tail -1 | awk '{print $3}'); passed=$((passed + ${p:-0}))
  x=$(grep -E '^# fail [0-9]+' "$f" | tail -1 | awk '{print $3}'); failed=$((failed + ${x:-0}))
done
echo
echo "$passed passed, $failed failed"
[ "$fail" = 0 ] && [ "$failed" = 0 ]
