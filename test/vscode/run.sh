#!/usr/bin/env bash
# test/vscode/run.sh - the tests in a real VS Code host (scripts/test-all.sh runs it; INCIDENT_LENS_SKIP_VSCODE=1 skips):
#   code-server 4.100.3 (scripts/vscode-host.sh, outside the repo), the packaged .vsix installed into it, the real
#   test host with the seed incident on its own port, temp copies of samples/aquademie whose settings point at
#   it, then (1) the mocha integration suite inside the extension host (extensionDevelopmentPath = this repo),
#   (2) the end-to-end runs with Debian's chromium (the main flow; an unknown host key and a sudo password prompt),
#   (3) a second code-server instance in French (locale fr): its own suite in the extension host, then end to end.
#   TAP into $INCIDENT_LENS_TAP_DIR; everything stopped on exit.
# Env: INCIDENT_LENS_VSCODE_RUNNER=electron runs the integration suite through @vscode/test-electron instead
#   (machines that can download VS Code); INCIDENT_LENS_VSIX=path skips `npm run package`;
#   INCIDENT_LENS_SCREENSHOTS=docs/screenshots refreshes the README's pictures (default: $INCIDENT_LENS_TAP_DIR/screenshots);
#   they are made palette PNGs with pngquant when it is installed (apt-get install pngquant), which keeps the .vsix
#   under 1 MB (`npm run bench` prints its size).
set -uo pipefail
cd "$(dirname "$0")/../.."
if [ "$(id -u)" != 0 ]; then echo "# skip test/vscode: needs root (the real test host runs sshd in private namespaces)"; exit 0; fi
REPO=$PWD
export INCIDENT_LENS_TAP_DIR=${INCIDENT_LENS_TAP_DIR:-$(mktemp -d /tmp/incident-lens-tap.XXXX)}
export INCIDENT_LENS_VSHOST_INSTANCE=tests-$$   # own state: runs side by side do not collide
FR_INSTANCE=tests-$$-fr                           # the French instance
VSHOST=${INCIDENT_LENS_VSHOST:-/tmp/incident-lens-vshost}
WORK=$(mktemp -d /tmp/incident-lens-vscode.XXXX)
export TESTHOST_DIR=$WORK/testhost
T0=$SECONDS
say() { printf '[vscode %3ss] %s\n' "$((SECONDS - T0))" "$*"; }
free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
# A run that never reported (crash, timeout) still counts as a failure in the totals.
failed_tap() { printf 'TAP version 13\nnot ok 1 - %s\n1..1\n# tests 1\n# pass 0\n# fail 1\n' "$2" > "$INCIDENT_LENS_TAP_DIR/$1.tap"; }

