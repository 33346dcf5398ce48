// A dropped connection mid-command → CONNECTION_LOST for every in-flight command; the next run()
// reconnects (after the host comes back), without a new connectSsh.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connectSsh } from '../../src/transport/index';
import { startTestHost } from '../host/testHost';
import { hostOptions, logOffset, logSince, pollUntil, rejectsWith, sessionPidOf, useTestHost } from './helpers';


const ssh = useTestHost();

test('killing the sshd session process → CONNECTION_LOST for all in-flight commands; next run reconnects', async () => {
  const r = await connectSsh(hostOptions(ssh.host, ssh.dir, 'deploy', { connectTimeoutMs: 5000 }));
  try {
    const a = r.run('sleep 50.1; echo never');
    const b = r.run('sleep 50.2; echo never');
    await pollUntil('both commands running', () => {
      const ps = ssh.host.ssh('ps -eo args=');
      return ps.includes('sleep 50.1') && ps.includes('sleep 50.2');
    });
    // the "sshd: deploy@notty" process serving this connection: kill it from outside (a separate ssh session)
    const sessionPid = sessionPidOf(ssh.host, 'sleep 50.1');
    assert.match(ssh.host.ssh(`ps -o args= -p ${sessionPid}`), /sshd: deploy/);
    assert.match(sessionPid, /^\d+$/);
    ssh.host.ssh(`kill -KILL ${sessionPid}`);
    await rejectsWith(a, 'CONNECTION_LOST');
    await rejectsWith(b, 'CONNECTION_LOST');
    // the commands do not outlive their killed session: their watchdog ends them
    await pollUntil('commands of the killed session ended', () => !/sleep 50\.[12]/.test(ssh.host.ssh('ps -eo args=')), 5000);
    const offset = logOffset(ssh.host);
    assert.equal((await r.run('echo back')).stdout, 'back\n');
    assert.match(logSince(ssh.host, offset), /Accepted publickey for deploy /);
  } finally {
    await r.close();
  }
});

test('host stopped mid-command → CONNECTION_LOST; UNREACHABLE while down; reconnects after restart', async () => {
  const r = await connectSsh(hostOptions(ssh.host, ssh.dir, 'deploy', { connectTimeoutMs: 5000 }));
  try {
    const inflight = r.run('sleep 51.5; echo never');
    await pollUntil('command running', () => ssh.host.ssh('ps -eo args=').includes('sleep 51.5'));
    ssh.host.stop();
    await rejectsWith(inflight, 'CONNECTION_LOST');
    await rejectsWith(r.run('echo while-down'), 'UNREACHABLE');
    ssh.host = startTestHost({ port: ssh.host.port, dir: ssh.host.dir }); // same port, same host key
    assert.equal((await r.run('echo after-restart')).stdout, 'after-restart\n');
  } finally {
    await r.close();
  }
});

test('a silent peer (sshd session frozen with SIGSTOP) is detected by keepalive → CONNECTION_LOST', async () => {
  const r = await connectSsh(hostOptions(ssh.host, ssh.dir, 'deploy', { keepaliveIntervalMs: 300, connectTimeoutMs: 5000 }));
  let frozen = '';
  try {
    const inflight = r.run('sleep 52.5; echo never');
    await pollUntil('command running', () => ssh.host.ssh('ps -eo args=').includes('sleep 52.5'));
    frozen = sessionPidOf(ssh.host, 'sleep 52.5');
    assert.match(frozen, /^\d+$/);
    ssh.host.ssh(`kill -STOP ${frozen}`);
    const t0 = Date.now();
    await rejectsWith(inflight, 'CONNECTION_LOST');
    // 3 unanswered keepalives at 300 ms, far below the 52 s the command would have taken
    assert.ok(Date.now() - t0 < 10000);
  } finally {
    if (frozen) ssh.host.ssh(`kill -CONT ${frozen}; kill -KILL ${frozen} 2>/dev/null; true`);
    await r.close();
  }
});
