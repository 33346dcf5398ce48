/**
 * Run in Terminal's command line, for real: OpenSSH's own client in a pseudo-terminal (driven by Debian's python3
 * `pty`), logged into the test host. The source's command waits pre-filled at a prompt — not run — until Enter;
 * a root-only source runs through sudo; a login shell stays open afterwards.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { useTestHost } from '../host/sshSetup';
import { prefilled, terminalCommand } from '../../src/ui/terminalCommand';

const ssh = useTestHost({ fixtures: 'seed-incident' });

// Reads until a marker shows (or times out), answers, reads again; prints the transcript as JSON.
const DRIVER = `
import os, pty, sys, time, select, json
argv = json.loads(sys.argv[1]); steps = json.loads(sys.argv[2])
pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)
out = b""; seen = []
def until(marker, t=15):
    global out
    end = time.time() + t
    while time.time() < end:
        if marker.encode() in out: return True
        r, _, _ = select.select([fd], [], [], 0.1)
        if r:
            try: out += os.read(fd, 65536)
            except OSError: return marker.encode() in out
    return False
for marker, send in steps:
    ok = until(marker)
    seen.append([marker, ok, out.decode(errors="replace")])
    if not ok: break
    if send is not None: os.write(fd, send.encode())
try: os.kill(pid, 9)
except Exception: pass
print(json.dumps(seen))
`;

function drive(remote: string, steps: [string, string | null][]): [string, boolean, string][] {
  const u = ssh.host.sudoUser;
  const argv = ['ssh', '-F', '/dev/null', '-p', String(ssh.host.port), '-i', u.privateKey, '-o', `UserKnownHostsFile=${ssh.host.knownHosts}`, '-o', 'StrictHostKeyChecking=yes', '-t', `${u.username}@127.0.0.1`, remote];
  const r = spawnSync('/usr/bin/python3', ['-c', DRIVER, JSON.stringify(argv), JSON.stringify(steps)], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

test('the command waits pre-filled at its prompt, runs as root on Enter, then a login shell stays', () => {
  const command = terminalCommand({ sudo: true, command: 'id -u; echo "done-$((20+2))"' });
  assert.equal(command, `sudo sh -c 'id -u; echo "done-$((20+2))"'`);
  const seen = drive(prefilled(command), [
    ['done-$((20+2))', null], // shown at the prompt, as typed
    ['$ ', '\r'], // Enter
    ['done-22', null], // it ran
    [':~$ ', 'echo shell-$((40+2))\r'], // the login shell's own prompt (Debian's PS1): typed only once it reads
    ['shell-42', 'exit\r'],
  ]);
  assert.ok(seen.every(([, ok]) => ok), JSON.stringify(seen.map(([m, ok, out]) => [m, ok, out.slice(-200)])));
  const beforeEnter = seen[1][2];
  assert.ok(!beforeEnter.includes('done-22'), 'nothing ran before Enter');
  assert.match(seen[2][2], /\b0\r?\n/, 'ran as root through sudo');
});

test('a command with quotes, $ and a pipe reaches the prompt intact (one shell word)', () => {
  const command = terminalCommand({ command: `printf '%s\\n' "a b" | awk '{print "n=" NF}'` });
  const seen = drive(prefilled(command), [
    [`awk '{print "n=" NF}'`, '\r'],
    ['n=2', 'exit\r'],
  ]);
  assert.ok(seen.every(([, ok]) => ok), JSON.stringify(seen.map(([m, ok, out]) => [m, ok, out.slice(-200)])));
});
