// sudo over the real sshd test host: deploy (NOPASSWD) through `sudo -n`; auditor (sudo asks a
// password) → SUDO_PASSWORD_REQUIRED with advice; auditor with the password on stdin (`sudo -S`),
// which never shows in the logs nor in the remote process list; a wrong password; cancel of a
// root command still ends it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connectSsh, type SshRunner } from '../../src/transport/index';
import { hostOptions, pollUntil, rejectsWith, remoteProcesses, useTestHost } from './helpers';

let observer: SshRunner;

const ssh = useTestHost({}, {
  ready: async ({ host, dir }) => {
    observer = await connectSsh(hostOptions(host, dir, 'deploy'));
  },
  done: () => observer?.close(),
});

test('deploy: sudo -n runs as root', async () => {
  const r = await observer.run('id -u; cat /etc/shadow >/dev/null && echo readable', { sudo: true });
  assert.equal(r.stdout, '0\nreadable\n');
  assert.equal(r.code, 0);
});

test('auditor without a sudo password → SUDO_PASSWORD_REQUIRED with advice', async () => {
  const r = await connectSsh(hostOptions(ssh.host, ssh.dir, 'auditor'));
  try {
    const err = await rejectsWith(r.run('id -u', { sudo: true }), 'SUDO_PASSWORD_REQUIRED');
    assert.match(err.advice ?? '', /adm/);
    assert.match(err.advice ?? '', /systemd-journal/);
    assert.match(err.advice ?? '', /NOPASSWD/);
    // commands without sudo still work on the same runner
    assert.equal((await r.run('id -un')).stdout, 'auditor\n');
  } finally {
    await r.close();
  }
});

test('auditor with the right password: sudo -S on stdin; never in logs nor in the process list', async () => {
  const logs: string[] = [];
  const secret = ssh.host.passwordSudoUser.password;
  let asked = 0;
  const r = await connectSsh(
    hostOptions(ssh.host, ssh.dir, 'auditor', {
      log: (l) => logs.push(l),
      prompts: { confirmHostKey: async () => false, sudoPassword: async () => (asked++, secret) },
    }),
  );
  try {
    const marker = `sleep 1.3131${Date.now() % 1000}`; // unique, and short: the command must finish
    const p = r.run(`${marker}; id -u`, { sudo: true });
    const seen = await pollUntil('root command to start', async () => {
      const all = await observer.run('ps -eo pid=,user=,args=');
      return all.stdout.includes(marker) && all.stdout;
    });
    assert.ok(!seen.includes(secret), 'password visible in the remote process list');
    const res = await p;
    assert.equal(res.stdout, '0\n');
    assert.ok(!res.stderr.includes(secret));
    // the password is asked once and reused for later sudo commands
    assert.equal((await r.run('id -u', { sudo: true })).stdout, '0\n');
    assert.equal(asked, 1);
    assert.ok(logs.length > 0);
    for (const l of logs) assert.ok(!l.includes(secret), `password in log line: ${l}`);
  } finally {
    await r.close();
  }
});

test('auditor with a wrong password → SUDO_PASSWORD_WRONG, and asked again next time', async () => {
  let asked = 0;
  const r = await connectSsh(
    hostOptions(ssh.host, ssh.dir, 'auditor', {
      prompts: { confirmHostKey: async () => false, sudoPassword: async () => (asked++, 'not-the-password') },
    }),
  );
  try {
    const err = await rejectsWith(r.run('id -u', { sudo: true }), 'SUDO_PASSWORD_WRONG');
    assert.ok(!err.message.includes('not-the-password'));
    await rejectsWith(r.run('id -u', { sudo: true }), 'SUDO_PASSWORD_WRONG');
    assert.equal(asked, 2);
  } finally {
    await r.close();
  }
});

test('parallel root commands ask the sudo password once; declined, they all fail at once without asking again', async () => {
  let asked = 0;
  let answer: (v: string | undefined) => void = () => undefined;
  const r = await connectSsh(
    hostOptions(ssh.host, ssh.dir, 'auditor', {
      prompts: { confirmHostKey: async () => false, sudoPassword: () => (asked++, new Promise((res) => (answer = res))) },
    }),
  );
  try {
    const runs = Array.from({ length: 5 }, () => r.run('id -u', { sudo: true }));
    await pollUntil('the password question', () => asked > 0);
    answer(ssh.host.passwordSudoUser.password);
    for (const res of await Promise.all(runs)) assert.equal(res.stdout, '0\n');
    assert.equal(asked, 1, 'one question for five parallel root commands');
  } finally {
    await r.close();
  }
  asked = 0;
  const declined = await connectSsh(
    hostOptions(ssh.host, ssh.dir, 'auditor', { prompts: { confirmHostKey: async () => false, sudoPassword: async () => (asked++, undefined) } }),
  );
  try {
    const all = await Promise.allSettled(Array.from({ length: 5 }, () => declined.run('id -u', { sudo: true })));
    assert.ok(all.every((x) => x.status === 'rejected' && (x.reason as { code?: string }).code === 'SUDO_PASSWORD_REQUIRED'));
    await rejectsWith(declined.run('id -u', { sudo: true }), 'SUDO_PASSWORD_REQUIRED');
    assert.equal(asked, 1, 'Escape once is enough: no pop-up per source');
    assert.equal((await declined.run('id -un')).stdout, 'auditor\n', 'commands without sudo still run');
  } finally {
    await declined.close();
  }
});

test('cancel of a sudo command ends the root processes too', async () => {
  const marker = `sleep 3232${Date.now() % 1000}`;
  const ac = new AbortController();
  const p = observer.run(`${marker} | cat; echo never`, { sudo: true, signal: ac.signal });
  await pollUntil('root command to start', async () => (await remoteProcesses(observer, marker)).some((l) => /\broot\b/.test(l)));
  ac.abort();
  await rejectsWith(p, 'CANCELLED');
  await pollUntil('root pipeline to disappear', async () => (await remoteProcesses(observer, marker)).length === 0);
});

test('timeout of a password-sudo command ends the root processes too', async () => {
  const r = await connectSsh(hostOptions(ssh.host, ssh.dir, 'auditor', { prompts: { confirmHostKey: async () => false, sudoPassword: async () => ssh.host.passwordSudoUser.password } }));
  try {
    const marker = `sleep 3333${Date.now() % 1000}`;
    await rejectsWith(r.run(`${marker}; echo never`, { sudo: true, timeoutMs: 1500 }), 'COMMAND_TIMEOUT');
    await pollUntil('root process to disappear', async () => (await remoteProcesses(observer, marker)).length === 0);
  } finally {
    await r.close();
  }
});

test('a command that reads stdin under sudo -S sees an empty stdin, never the password', async () => {
  const r = await connectSsh(hostOptions(ssh.host, ssh.dir, 'auditor', { prompts: { confirmHostKey: async () => false, sudoPassword: async () => ssh.host.passwordSudoUser.password } }));
  try {
    const res = await r.run('cat; echo end', { sudo: true });
    assert.equal(res.stdout, 'end\n');
  } finally {
    await r.close();
  }
});
