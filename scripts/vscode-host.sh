#!/usr/bin/env bash
# vscode-host.sh - a real VS Code (code-server 4.100.3 = VS Code 1.100.3, runs on Node 20) OUTSIDE the repo.
#
#   vscode-host.sh install              npm-install code-server into $INCIDENT_LENS_VSHOST (skipped when present)
#   vscode-host.sh start [FOLDER]       start it on a free port (own process group, --auth none), wait until it
#                                       answers, print the workbench URL (opening FOLDER)
#   vscode-host.sh stop                 kill its process group
#   vscode-host.sh status               "running URL" or "stopped" (exit 1)
#   vscode-host.sh env                  shell lines to eval: CS (the binary), CS_ARGS, XDG_*, TMPDIR, CS_PORT, CS_URL
#   vscode-host.sh install-ext VSIX     install a .vsix into this instance's extensions folder
#
# Environment: INCIDENT_LENS_VSHOST (/tmp/incident-lens-vshost) holds the install and every instance's state;
#   INCIDENT_LENS_VSHOST_INSTANCE (default) names one instance (user data, extensions, log, pid, port), so tests
#   and `npm start` never share state; INCIDENT_LENS_VSHOST_PORT forces a port.
# Needs Debian's ripgrep (seeded into @vscode/ripgrep's download cache: nothing is downloaded from GitHub) and
# libkrb5-dev (node-pty/kerberos build): scripts/ensure-deps.sh installs them.
set -euo pipefail

VERSION=4.100.3
RG_PKG=1.15.11                                        # @vscode/ripgrep used by VS Code 1.100.3
RG_ASSET=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz   # what its postinstall would download
H=${INCIDENT_LENS_VSHOST:-/tmp/incident-lens-vshost}
INST=$H/code-server-$VERSION
CS=$INST/node_modules/.bin/code-server
S=$H/instances/${INCIDENT_LENS_VSHOST_INSTANCE:-default}

