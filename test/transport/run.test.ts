// Running commands on the real sshd test host: output/stderr/exit status, streaming, the output cap,
// non-UTF-8 bytes, timeout and cancel ending the remote process, connection reuse, and a
// MaxSessions=3 host completing 10 parallel commands.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connectSsh, type SshRunner } from '../../src/transport/index';
import { startTestHost } from '../host/testHost';
import { hostOptions, logOffset, logSince, pollUntil, rejectsWith, remoteProcesses, useTestHost } from './helpers';

let runner: SshRunner;
let observer: SshRunner; // auditor: a second connection used to look at the process list

const ssh = useTestHost({}, {
  ready: async ({ host, dir }) => {
    runner = await connectSsh(hostOptions(host, dir, 'deploy'));
    observer = await connectSsh(hostOptions(host, dir, 'auditor'));
  },
  done: async () => {
    await runner?.close();
    await observer?.close();
  },
});

test('stdout, stderr and exit status are kept', async () => {
  const r = await runner.run('echo out; echo err >&2; exit 7');
  assert.equal(r.stdout, 'out\n');
  assert.equal(r.stderr, 'err\n');
  assert.equal(r.code, 7);
  assert.equal(r.truncated, false);
});

test('output is streamed through onStdout as it arrives', async () => {
  const chunks: string[] = [];
  const r = await runner.run('for i in 1 2 3; do echo line$i; done', { onStdout: (c) => chunks.push(c) });
  assert.equal(chunks.join(''), r.stdout);
  assert.equal(r.stdout, 'line1\nline2\nline3\n');
});

test('shell metacharacters reach bash intact', async () => {
  const r = await runner.run(`printf '%s|' "a b" 'c"d' $'e\\'f'; echo`);
  assert.equal(r.stdout, `a b|c"d|e'f|\n`);
});

test('output cap: truncated is reported and the producer is stopped', async () => {
  const r = await runner.run('yes 0123456789', { maxBytes: 100000 });
  assert.equal(r.truncated, true);
  assert.equal(r.code, null);
  assert.equal(Buffer.byteLength(r.stdout), 100000);
  await pollUntil('no yes process left', async () => (await remoteProcesses(observer, 'yes 0123456789')).length === 0);
});

test('non-UTF-8 bytes are decoded with replacement characters', async () => {
  const r = await runner.run(`printf 'caf\\351 ok \\377\\376 fin\\n'; printf 'err\\377\\n' >&2`);
  assert.equal(r.stdout, 'caf\uFFFD ok \uFFFD\uFFFD fin\n');
  assert.equal(r.stderr, 'err\uFFFD\n');
});

test('a multi-byte character split across chunks survives', async () => {
  // 200 KB of two-byte characters in lines under the line cap (output.ts MAX_LINE_BYTES): SSH chunks end
  // mid-character somewhere in there, and every character must come out whole
  const r = await runner.run(`for i in $(seq 1 20); do printf 'é%.0s' $(seq 1 5000); echo; done`);
  assert.equal(r.stdout, ('é'.repeat(5000) + '\n').repeat(20));
});

test('timeout → COMMAND_TIMEOUT and the remote process is gone', async () => {
  const marker = `sleep 4242${Date.now() % 1000}`;
  const err = await rejectsWith(runner.run(`${marker}; echo never`, { timeoutMs: 700 }), 'COMMAND_TIMEOUT');
  assert.ok(err.message.includes('700'));
  await pollUntil('timed-out process to disappear', async () => (await remoteProcesses(observer, marker)).length === 0);
});

test('cancel → CANCELLED and the whole remote pipeline is gone', async () => {
  const marker = `sleep 4343${Date.now() % 1000}`;
  const ac = new AbortController();
  const p = runner.run(`${marker} | cat | cat; echo never`, { signal: ac.signal });
  await pollUntil('command to start', async () => (await remoteProcesses(observer, marker)).length > 0);
  ac.abort();
  await rejectsWith(p, 'CANCELLED');
  await pollUntil('cancelled pipeline to disappear', async () => (await remoteProcesses(observer, marker)).length === 0);
});

test('an already-aborted signal runs nothing', async () => {
  const ac = new AbortController();
  ac.abort();
  await rejectsWith(runner.run('echo no', { signal: ac.signal }), 'CANCELLED');
});

test('one connection is reused: many commands, one Accepted line', async () => {
  const offset = logOffset(ssh.host);
  const again = await connectSsh(hostOptions(ssh.host, ssh.dir, 'deploy')); // same resolved target → pooled
  for (let i = 0; i < 5; i++) assert.equal((await again.run(`echo ${i}`)).stdout, `${i}\n`);
  await again.close();
  assert.equal((logSince(ssh.host, offset).match(/Accepted/g) ?? []).length, 0);
  // the first runner still works after the second closed
  assert.equal((await runner.run('echo still')).stdout, 'still\n');
});

test('MaxSessions=3 host: 10 parallel commands all succeed (limit shrinks, nothing fails)', async () => {
  const small = startTestHost({ maxSessions: 3 });
  const logs: string[] = [];
  const r = await connectSsh(hostOptions(small, ssh.dir, 'deploy', { log: (l) => logs.push(l) }));
  try {
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => r.run(`sleep 0.2; echo job${i}`)));
    assert.deepEqual(
      results.map((x) => x.stdout),
      Array.from({ length: 10 }, (_, i) => `job${i}\n`),
    );
    assert.ok(results.every((x) => x.code === 0));
    assert.ok(logs.some((l) => /limiting to 3 parallel/.test(l)), logs.join('\n'));
    // and later batches keep working at the learnt limit
    const more = await Promise.all(Array.from({ length: 10 }, (_, i) => r.run(`echo again${i}`)));
    assert.deepEqual(
      more.map((x) => [x.code, x.stdout, x.stderr]),
      Array.from({ length: 10 }, (_, i) => [0, `again${i}\n`, '']),
    );
  } finally {
    await r.close();
    small.stop();
  }
});

test('maxChannels=1: commands queue; a cancel while queued rejects CANCELLED and frees nothing twice', async () => {
  const one = await connectSsh(hostOptions(ssh.host, ssh.dir, 'auditor', { maxChannels: 1 }));
  try {
    const first = one.run('sleep 0.4; echo first');
    const ac = new AbortController();
    const queued = one.run('echo queued', { signal: ac.signal });
    ac.abort();
    await rejectsWith(queued, 'CANCELLED');
    const third = one.run('echo third');
    assert.equal((await first).stdout, 'first\n');
    assert.equal((await third).stdout, 'third\n');
  } finally {
    await one.close();
  }
});

test('close() while a command runs → it rejects CONNECTION_LOST and is ended on the host', async () => {
  const own = await connectSsh(hostOptions(ssh.host, ssh.dir, 'auditor', { knownHostsFiles: [ssh.host.knownHosts, '/nonexistent/kh'] })); // own pool entry
  const p = own.run('sleep 30.7; echo never');
  await pollUntil('command running', async () => (await remoteProcesses(observer, 'sleep 30.7')).length > 0);
  const lost = rejectsWith(p, 'CONNECTION_LOST');
  await own.close();
  await lost;
  await rejectsWith(own.run('echo after close'), 'CONNECTION_LOST');
  // close() ended the running command on the host before disconnecting
  await pollUntil('command ended by close()', async () => (await remoteProcesses(observer, 'sleep 30.7')).length === 0);
});
