#!/usr/bin/env bash
# testhost.sh - a REAL stand-in for the "aquademie" production host, on this machine.
#
#   testhost.sh start [FIXTURES_DIR]   install missing Debian packages, create users/keys, render
#                                      fixtures, start a real OpenSSH sshd on 127.0.0.1:$TESTHOST_PORT
#                                      inside private mount+UTS+PID namespaces; print connection details
#   testhost.sh stop                   stop it (kill by saved PID) and remove the runtime dir
#   testhost.sh restart [FIXTURES_DIR] / status / info / ssh [USER] [CMD...]
#
# Nothing is written to this machine's /var/log, /etc, /home or /run: users, sudoers, hostname,
# machine-id, time zone and logs exist only inside the namespace (bind mounts + overlayfs).
# The only host-wide changes are the apt packages (openssh-server sudo systemd-journal-remote).
#
# FIXTURES_DIR layout (every part optional; fixture files are never modified - they are a read-only
# overlayfs lower layer, writes made over SSH land in $TESTHOST_DIR/run and vanish on stop):
#   var/log/...        shown at /var/log/...   (nginx/, mail.log, syslog, postgresql/, aquademie/ ...)
#   var/www/...        shown at /var/www/...   (e.g. var/www/aquademie/logs/django.log)
#   journal/*.tsv      journald entries, one per line, TAB separated, time in $TESTHOST_TZ:
#                        YYYY-MM-DD HH:MM:SS[.ffffff]  UNIT  IDENTIFIER  PID  PRIORITY(0-7)  MESSAGE
#                      UNIT "aquademie" => _SYSTEMD_UNIT=aquademie.service (matched by journalctl -u);
#                      IDENTIFIER "systemd" => manager message (UNIT=..., _PID=1); "kernel" => journalctl -k
#   journal/*.export   raw journal export format (ascending __REALTIME_TIMESTAMP, blank line between
#                      entries); @BOOT_ID@ @MACHINE_ID@ @HOSTNAME@ are substituted
#   processes          fake processes for ps: "USER<TAB>full command line" per line
#   perms              "PATH OWNER:GROUP MODE" per line, applied inside the namespace after the defaults
#   etc/...            shown at /etc/... (e.g. etc/systemd/system/aquademie.service, etc/nginx/sites-enabled/...)
#   etc/machine-id     optional fixed machine id (32 hex)
#   etc/hostname, etc/timezone  optional: the host's name and zone when TESTHOST_HOSTNAME / TESTHOST_TZ are unset
#   etc/hosts          optional lines appended to the generated /etc/hosts
#   override/<path>    optional shim bind-mounted over an EXISTING absolute path in the namespace,
#                      e.g. override/usr/bin/systemctl, override/usr/bin/dmesg (canned output)
#   views.patch        the app's code: /var/www/aquademie/gestion/views.py is generated from the repository's
#                      samples/aquademie/gestion/views.py with this unified diff applied (empty = the sample as is)
#
# Environment: TESTHOST_DIR (/tmp/incident-lens-testhost) TESTHOST_PORT (2222) TESTHOST_HOSTNAME (aquademie-prod)
#   TESTHOST_TZ (Europe/Paris) TESTHOST_SUDO_USER (deploy, NOPASSWD sudo) TESTHOST_PW_USER (auditor,
#   sudo needs password) TESTHOST_SUDO_PASS / TESTHOST_PW_PASS, TESTHOST_MAX_SESSIONS (unset = sshd
#   default 10), TESTHOST_SUDO_USER_GROUPS / TESTHOST_PW_USER_GROUPS (extra groups, e.g. "adm"),
#   TESTHOST_LOGLEVEL (INFO), TESTHOST_KBD_INTERACTIVE (no; "yes" enables keyboard-interactive/PAM auth),
#   TESTHOST_RC_SNIPPET (shell text put at the top of both users' ~/.bashrc and in ~/.zshenv, e.g. an echo),
#   TESTHOST_LOGIN_SHELL (/bin/bash; both users' login shell, e.g. /usr/bin/zsh or /bin/dash),
#   TESTHOST_HOST_CA (a CA private key: the ed25519 host key is signed with it and served as HostCertificate),
#   TESTHOST_HOST_CERT_ARGS (ssh-keygen -s options for that certificate; default "-n 127.0.0.1,localhost").
#
# Central log host (all unset = neither role; ports are on the shared loopback, so allocate them):
#   as a LOG HOST  TESTHOST_RECEIVE_JOURNAL_PORT  systemd-journal-remote (socket-activated on 127.0.0.1) writes
#                                                 /var/log/journal/remote/ in the namespace
#                  TESTHOST_RECEIVE_SYSLOG_PORT   rsyslogd (foreground, imtcp on 127.0.0.1) writes one folder per
#                                                 sending host: /var/log/remote/<HOSTNAME>/<PROGRAM>.log (original lines)
#                  TESTHOST_GATEWAY_PORT          systemd-journal-gatewayd (socket-activated on 127.0.0.1) serves
#                                                 /var/log/journal/remote
#   as an APP HOST TESTHOST_FORWARD_JOURNAL_URL   systemd-journal-upload sends the host's journal there (before READY)
#                  TESTHOST_FORWARD_SYSLOG        127.0.0.1:PORT - rsyslogd (imfile on the host's log files, omfwd
#                                                 tcp) forwards them there; it keeps running until stop
set -euo pipefail

