#!/usr/bin/env bash
# `npm start`: shows the product working on the seed incident. Builds, starts the real test host
# (OpenSSH in private namespaces) with the seed incident, and runs the diagnosis over SSH.
# Where the test host cannot start (not root, no namespaces) it diagnoses the seed logs as a local
# bundle instead, and says so. (The VS Code experience is not built yet: see the README.)
set -euo pipefail
cd "$(dirname "$0")/.."
npm run --silent build
FIX=test/fixtures/hosts/seed-incident
export TESTHOST_DIR=/tmp/incident-lens-start TESTHOST_PORT=${TESTHOST_PORT:-2299}
if bash scripts/ensure-deps.sh --host-only && bash test/host/testhost.sh start "$FIX" >/dev/null 2>/tmp/incident-lens-start.err; then
  trap 'bash test/host/testhost.sh stop >/dev/null 2>&1' EXIT
  echo "Seed incident host on 127.0.0.1:$TESTHOST_PORT — diagnosing 2025-01-15 22:20 over SSH…" >&2
  node dist/cli.js diagnose --host "deploy@127.0.0.1:$TESTHOST_PORT" \
    --identity "$TESTHOST_DIR/state/keys/deploy_ed25519" --known-hosts "$TESTHOST_DIR/state/known_hosts" \
    --at "2025-01-15 22:20" --format markdown
else
  echo "The test host could not start (needs root and namespaces): $(tail -1 /tmp/incident-lens-start.err 2>/dev/null)" >&2
  echo "Diagnosing the seed incident's files as a local bundle instead (no journal)." >&2
  node dist/cli.js diagnose --root "$FIX" --at "2025-01-15 22:20" --tz Europe/Paris --format markdown
fi