cleanup() {
  bash scripts/vscode-host.sh stop >/dev/null 2>&1
  INCIDENT_LENS_VSHOST_INSTANCE=$FR_INSTANCE bash scripts/vscode-host.sh stop >/dev/null 2>&1
  rm -rf "$VSHOST/instances/$INCIDENT_LENS_VSHOST_INSTANCE" "$VSHOST/instances/$FR_INSTANCE"
  [ -n "${TESTHOST_PORT:-}" ] && bash test/host/testhost.sh stop >/dev/null 2>&1
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mkdir -p "$INCIDENT_LENS_TAP_DIR"
rm -f "$INCIDENT_LENS_TAP_DIR"/vscode-*.tap

fail() { say "ERROR: $*"; failed_tap vscode-setup "VS Code host setup: $*"; exit 1; }

bash scripts/ensure-deps.sh || fail "Debian packages (scripts/ensure-deps.sh)"
ELECTRON=; [ "${INCIDENT_LENS_VSCODE_RUNNER:-}" = electron ] && ELECTRON=1
if [ -z "$ELECTRON" ]; then
  bash scripts/vscode-host.sh install || fail "code-server install"
  say "code-server ready"
  VSIX=${INCIDENT_LENS_VSIX:-}
  if [ -z "$VSIX" ]; then
    npm run --silent package >"$WORK/package.log" 2>&1 || { tail -20 "$WORK/package.log"; fail "npm run package"; }
    VSIX=$REPO/dist/incident-lens.vsix
  fi
  [ -f "$VSIX" ] || fail "no .vsix at $VSIX"
  say "packaged $(basename "$VSIX") ($(du -k "$VSIX" | cut -f1) KB)"
else
  npm run --silent build >/dev/null || fail "npm run build"
fi
node test/vscode/build.mjs >/dev/null || fail "building the integration suite (test/vscode/build.mjs)"

export TESTHOST_PORT=$(free_port)
bash test/host/testhost.sh start test/fixtures/hosts/seed-incident >"$WORK/testhost.log" 2>&1 \
  || { tail -20 "$WORK/testhost.log"; fail "test host (test/host/testhost.sh) did not start"; }
say "test host with the seed incident on 127.0.0.1:$TESTHOST_PORT"
: > "$WORK/known_hosts_empty"   # the unknown-host flow starts from an empty known_hosts
for ws in integration e2e hostkey french; do
  kh=$TESTHOST_DIR/state/known_hosts; [ $ws = hostkey ] && kh=$WORK/known_hosts_empty
  node test/vscode/workspace.mjs "$WORK/ws-$ws/aquademie" --host "deploy@127.0.0.1:$TESTHOST_PORT" \
    --identity "$TESTHOST_DIR/state/keys/deploy_ed25519" --known-hosts "$kh" >/dev/null \
    || fail "writing the workspace"
done

rc=0
if [ -n "$ELECTRON" ]; then
  say "integration suite through @vscode/test-electron"
  node test/vscode/electron.mjs --folder "$WORK/ws-integration/aquademie" || rc=1
  [ -f "$INCIDENT_LENS_TAP_DIR/vscode-integration.tap" ] || failed_tap vscode-integration "integration suite (electron) reported nothing"
  exit $rc
fi

# a fresh instance each run (removed on exit): no state from an earlier one, the .vsix just built
bash scripts/vscode-host.sh install-ext "$VSIX" >"$WORK/install-ext.log" 2>&1 || { cat "$WORK/install-ext.log"; fail "installing the .vsix into code-server"; }
URL=$(bash scripts/vscode-host.sh start) || fail "code-server did not start"
say "code-server at $URL, extension installed"

say "integration suite (mocha inside the extension host)"
t=$SECONDS
node test/vscode/runExtTests.mjs --url "$URL" --dev "$REPO" --tests "$REPO/out/vscode-test/suite/index.js" \
  --folder "$WORK/ws-integration/aquademie" || rc=1
[ -f "$INCIDENT_LENS_TAP_DIR/vscode-integration.tap" ] || failed_tap vscode-integration "integration suite reported nothing (extension host crashed or timed out)"
say "integration suite done in $((SECONDS - t)) s"

say "end to end (chromium drives the workbench)"
t=$SECONDS
node test/vscode/e2e.mjs --url "$URL" --folder "$WORK/ws-e2e/aquademie" || rc=1
[ -f "$INCIDENT_LENS_TAP_DIR/vscode-e2e.tap" ] || failed_tap vscode-e2e "end-to-end run reported nothing"
say "end to end done in $((SECONDS - t)) s"

say "end to end: unknown host key (modal, Trust and Connect), sudo password prompt"
t=$SECONDS
node test/vscode/e2e-hostkey.mjs --url "$URL" --folder "$WORK/ws-hostkey/aquademie" --known-hosts "$WORK/known_hosts_empty" || rc=1
[ -f "$INCIDENT_LENS_TAP_DIR/vscode-e2e-hostkey.tap" ] || failed_tap vscode-e2e-hostkey "end-to-end host-key run reported nothing"
say "host-key end to end done in $((SECONDS - t)) s"

# French: a second instance with locale fr (config.yaml, read by `vscode-host.sh start`); the French display language
# needs a language pack, which the French suite installs (frenchPack.mjs builds it) before reloading its window.
say "French: a second code-server (locale fr)"
t=$SECONDS
mkdir -p "$VSHOST/instances/$FR_INSTANCE"
printf 'auth: none\ncert: false\nlocale: fr\n' > "$VSHOST/instances/$FR_INSTANCE/config.yaml"
if ! INCIDENT_LENS_FR_PACK=$(node test/vscode/frenchPack.mjs "$WORK/fr-pack" 2>"$WORK/fr-pack.log"); then
  cat "$WORK/fr-pack.log"; failed_tap vscode-french "French display-language pack (frenchPack.mjs)"; rc=1
elif ! INCIDENT_LENS_VSHOST_INSTANCE=$FR_INSTANCE bash scripts/vscode-host.sh install-ext "$VSIX" >"$WORK/install-ext-fr.log" 2>&1; then
  cat "$WORK/install-ext-fr.log"; failed_tap vscode-french "installing the .vsix into the French code-server"; rc=1
elif ! FR_URL=$(INCIDENT_LENS_FR_PACK=$INCIDENT_LENS_FR_PACK INCIDENT_LENS_VSHOST_INSTANCE=$FR_INSTANCE bash scripts/vscode-host.sh start); then
  failed_tap vscode-french "the French code-server did not start"; rc=1
else
  say "French code-server at $FR_URL"
  node test/vscode/runExtTests.mjs --url "$FR_URL" --dev "$REPO" --tests "$REPO/out/vscode-test/french/index.js" \
    --folder "$WORK/ws-french/aquademie" || rc=1
  [ -f "$INCIDENT_LENS_TAP_DIR/vscode-french.tap" ] || failed_tap vscode-french "French suite reported nothing"
  node test/vscode/e2e-french.mjs --url "$FR_URL" --folder "$WORK/ws-french/aquademie" || rc=1
  [ -f "$INCIDENT_LENS_TAP_DIR/vscode-e2e-french.tap" ] || failed_tap vscode-e2e-french "French end-to-end run reported nothing"
fi
say "French done in $((SECONDS - t)) s"
if [ $rc != 0 ]; then
  cslog=$VSHOST/instances/$INCIDENT_LENS_VSHOST_INSTANCE/code-server.log
  cp "$cslog" "$INCIDENT_LENS_TAP_DIR/vscode-code-server.log" 2>/dev/null
  cp "$VSHOST/instances/$FR_INSTANCE/code-server.log" "$INCIDENT_LENS_TAP_DIR/vscode-code-server-fr.log" 2>/dev/null
  say "FAILED — code-server log kept in $INCIDENT_LENS_TAP_DIR/vscode-code-server.log; its end:"; tail -15 "$cslog"
fi
exit $rc