log() { printf '[vscode-host] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

installed() { [ -f "$INST/.installed" ] && [ -x "$CS" ]; }

cs_env() {
  export XDG_CONFIG_HOME=$S/xdg/config XDG_DATA_HOME=$S/xdg/data XDG_CACHE_HOME=$S/xdg/cache TMPDIR=$H/tmp
  CS_ARGS=(--config "$S/config.yaml" --user-data-dir "$S/user-data" --extensions-dir "$S/extensions"
    --disable-telemetry --disable-update-check --disable-workspace-trust --disable-getting-started-override)
  mkdir -p "$S/xdg/config" "$S/xdg/data" "$S/xdg/cache" "$S/user-data" "$S/extensions" "$H/tmp"
  [ -f "$S/config.yaml" ] || printf 'auth: none\ncert: false\n' > "$S/config.yaml"
  # user settings of a new instance: no welcome walkthrough, a fixed theme, nothing phoning home
  mkdir -p "$S/user-data/User"
  [ -f "$S/user-data/User/settings.json" ] || cat > "$S/user-data/User/settings.json" <<'JSON'
{
  "workbench.startupEditor": "none",
  "workbench.colorTheme": "Default Dark Modern",
  "window.autoDetectColorScheme": false,
  "workbench.tips.enabled": false,
  "workbench.welcomePage.walkthroughs.openOnInstall": false,
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "update.mode": "none",
  "telemetry.telemetryLevel": "off"
}
JSON
}

do_install() {
  if installed; then log "code-server $VERSION already installed in $INST"; return 0; fi
  mkdir -p "$H"
  exec 9>"$H/install.lock"; flock 9   # two runs installing at once: the second waits, then finds it installed
  if installed; then log "code-server $VERSION already installed in $INST"; return 0; fi
  [ -x /usr/bin/rg ] || die "Debian's ripgrep is missing (/usr/bin/rg): run scripts/ensure-deps.sh"
  mkdir -p "$INST" "$H/tmp/rgpack" "$H/tmp/vscode-ripgrep-cache-$RG_PKG"
  # @vscode/ripgrep's postinstall downloads rg from GitHub unless os.tmpdir()/vscode-ripgrep-cache-<v>/<asset> exists
  cp /usr/bin/rg "$H/tmp/rgpack/rg"
  tar czf "$H/tmp/vscode-ripgrep-cache-$RG_PKG/$RG_ASSET" -C "$H/tmp/rgpack" rg
  local t0=$SECONDS
  log "installing code-server@$VERSION from npm into $INST (about a minute)…"
  (
    cd "$INST"
    [ -f package.json ] || printf '{ "name": "incident-lens-vshost", "private": true }\n' > package.json
    export TMPDIR=$H/tmp                 # where @vscode/ripgrep looks for its cache
    export npm_config_unsafe_perm=true   # code-server's postinstall refuses to run as root without it
    export npm_config_yes=true           # node-pty's postinstall runs `npx node-gyp`
    # native modules (argon2, node-pty, kerberos…) build against the installed Node's headers: nodejs.org is unreachable
    hdr=$(dirname "$(dirname "$(command -v node)")")
    if [ -z "${npm_config_nodedir:-}" ] && [ -f "$hdr/include/node/node.h" ]; then export npm_config_nodedir=$hdr; fi
    export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
    npm install "code-server@$VERSION" --foreground-scripts
  ) > "$H/install.log" 2>&1 || { tail -30 "$H/install.log" >&2; die "npm install code-server@$VERSION failed (log: $H/install.log)"; }
  [ -x "$CS" ] || die "code-server binary missing after install (log: $H/install.log)"
  touch "$INST/.installed"
  log "installed in $((SECONDS - t0)) s ($(du -sh "$INST" | cut -f1))"
}

pgid() { [ -f "$S/pgid" ] && cat "$S/pgid"; }
alive() { local p; p=$(pgid) || return 1; [ -n "$p" ] && kill -0 "$p" 2>/dev/null; }
answers() { curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$1/healthz"; }

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

do_start() {
  installed || die "code-server is not installed: run scripts/vscode-host.sh install"
  local folder=${1:-}
  if alive && answers "$(cat "$S/port")"; then log "already running"; cat "$S/url"; return 0; fi
  do_stop >/dev/null 2>&1 || true
  cs_env
  local port=${INCIDENT_LENS_VSHOST_PORT:-$(free_port)}
  rm -f "$S/pgid"
  # setsid: its own session and process group, so `stop` takes down the server, its extension hosts and
  # everything they spawned. The inner shell writes its own pid (= the group id) before exec.
  setsid bash -c 'echo $$ > "$0"; exec "$@"' "$S/pgid" "$CS" "${CS_ARGS[@]}" \
    --bind-addr "127.0.0.1:$port" --auth none ${folder:+"$folder"} > "$S/code-server.log" 2>&1 < /dev/null &
  local t0=$SECONDS
  until [ -s "$S/pgid" ] && answers "$port" 2>/dev/null; do
    if [ -s "$S/pgid" ] && ! alive; then tail -20 "$S/code-server.log" >&2; die "code-server exited"; fi
    [ $((SECONDS - t0)) -lt 90 ] || { tail -20 "$S/code-server.log" >&2; do_stop; die "code-server did not answer within 90 s"; }
    sleep 0.2
  done
  echo "$port" > "$S/port"
  local url="http://127.0.0.1:$port/"
  [ -n "$folder" ] && url="${url}?folder=$(node -p 'encodeURIComponent(process.argv[1])' "$folder")"
  echo "$url" > "$S/url"
  log "code-server $VERSION on 127.0.0.1:$port (pgid $(pgid), log $S/code-server.log) ready in $((SECONDS - t0)) s"
  echo "$url"
}

do_stop() {
  local p; p=$(pgid 2>/dev/null) || { log "not running"; return 0; }
  if [ -n "$p" ] && kill -0 "$p" 2>/dev/null; then
    kill -TERM -- "-$p" 2>/dev/null || true
    local t0=$SECONDS
    while kill -0 -- "-$p" 2>/dev/null; do
      if [ $((SECONDS - t0)) -ge 10 ]; then kill -KILL -- "-$p" 2>/dev/null || true; break; fi
      sleep 0.1
    done
    log "stopped (pgid $p)"
  fi
  rm -f "$S/pgid" "$S/url"
}

do_env() {
  cs_env >/dev/null
  printf 'export VSHOST=%q\n' "$H"
  printf 'export XDG_CONFIG_HOME=%q XDG_DATA_HOME=%q XDG_CACHE_HOME=%q TMPDIR=%q\n' "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME" "$TMPDIR"
  printf 'export CS=%q\n' "$CS"
  printf 'export CS_ARGS=%q\n' "${CS_ARGS[*]}"
  if alive && [ -f "$S/port" ]; then
    printf 'export CS_PORT=%q CS_URL=%q\n' "$(cat "$S/port")" "$(cat "$S/url" 2>/dev/null || echo "http://127.0.0.1:$(cat "$S/port")/")"
  fi
}

do_install_ext() {
  local vsix=${1:?usage: vscode-host.sh install-ext VSIX}
  installed || die "code-server is not installed: run scripts/vscode-host.sh install"
  [ -f "$vsix" ] || die "no such file: $vsix"
  cs_env
  "$CS" "${CS_ARGS[@]}" --install-extension "$vsix" --force >&2
}

case "${1:-}" in
  install) do_install ;;
  start) shift; do_start "$@" ;;
  stop) do_stop ;;
  status) if alive; then echo "running $(cat "$S/url" 2>/dev/null)"; else echo stopped; exit 1; fi ;;
  env) do_env ;;
  install-ext) shift; do_install_ext "$@" ;;
  *) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
