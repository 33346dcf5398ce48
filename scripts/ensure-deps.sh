#!/usr/bin/env bash
# Installs the Debian packages the tests and `npm start` need, when missing. Never starts a
# system-wide sshd (policy-rc.d forbids service starts during the install).
#   ensure-deps.sh             everything the tests need
#   ensure-deps.sh --start     only what `npm start` needs (the test host, curl, code-server's ripgrep and krb5)
#   ensure-deps.sh --host-only only the test host's packages
set -euo pipefail
need=()
[ -x /usr/sbin/sshd ] || need+=(openssh-server)
command -v ssh >/dev/null || need+=(openssh-client)
[ -x /usr/bin/sudo ] || need+=(sudo)
[ -x /lib/systemd/systemd-journal-remote ] || need+=(systemd-journal-remote)   # also -upload and -gatewayd (central log host tests)
[ -x /usr/sbin/rsyslogd ] || need+=(rsyslog)                                  # central log host tests: receiver and forwarder
command -v systemd-socket-activate >/dev/null || need+=(systemd)               # receivers socket-activated on loopback
command -v ss >/dev/null || need+=(iproute2)
command -v patch >/dev/null || need+=(patch)   # the test host builds each fixture's views.py from samples/
if [ "${1:-}" != "--host-only" ]; then
  command -v curl >/dev/null || need+=(curl)   # code-server readiness and npm start's check
  command -v rg >/dev/null || need+=(ripgrep)
  [ -e /usr/include/krb5.h ] || [ -e /usr/include/gssapi/gssapi.h ] || need+=(libkrb5-dev)
fi
if [ "${1:-}" != "--host-only" ] && [ "${1:-}" != "--start" ]; then   # the tests only
  [ -x /usr/bin/chromium ] || need+=(chromium)
  command -v zsh >/dev/null || need+=(zsh)     # a test host whose login shell is zsh (~/.zshenv that prints)
  /usr/bin/python3 -c 'import django' 2>/dev/null || need+=(python3-django)
  /usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null || need+=(python3-aiosmtpd)
  # The background-task proof (test/django/background.test.ts): a real Celery worker on a real redis broker,
  # and Debian's gunicorn serving the app.
  /usr/bin/python3 -c 'import celery' 2>/dev/null || need+=(python3-celery)
  /usr/bin/python3 -c 'import redis' 2>/dev/null || need+=(python3-redis)
  [ -x /usr/bin/redis-server ] || need+=(redis-server)
  [ -x /usr/bin/gunicorn ] || need+=(gunicorn)
fi
[ ${#need[@]} = 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "incident-lens: missing Debian packages: ${need[*]} — run: sudo apt-get install -y ${need[*]}" >&2
  exit 1
fi
echo "[deps] installing: ${need[*]}" >&2
made=
if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d; made=1; fi
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
{ apt-get install -y --no-install-recommends "${need[@]}" >"$log" 2>&1; } \
  || { apt-get update >>"$log" 2>&1 && apt-get install -y --no-install-recommends "${need[@]}" >>"$log" 2>&1; } \
  || { [ -n "$made" ] && rm -f /usr/sbin/policy-rc.d; tail -20 "$log" >&2; echo "incident-lens: apt-get install failed" >&2; exit 1; }
[ -n "$made" ] && rm -f /usr/sbin/policy-rc.d
exit 0