D=${TESTHOST_DIR:-/tmp/incident-lens-testhost}
PORT=${TESTHOST_PORT:-2222}
HOSTN=${TESTHOST_HOSTNAME:-aquademie-prod}
TZNAME=${TESTHOST_TZ:-Europe/Paris}
U1=${TESTHOST_SUDO_USER:-deploy};   U1_UID=2501; U1_PASS=${TESTHOST_SUDO_PASS:-deploy-pass}
U2=${TESTHOST_PW_USER:-auditor};    U2_UID=2502; U2_PASS=${TESTHOST_PW_PASS:-auditor-pass}
U1_GROUPS=${TESTHOST_SUDO_USER_GROUPS:-}       # e.g. "adm" (then SFTP can read /var/log/nginx/* without sudo)
U2_GROUPS=${TESTHOST_PW_USER_GROUPS:-}
MAXSESS=${TESTHOST_MAX_SESSIONS:-}
LOGLEVEL=${TESTHOST_LOGLEVEL:-INFO}
STATE=$D/state          # persistent across restarts: host key, user keys, machine-id
RUN=$D/run              # runtime, recreated by every start, removed by stop
PKGS="openssh-server sudo systemd-journal-remote"
JREMOTE=/lib/systemd/systemd-journal-remote
RECV_J=${TESTHOST_RECEIVE_JOURNAL_PORT:-}; RECV_S=${TESTHOST_RECEIVE_SYSLOG_PORT:-}; GW=${TESTHOST_GATEWAY_PORT:-}
FWD_J=${TESTHOST_FORWARD_JOURNAL_URL:-}; FWD_S=${TESTHOST_FORWARD_SYSLOG:-}
for v in "$RECV_J" "$RECV_S" "$GW"; do [[ -z "$v" || "$v" =~ ^[0-9]+$ ]] || { echo "bad port: $v" >&2; exit 2; }; done
[[ -z "$FWD_J" || "$FWD_J" =~ ^http://127\.0\.0\.1:[0-9]+$ ]] || { echo "bad TESTHOST_FORWARD_JOURNAL_URL" >&2; exit 2; }
[[ -z "$FWD_S" || "$FWD_S" =~ ^127\.0\.0\.1:[0-9]+$ ]] || { echo "bad TESTHOST_FORWARD_SYSLOG" >&2; exit 2; }

log() { printf '[testhost] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
[ "$(id -u)" = 0 ] || die "must run as root"

# ---------------------------------------------------------------- packages
ensure_packages() {
  local missing=()
  [ -x /usr/sbin/sshd ] || missing+=(openssh-server)
  [ -x /usr/bin/sudo ] || missing+=(sudo)
  [ -x "$JREMOTE" ] || missing+=(systemd-journal-remote)
  [ -z "$RECV_S$FWD_S" ] || [ -x /usr/sbin/rsyslogd ] || missing+=(rsyslog)
  [ -z "$RECV_J$GW" ] || command -v systemd-socket-activate >/dev/null || missing+=(systemd)
  command -v unshare >/dev/null && command -v setpriv >/dev/null || missing+=(util-linux)
  command -v journalctl >/dev/null || missing+=(systemd)
  command -v ssh-keygen >/dev/null || missing+=(openssh-client)
  command -v openssl >/dev/null || missing+=(openssl)
  command -v perl >/dev/null || missing+=(perl-base)
  [ -e /usr/share/zoneinfo/"$TZNAME" ] || missing+=(tzdata)
  [ ${#missing[@]} = 0 ] && return 0
  log "installing: ${missing[*]}"
  # never let the maintainer scripts start a system-wide sshd on 0.0.0.0:22
  local made_policy=
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d; made_policy=1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y --no-install-recommends "${missing[@]}" >"$D/apt.log" 2>&1 \
    || { apt-get update >>"$D/apt.log" 2>&1; apt-get install -y --no-install-recommends "${missing[@]}" >>"$D/apt.log" 2>&1; } \
    || { [ -n "$made_policy" ] && rm -f /usr/sbin/policy-rc.d; die "apt-get install failed, see $D/apt.log"; }
  [ -n "$made_policy" ] && rm -f /usr/sbin/policy-rc.d
  return 0
}

# ---------------------------------------------------------------- persistent keys
ensure_state() {
  mkdir -p "$STATE/keys"; chmod 700 "$STATE"
  [ -f "$STATE/ssh_host_ed25519_key" ] || ssh-keygen -q -t ed25519 -N '' -C "testhost-host" -f "$STATE/ssh_host_ed25519_key"
  [ -f "$STATE/ssh_host_rsa_key" ] || ssh-keygen -q -t rsa -b 3072 -N '' -C "testhost-host" -f "$STATE/ssh_host_rsa_key"
  local u
  for u in "$U1" "$U2"; do
    [ -f "$STATE/keys/${u}_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C "$u@testhost" -f "$STATE/keys/${u}_ed25519"
  done
  # a PEM RSA key too (ssh2 and older clients parse it everywhere)
  [ -f "$STATE/keys/${U1}_rsa" ] || ssh-keygen -q -t rsa -b 3072 -m PEM -N '' -C "$U1@testhost" -f "$STATE/keys/${U1}_rsa"
  [ -f "$STATE/machine-id" ] || openssl rand -hex 16 > "$STATE/machine-id"
}

alive() { local st; st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1) || return 1; [ -n "$st" ] && [ "$st" != Z ]; }  # zombies count as dead

listening() { [ -n "$(ss -ltnH "sport = :$PORT" 2>/dev/null)" ]; }

is_running() {
  [ -f "$RUN/unshare.pid" ] || return 1
  local p; p=$(cat "$RUN/unshare.pid")
  [ -n "$p" ] && alive "$p" && [[ "$(tr '\0' ' ' < "/proc/$p/cmdline" 2>/dev/null)" == unshare*"$RUN/init.sh"* ]]
}

# ---------------------------------------------------------------- journal fixtures
tsv_to_export() { # stdin: TSV lines (already sorted) ; stdout: export format
  local tmp; tmp=$(mktemp -d "$RUN/tsv.XXXX")
  cat > "$tmp/lines"
  cut -f1 "$tmp/lines" | TZ="$TZNAME" date -f - +%s%6N > "$tmp/ts" || die "bad timestamp in journal TSV"
  paste "$tmp/ts" "$tmp/lines" | awk -F'\t' -v boot="$BOOT_ID" -v mid="$MID" -v host="$HOSTN" '
    { ts=$1; unit=$3; ident=$4; pid=$5; prio=$6; msg=$7; for (i=8;i<=NF;i++) msg=msg "\t" $i
      if (unit=="-") unit=""
      if (unit!="" && unit !~ /\./) unit=unit ".service"
      if (pid=="" || pid=="-") pid=1000
      if (prio=="" || prio=="-") prio=6
      print "__REALTIME_TIMESTAMP=" ts; print "_BOOT_ID=" boot; print "_MACHINE_ID=" mid
      print "_HOSTNAME=" host; print "PRIORITY=" prio; print "SYSLOG_IDENTIFIER=" ident
      if (ident=="kernel") { print "_TRANSPORT=kernel"; print "SYSLOG_FACILITY=0" }
      else if (ident=="systemd") { print "_PID=1"; print "_UID=0"; print "_COMM=systemd"
        print "_SYSTEMD_UNIT=init.scope"; print "_TRANSPORT=journal"; print "SYSLOG_FACILITY=3"
        if (unit!="") print "UNIT=" unit }
      else { print "_PID=" pid; print "_UID=33"; print "_GID=33"; print "_COMM=" ident
        print "_TRANSPORT=stdout"; print "SYSLOG_FACILITY=3"
        if (unit!="") { print "_SYSTEMD_UNIT=" unit; print "_SYSTEMD_SLICE=system.slice" } }
      print "MESSAGE=" msg; print "" }'
  rm -rf "$tmp"
}

build_journal() { # $1 fixtures dir (may be empty) ; output in $RUN/gen/log/journal/$MID/
  local jdir="$RUN/gen/log/journal/$MID" fix=$1 f n=0
  mkdir -p "$jdir"
  [ -n "$fix" ] && [ -d "$fix/journal" ] || return 0
  if compgen -G "$fix/journal/*.tsv" >/dev/null; then
    cat "$fix/journal/"*.tsv | grep -v -e '^#' -e '^[[:space:]]*$' | LC_ALL=C sort -s -t$'\t' -k1,1 \
      | tsv_to_export | "$JREMOTE" -o "$jdir/fixture-tsv.journal" - 2>>"$RUN/journal-remote.log" \
      || die "systemd-journal-remote failed (see $RUN/journal-remote.log)"
  fi
  for f in "$fix/journal/"*.export; do
    [ -f "$f" ] || continue; n=$((n+1))
    # the export stream must end with the blank line that terminates its last entry, or
    # systemd-journal-remote silently drops that entry ("Premature EOF"); `journalctl -o export` omits it
    { sed -e "s/@BOOT_ID@/$BOOT_ID/g" -e "s/@MACHINE_ID@/$MID/g" -e "s/@HOSTNAME@/$HOSTN/g" "$f"
      if [ -z "$(tail -c1 "$f")" ]; then printf '\n'; else printf '\n\n'; fi; } \
      | "$JREMOTE" -o "$jdir/fixture-export-$n.journal" - 2>>"$RUN/journal-remote.log" \
      || die "systemd-journal-remote failed on $f (see $RUN/journal-remote.log)"
  done
}

# ---------------------------------------------------------------- the app's code, from samples/
SAMPLE_VIEWS=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/samples/aquademie/gestion/views.py
build_app() { # $1 fixtures dir (may be empty); output in $RUN/gen/app/www/aquademie/gestion/views.py (a /var layer)
  local fix=$1 out="$RUN/gen/app/www/aquademie/gestion"
  [ -n "$fix" ] && [ -f "$fix/views.patch" ] || return 0
  mkdir -p "$out"; cp "$SAMPLE_VIEWS" "$out/views.py"
  if [ -s "$fix/views.patch" ]; then
    patch -s --no-backup-if-mismatch "$out/views.py" < "$fix/views.patch" || die "views.patch does not apply to $SAMPLE_VIEWS"
  fi
  chmod 644 "$out/views.py"
}

# ---------------------------------------------------------------- render runtime dir
render() { # $1 fixtures dir or ""
  local fix=$1
  rm -rf "$RUN"; mkdir -p "$RUN"/{etc,home,gen/log,ovl/var-upper,ovl/var-work,ovl/log-upper,ovl/log-work}
  chmod 755 "$RUN" "$RUN/etc" "$RUN/home"
  MID=$(cat "$STATE/machine-id"); [ -n "$fix" ] && [ -s "$fix/etc/machine-id" ] && MID=$(tr -dc 0-9a-f < "$fix/etc/machine-id")
  # a fleet fixture host names itself and its zone (etc/hostname, etc/timezone) unless the environment says otherwise
  if [ -n "$fix" ] && [ -z "${TESTHOST_HOSTNAME:-}" ] && [ -s "$fix/etc/hostname" ]; then HOSTN=$(tr -dc 'A-Za-z0-9.-' < "$fix/etc/hostname"); fi
  if [ -n "$fix" ] && [ -z "${TESTHOST_TZ:-}" ] && [ -s "$fix/etc/timezone" ]; then TZNAME=$(tr -dc 'A-Za-z0-9_/+-' < "$fix/etc/timezone"); fi
  [ -e "/usr/share/zoneinfo/$TZNAME" ] || die "unknown time zone $TZNAME"
  BOOT_ID=$(tr -d '-' < /proc/sys/kernel/random/boot_id)

  # users exist only in the namespace: copies of the host files + ours
  local re="^($U1|$U2):"
  { grep -Ev "$re" /etc/passwd
    echo "$U1:x:$U1_UID:$U1_UID:testhost sudo NOPASSWD user:/home/$U1:${TESTHOST_LOGIN_SHELL:-/bin/bash}"
    echo "$U2:x:$U2_UID:$U2_UID:testhost sudo-with-password user:/home/$U2:${TESTHOST_LOGIN_SHELL:-/bin/bash}"; } > "$RUN/etc/passwd"
  { grep -Ev "$re" /etc/group | awk -F: -v OFS=: -v u1="$U1" -v g1=",${U1_GROUPS// /,}," -v u2="$U2" -v g2=",${U2_GROUPS// /,}," '
      { if (index(g1, "," $1 ",")) $4 = ($4 == "" ? u1 : $4 "," u1)
        if (index(g2, "," $1 ",")) $4 = ($4 == "" ? u2 : $4 "," u2); print }'
    echo "$U1:x:$U1_UID:"; echo "$U2:x:$U2_UID:"
    grep -q '^postfix:' /etc/group || printf 'postfix:x:2510:\npostdrop:x:2511:\n'; } > "$RUN/etc/group"
  grep -q '^postfix:' /etc/passwd || echo "postfix:x:2510:2510::/var/spool/postfix:/usr/sbin/nologin" >> "$RUN/etc/passwd"
  { grep -Ev "$re" /etc/shadow
    echo "$U1:$(openssl passwd -6 "$U1_PASS"):20000:0:99999:7:::"
    echo "$U2:$(openssl passwd -6 "$U2_PASS"):20000:0:99999:7:::"; } > "$RUN/etc/shadow"
  { grep -Ev "$re" /etc/gshadow 2>/dev/null || true; echo "$U1:!::"; echo "$U2:!::"; } > "$RUN/etc/gshadow"
  chmod 644 "$RUN/etc/passwd" "$RUN/etc/group"; chmod 640 "$RUN/etc/shadow" "$RUN/etc/gshadow"
  chgrp shadow "$RUN/etc/shadow" "$RUN/etc/gshadow" 2>/dev/null || true
  mkdir -p "$RUN/etc/sudoers.d"; cp -a /etc/sudoers.d/. "$RUN/etc/sudoers.d/" 2>/dev/null || true
  printf '%s ALL=(ALL:ALL) NOPASSWD: ALL\n%s ALL=(ALL:ALL) ALL\n' "$U1" "$U2" > "$RUN/etc/sudoers.d/testhost"
  chmod 755 "$RUN/etc/sudoers.d"; chmod 440 "$RUN/etc/sudoers.d/testhost"
  visudo -cq -f "$RUN/etc/sudoers.d/testhost" || die "sudoers fragment invalid"
  { printf '127.0.0.1\tlocalhost\n127.0.1.1\t%s\n::1\tlocalhost ip6-localhost ip6-loopback\n' "$HOSTN"
    # the fixture's own /etc/hosts lines (e.g. a front naming its app hosts)
    [ -n "$fix" ] && [ -f "$fix/etc/hosts" ] && grep -Ev '^[[:space:]]*(#|$)' "$fix/etc/hosts" || true; } > "$RUN/etc/hosts"
  echo "$HOSTN" > "$RUN/etc/hostname"; echo "$MID" > "$RUN/etc/machine-id"; echo "$TZNAME" > "$RUN/etc/timezone"

  local u uid
  for u in "$U1" "$U2"; do
    uid=$([ "$u" = "$U1" ] && echo $U1_UID || echo $U2_UID)
    mkdir -p "$RUN/home/$u/.ssh"
    cat "$STATE/keys/${u}_ed25519.pub" > "$RUN/home/$u/.ssh/authorized_keys"
    [ "$u" = "$U1" ] && cat "$STATE/keys/${U1}_rsa.pub" >> "$RUN/home/$u/.ssh/authorized_keys"
    cp /etc/skel/.bashrc /etc/skel/.profile "$RUN/home/$u/" 2>/dev/null || true
    if [ -n "${TESTHOST_RC_SNIPPET:-}" ]; then  # e.g. an echo, as real servers' rc files have: before the interactive check
      { printf '%s\n' "$TESTHOST_RC_SNIPPET"; cat "$RUN/home/$u/.bashrc" 2>/dev/null; } > "$RUN/home/$u/.bashrc.new"
      mv "$RUN/home/$u/.bashrc.new" "$RUN/home/$u/.bashrc"
      printf '%s\n' "$TESTHOST_RC_SNIPPET" > "$RUN/home/$u/.zshenv"
    fi
    chmod 700 "$RUN/home/$u/.ssh"; chmod 600 "$RUN/home/$u/.ssh/authorized_keys"; chmod 750 "$RUN/home/$u"
    chown -R "$uid:$uid" "$RUN/home/$u"
  done

  # log layer generated on top of the fixture layer: default directories + the journal
  mkdir -p "$RUN/gen/log"/{nginx,postgresql,aquademie}
  build_journal "$fix"
  build_app "$fix"

  cat > "$RUN/sshd_config" <<EOF
# generated by testhost.sh
Port $PORT
ListenAddress 127.0.0.1
HostKey $STATE/ssh_host_ed25519_key
HostKey $STATE/ssh_host_rsa_key
PidFile $RUN/sshd.pid
AuthorizedKeysFile .ssh/authorized_keys
PubkeyAuthentication yes
PasswordAuthentication yes
KbdInteractiveAuthentication ${TESTHOST_KBD_INTERACTIVE:-no}
UsePAM yes
PermitRootLogin no
AllowUsers $U1 $U2
X11Forwarding no
PrintMotd no
PrintLastLog no
AcceptEnv LANG LC_*
LogLevel $LOGLEVEL
Subsystem sftp internal-sftp
${MAXSESS:+MaxSessions $MAXSESS}
EOF

  if [ -n "${TESTHOST_HOST_CA:-}" ]; then  # a CA-signed host certificate, as real fleets deploy them
    cp "$STATE/ssh_host_ed25519_key.pub" "$RUN/ssh_host_ed25519_key.pub"
    # shellcheck disable=SC2086
    ssh-keygen -q -s "$TESTHOST_HOST_CA" -h -I "testhost-$PORT" ${TESTHOST_HOST_CERT_ARGS:--n 127.0.0.1,localhost} "$RUN/ssh_host_ed25519_key.pub" \
      || die "ssh-keygen -s (host certificate)"
    echo "HostCertificate $RUN/ssh_host_ed25519_key-cert.pub" >> "$RUN/sshd_config"
  fi

  local known; known=$(awk '{print $1" "$2}' "$STATE/ssh_host_ed25519_key.pub")
  echo "[127.0.0.1]:$PORT $known" > "$STATE/known_hosts"

  cat > "$RUN/env.sh" <<EOF
RUN='$RUN'; FIX='$fix'; HOSTN='$HOSTN'; TZNAME='$TZNAME'; U1='$U1'; U2='$U2'
RECV_J='$RECV_J'; RECV_S='$RECV_S'; GW='$GW'; FWD_J='$FWD_J'; FWD_S='$FWD_S'
EOF
  write_central
  write_init
}

# ---------------------------------------------------------------- PID 1 of the namespace
write_init() {
  cat > "$RUN/init.sh" <<'EOF'
#!/bin/bash
# PID 1 inside the testhost mount+UTS+PID namespace (mounts here never propagate to the host)
set -u
. "$(dirname "$0")/env.sh"
fail() { echo "INIT-FAILED: $*"; exit 1; }
mount -t tmpfs -o mode=755,nosuid,nodev tmpfs /run || fail "tmpfs /run"
mkdir -p /run/sshd /run/lock /run/user; chmod 755 /run/sshd
lower=/var; [ -d "$RUN/gen/app" ] && lower="$RUN/gen/app:$lower"; [ -n "$FIX" ] && [ -d "$FIX/var" ] && lower="$FIX/var:$lower"
mount -t overlay overlay -o "lowerdir=$lower,upperdir=$RUN/ovl/var-upper,workdir=$RUN/ovl/var-work" /var || fail "overlay /var"
lower="$RUN/gen/log"; [ -n "$FIX" ] && [ -d "$FIX/var/log" ] && lower="$lower:$FIX/var/log"
opts="lowerdir=$lower,upperdir=$RUN/ovl/log-upper,workdir=$RUN/ovl/log-work"
mount -t overlay overlay -o "$opts,metacopy=on" /var/log 2>/dev/null || mount -t overlay overlay -o "$opts" /var/log || fail "overlay /var/log"
# /etc becomes an overlay (writes land in $RUN) so /etc/localtime can point at $TZNAME in this namespace
# only; it must come before the bind mounts below, which would otherwise be hidden under it.
mkdir -p "$RUN/ovl/etc-upper" "$RUN/ovl/etc-work"
elower=/etc; [ -n "$FIX" ] && [ -d "$FIX/etc" ] && elower="$FIX/etc:/etc"
mount -t overlay overlay -o "lowerdir=$elower,upperdir=$RUN/ovl/etc-upper,workdir=$RUN/ovl/etc-work" /etc || fail "overlay /etc"
ln -sfn "/usr/share/zoneinfo/$TZNAME" /etc/localtime || fail "localtime symlink"
for f in passwd group shadow gshadow hosts hostname machine-id timezone; do
  mount --bind "$RUN/etc/$f" "/etc/$f" || fail "bind /etc/$f"
done
mount --bind "$RUN/etc/sudoers.d" /etc/sudoers.d || fail "bind sudoers.d"
mount --bind "$RUN/home" /home || fail "bind /home"
hostname "$HOSTN"

# Debian-like ownership/modes (metacopy=on: chown of a big fixture does not copy its data)
own() { [ -e "$1" ] && chown "$2" "$1" && chmod "$3" "$1"; return 0; }
chmod 755 /var/log
own /var/log/nginx root:adm 755
for f in /var/log/nginx/*; do [ -f "$f" ] && own "$f" www-data:adm 640; done
for f in /var/log/syslog* /var/log/mail.* /var/log/auth.log* /var/log/kern.log* /var/log/messages* /var/log/daemon.log*; do [ -f "$f" ] && own "$f" root:adm 640; done
own /var/log/postgresql root:postgres 1775
for f in /var/log/postgresql/*; do [ -f "$f" ] && own "$f" postgres:adm 640; done
own /var/log/aquademie www-data:adm 750
find /var/log/aquademie -mindepth 1 -type d -exec chown www-data:adm {} + -exec chmod 750 {} + 2>/dev/null
find /var/log/aquademie -type f -exec chown www-data:adm {} + -exec chmod 640 {} + 2>/dev/null
own /var/log/journal root:systemd-journal 2755
find /var/log/journal -mindepth 1 -type d -exec chown root:systemd-journal {} + -exec chmod 2755 {} +
find /var/log/journal -type f -name '*.journal' -exec chown root:systemd-journal {} + -exec chmod 640 {} +
[ -d /var/www ] && { chown root:root /var/www; chmod 755 /var/www; }
[ -d /var/www/aquademie ] && chown -R www-data:www-data /var/www/aquademie
if [ -n "$FIX" ] && [ -f "$FIX/perms" ]; then
  while read -r p og m; do case "$p" in ''|'#'*) continue;; esac; for x in $p; do own "$x" "$og" "$m"; done; done < "$FIX/perms"
fi

# optional command shims: FIXTURES/override/<abs path> is bind-mounted over that path (namespace only)
if [ -n "$FIX" ] && [ -d "$FIX/override" ]; then
  while IFS= read -r rel; do
    t="/${rel#./}"
    case "$t" in /etc/passwd|/etc/shadow|/etc/group|/etc/gshadow|/etc/sudoers*) continue;; esac
    if [ -e "$t" ]; then mount --bind "$FIX/override/${rel#./}" "$t" || fail "override $t"; else echo "override skipped (no $t)"; fi
  done < <(cd "$FIX/override" && find . -type f)
fi

# fake long-running processes so that `ps aux | grep gunicorn` looks like production
procs="$RUN/processes"; [ -n "$FIX" ] && [ -f "$FIX/processes" ] && procs="$FIX/processes"
pids=()
if [ -f "$procs" ]; then
  while IFS=$'\t' read -r u cmd; do
    case "$u" in ''|'#'*) continue;; esac
    getent passwd "$u" >/dev/null || u=root
    setpriv --reuid="$u" --regid="$(id -g "$u")" --init-groups perl -e '$0=shift; $SIG{TERM}=sub{exit 0}; sleep 1e9' "$cmd" </dev/null >/dev/null 2>&1 &
    pids+=($!)
  done < "$procs"
fi

# central log host roles (receivers, gateway, forwarders): written by write_central
. "$RUN/central.sh"

/usr/sbin/sshd -t -f "$RUN/sshd_config" || fail "sshd -t"
/usr/sbin/sshd -D -e -f "$RUN/sshd_config" 2>>"$RUN/sshd.log" </dev/null &
sshd=$!
shutdown() { kill -TERM "$sshd" "${pids[@]}" 2>/dev/null; wait; exit 0; }
trap shutdown TERM INT HUP
echo "READY ns-init"
while kill -0 "$sshd" 2>/dev/null; do wait "$sshd"; done
echo "sshd exited"; shutdown
EOF
  chmod 755 "$RUN/init.sh"
  cat > "$RUN/processes" <<'EOF'
root	/lib/systemd/systemd --system --deserialize 31
root	nginx: master process /usr/sbin/nginx -g daemon on; master_process on;
www-data	nginx: worker process
www-data	nginx: worker process
www-data	/var/www/aquademie/venv/bin/python3 /var/www/aquademie/venv/bin/gunicorn --workers 3 --timeout 30 --bind unix:/run/aquademie.sock aquademie.wsgi:application
www-data	/var/www/aquademie/venv/bin/python3 /var/www/aquademie/venv/bin/gunicorn --workers 3 --timeout 30 --bind unix:/run/aquademie.sock aquademie.wsgi:application
www-data	/var/www/aquademie/venv/bin/python3 /var/www/aquademie/venv/bin/gunicorn --workers 3 --timeout 30 --bind unix:/run/aquademie.sock aquademie.wsgi:application
www-data	/var/www/aquademie/venv/bin/python3 /var/www/aquademie/venv/bin/gunicorn --workers 3 --timeout 30 --bind unix:/run/aquademie.sock aquademie.wsgi:application
postgres	/usr/lib/postgresql/15/bin/postgres -D /var/lib/postgresql/15/main -c config_file=/etc/postgresql/15/main/postgresql.conf
postgres	postgres: 15/main: checkpointer
root	/usr/lib/postfix/sbin/master -w
postfix	qmgr -l -t unix -u
EOF
}

# ---------------------------------------------------------------- central log host roles
write_central() { # sourced by init.sh inside the namespace, after the fake processes (appends to pids)
  cat > "$RUN/central.sh" <<'EOF'
# log host: receivers on 127.0.0.1 only (socket activation for the systemd programs)
if [ -n "$RECV_J" ] || [ -n "$GW" ]; then
  mkdir -p /var/log/journal/remote; chown root:systemd-journal /var/log/journal/remote; chmod 2755 /var/log/journal/remote
fi
if [ -n "$RECV_J" ]; then
  systemd-socket-activate -l "127.0.0.1:$RECV_J" /lib/systemd/systemd-journal-remote --listen-http=-3 \
    --output=/var/log/journal/remote/ >>"$RUN/journal-remote-recv.log" 2>&1 </dev/null &
  pids+=($!)
fi
if [ -n "$GW" ]; then
  systemd-socket-activate -l "127.0.0.1:$GW" /lib/systemd/systemd-journal-gatewayd -D /var/log/journal/remote \
    >>"$RUN/gatewayd.log" 2>&1 </dev/null &
  pids+=($!)
fi
if [ -n "$RECV_S" ]; then
  mkdir -p /var/log/remote /run/il-rsyslog-recv; chown root:adm /var/log/remote; chmod 750 /var/log/remote
  cat > /run/il-rsyslog-recv.conf <<EOC
global(workDirectory="/run/il-rsyslog-recv")
module(load="imtcp")
template(name="perhost" type="string" string="/var/log/remote/%HOSTNAME%/%PROGRAMNAME%.log")
template(name="original" type="string" string="%msg:2:\$:drop-last-lf%\n")
ruleset(name="remote") {
  action(type="omfile" dynaFile="perhost" template="original" dirCreateMode="0750" fileCreateMode="0640" dirGroup="adm" fileGroup="adm")
  stop
}
input(type="imtcp" address="127.0.0.1" port="$RECV_S" ruleset="remote")
EOC
  /usr/sbin/rsyslogd -n -f /run/il-rsyslog-recv.conf -i /run/il-rsyslog-recv.pid >>"$RUN/rsyslog-recv.log" 2>&1 </dev/null &
  pids+=($!)
fi
# app host: ship the journal (once, to its end) and forward the log files (rsyslog keeps running)
if [ -n "$FWD_J" ]; then
  /lib/systemd/systemd-journal-upload --url="$FWD_J" -D /var/log/journal --follow=no >>"$RUN/journal-upload.log" 2>&1 </dev/null \
    || fail "systemd-journal-upload to $FWD_J failed (see $RUN/journal-upload.log)"
fi
if [ -n "$FWD_S" ]; then
  mkdir -p /run/il-rsyslog-fwd
  { echo 'global(workDirectory="/run/il-rsyslog-fwd")'
    echo 'module(load="imfile")'
    while read -r f tag; do
      compgen -G "$f" >/dev/null && echo "input(type=\"imfile\" file=\"$f\" tag=\"$tag:\" freshStartTail=\"off\")"
    done <<EOL
/var/log/nginx/access.log nginx-access
/var/log/nginx/error.log nginx-error
/var/log/syslog syslog
/var/log/mail.log mail
/var/log/mail.err mail.err
/var/log/aquademie/gunicorn.log gunicorn
/var/log/postgresql/*.log postgresql
/var/www/aquademie/logs/*.log django
EOL
    echo "action(type=\"omfwd\" target=\"${FWD_S%:*}\" port=\"${FWD_S#*:}\" protocol=\"tcp\" action.resumeRetryCount=\"-1\" queue.type=\"LinkedList\")"
  } > /run/il-rsyslog-fwd.conf
  /usr/sbin/rsyslogd -n -f /run/il-rsyslog-fwd.conf -i /run/il-rsyslog-fwd.pid >>"$RUN/rsyslog-fwd.log" 2>&1 </dev/null &
  pids+=($!)
fi
EOF
}

# ---------------------------------------------------------------- info
info() {
  local fp; fp=$(ssh-keygen -lf "$STATE/ssh_host_ed25519_key.pub" | awk '{print $2}')
  cat > "$RUN/connection.json" <<EOF
{"host":"127.0.0.1","port":$PORT,"hostname":"$HOSTN","hostKeyFingerprint":"$fp","knownHosts":"$STATE/known_hosts",
 "sudoUser":{"username":"$U1","password":"$U1_PASS","privateKey":"$STATE/keys/${U1}_ed25519","rsaPrivateKey":"$STATE/keys/${U1}_rsa","sudo":"NOPASSWD"},
 "passwordSudoUser":{"username":"$U2","password":"$U2_PASS","privateKey":"$STATE/keys/${U2}_ed25519","sudo":"password required"},
 "timezone":"$TZNAME","machineId":"$(cat "$RUN/etc/machine-id")","unsharePid":$(cat "$RUN/unshare.pid"),"nsInitPid":$(cat "$RUN/ns-init.pid")}
EOF
  cat <<EOF
testhost running: sshd on 127.0.0.1:$PORT  (hostname $HOSTN, TZ $TZNAME, host key $fp)
  $U1 (sudo NOPASSWD): ssh -i $STATE/keys/${U1}_ed25519 -o UserKnownHostsFile=$STATE/known_hosts -p $PORT $U1@127.0.0.1   password: $U1_PASS
  $U2 (sudo asks pw) : ssh -i $STATE/keys/${U2}_ed25519 -o UserKnownHostsFile=$STATE/known_hosts -p $PORT $U2@127.0.0.1   password: $U2_PASS
  details: $RUN/connection.json   sshd log: $RUN/sshd.log   pids: unshare $(cat "$RUN/unshare.pid"), ns-init $(cat "$RUN/ns-init.pid")
EOF
}

# ---------------------------------------------------------------- start / stop
start() {
  local fix=${1:-${TESTHOST_FIXTURES:-}}
  if [ -n "$fix" ]; then [ -d "$fix" ] || die "fixtures dir not found: $fix"; fix=$(cd "$fix" && pwd); fi
  mkdir -p "$D"
  if is_running; then log "already running (stop first to change fixtures)"; info; return 0; fi
  [ -d "$RUN" ] && rm -rf "$RUN"
  if listening; then die "port $PORT already in use"; fi
  ensure_packages
  ensure_state
  render "$fix"
  setsid unshare --mount --uts --pid --fork --mount-proc --propagation private --kill-child=SIGKILL \
    "$RUN/init.sh" >"$RUN/init.log" 2>&1 </dev/null &
  local up=$! i nsp=""
  echo "$up" > "$RUN/unshare.pid"
  for i in $(seq 1 200); do                          # up to 10 s
    [ -z "$nsp" ] && nsp=$(cat "/proc/$up/task/$up/children" 2>/dev/null | awk '{print $1}')
    if grep -q '^READY' "$RUN/init.log" 2>/dev/null && listening; then break; fi
    if ! alive "$up" || grep -q '^INIT-FAILED' "$RUN/init.log" 2>/dev/null; then
      cat "$RUN/init.log" "$RUN/sshd.log" >&2 2>/dev/null; die "namespace init failed"; fi
    sleep 0.05
  done
  listening || { cat "$RUN/init.log" >&2; stop; die "sshd did not come up"; }
  echo "$nsp" > "$RUN/ns-init.pid"
  info
}

stop() {
  if ! is_running; then log "not running"; rm -rf "$RUN"; return 0; fi
  local up nsp i; up=$(cat "$RUN/unshare.pid"); nsp=$(cat "$RUN/ns-init.pid" 2>/dev/null || true)
  [ -n "$nsp" ] && kill -TERM "$nsp" 2>/dev/null || kill -TERM "$up" 2>/dev/null || true
  for i in $(seq 1 100); do alive "$up" || break; sleep 0.05; done
  if alive "$up"; then kill -KILL "$up" 2>/dev/null || true; sleep 0.2; fi  # --kill-child takes the ns down
  rm -rf "$RUN"
  log "stopped"
}

case "${1:-}" in
  start)   shift; start "${1:-}";;
  stop)    stop;;
  restart) shift; stop; start "${1:-}";;
  status)  if is_running; then info; else echo "not running"; exit 3; fi;;
  info)    info;;
  ssh)     shift; u=${1:-$U1}; shift || true
           exec ssh -q -i "$STATE/keys/${u}_ed25519" -o UserKnownHostsFile="$STATE/known_hosts" -o StrictHostKeyChecking=yes -o BatchMode=yes -p "$PORT" "$u@127.0.0.1" "$@";;
  *) sed -n '2,12p' "$0"; exit 2;;
esac
