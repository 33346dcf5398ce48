#!/usr/bin/env bash
# `npm start`: the product in a real VS Code, working on the seed incident.
#   builds and packages the extension, installs the .vsix into a local code-server 4.100.3 (scripts/vscode-host.sh,
#   installed outside the repo on first use), starts the project's test host (real OpenSSH in private namespaces)
#   with the seed incident, writes a workspace holding a copy of the sample Django project (samples/aquademie)
#   whose settings point at that host, starts code-server on it and prints the URL; Ctrl+C stops everything.
# Where the test host cannot start (not root, no namespaces), the workspace has no host and explains how to open the
# same incident as a collected bundle (incidentLens.bundleFolder = test/fixtures/hosts/seed-incident, read locally).
# Env: INCIDENT_LENS_START_CHECK=1 exits once the workbench answers (for tests); TESTHOST_PORT (2299);
#   INCIDENT_LENS_VSHOST_PORT (code-server's port, default a free one); INCIDENT_LENS_START_WS (/tmp/incident-lens-workspace);
#   INCIDENT_LENS_VSIX (an already packaged .vsix: skips the build); INCIDENT_LENS_START_NO_HOST=1 (bundle mode).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
FIX=$REPO/test/fixtures/hosts/seed-incident
WS_ROOT=${INCIDENT_LENS_START_WS:-/tmp/incident-lens-workspace}
WS=$WS_ROOT/aquademie
export INCIDENT_LENS_VSHOST_INSTANCE=start
export TESTHOST_DIR=/tmp/incident-lens-start TESTHOST_PORT=${TESTHOST_PORT:-2299}
say() { printf '[npm start] %s\n' "$*" >&2; }
LOGS=$(mktemp -d /tmp/incident-lens-start-logs.XXXX)
host_up=
cleanup() {
  trap - EXIT INT TERM
  rm -rf "$LOGS"
  bash scripts/vscode-host.sh stop >/dev/null 2>&1 || true
  [ -n "$host_up" ] && bash test/host/testhost.sh stop >/dev/null 2>&1 || true
}
trap cleanup EXIT
trap 'echo >&2; say "stopping…"; exit 0' INT TERM

bash scripts/ensure-deps.sh --start || say "some Debian packages are missing (see above); carrying on with what is there"
VSIX=${INCIDENT_LENS_VSIX:-}
if [ -z "$VSIX" ]; then
  say "building and packaging the extension…"
  npm run --silent package >"$LOGS/package.log" 2>&1 || { tail -20 "$LOGS/package.log" >&2; say "npm run package failed"; exit 1; }
  VSIX=$REPO/dist/incident-lens.vsix
fi
bash scripts/vscode-host.sh install
bash scripts/vscode-host.sh install-ext "$VSIX" >"$LOGS/install-ext.log" 2>&1 || { cat "$LOGS/install-ext.log" >&2; exit 1; }

rm -rf "$WS_ROOT"
echo "INCIDENT_LENS_START_NO_HOST=1" > "$LOGS/testhost.err"
if [ "${INCIDENT_LENS_START_NO_HOST:-}" != 1 ] && bash test/host/testhost.sh start "$FIX" >/dev/null 2>"$LOGS/testhost.err"; then
  host_up=1
  node test/vscode/workspace.mjs "$WS" --host "deploy@127.0.0.1:$TESTHOST_PORT" \
    --identity "$TESTHOST_DIR/state/keys/deploy_ed25519" --known-hosts "$TESTHOST_DIR/state/known_hosts" >/dev/null
  say "test host with the seed incident on 127.0.0.1:$TESTHOST_PORT (user deploy, key and known_hosts in $TESTHOST_DIR/state)"
  how="Command palette → \"Incident Lens: Diagnose Mail Incident\", host deploy@127.0.0.1:$TESTHOST_PORT, date 2025-01-15, time 22:20."
else
  node test/vscode/workspace.mjs "$WS" --bundle "$FIX" >/dev/null
  if [ "${INCIDENT_LENS_START_NO_HOST:-}" = 1 ]; then say "INCIDENT_LENS_START_NO_HOST=1: the test host is not started."
  else say "The test host could not start (it needs root and namespaces): $(tail -1 "$LOGS/testhost.err" 2>/dev/null)"; fi
  say "So no SSH host is configured: the workspace reads the same incident as a collected bundle, through the local transport."
  how="Command palette → \"Incident Lens: Diagnose Mail Incident\" (reads the bundle $FIX), date 2025-01-15, time 22:20."
fi

url=$(bash scripts/vscode-host.sh start "$WS")
echo
echo "  Incident Lens in VS Code (code-server 4.100.3): $url"
echo "  Workspace: $WS (a fresh copy of samples/aquademie)"
echo "  $how"
echo "  (code-server listens on 127.0.0.1 only; from another machine: ssh -L PORT:127.0.0.1:PORT this-host)"
echo

if [ "${INCIDENT_LENS_START_CHECK:-}" = 1 ]; then
  curl -fsS -o /dev/null --max-time 10 "$url" || { say "check: the workbench did not answer at $url"; exit 1; }
  eval "$(bash scripts/vscode-host.sh env)"
  # shellcheck disable=SC2086
  "$CS" $CS_ARGS --list-extensions 2>/dev/null | grep -qx 'incident-lens.incident-lens' || { say "check: the extension is not installed"; exit 1; }
  say "check: the workbench answers and the extension is installed${host_up:+; the test host is up} — stopping"
  exit 0
fi
say "Ctrl+C stops code-server${host_up:+ and the test host}."
# block until code-server ends (or Ctrl+C): tail --pid returns when that process is gone
# (in the background, so that a signal to this script alone also interrupts the wait)
tail --pid="$(cat "${INCIDENT_LENS_VSHOST:-/tmp/incident-lens-vshost}/instances/start/pgid")" -f /dev/null &
wait $!
say "code-server exited"
