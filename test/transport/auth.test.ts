// Authentication against the real sshd test host: ed25519 and PEM RSA keys for each user, a real
// ssh-agent, passphrase-protected key, password; and the typed failures (wrong key, refused port,
// unknown host name, silent server) each within the connect timeout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { connectSsh } from '../../src/transport/index';
import { hostOptions, logOffset, logSince, pollUntil, rejectsWith, useTestHost } from './helpers';


const ssh = useTestHost();

for (const user of ['deploy', 'auditor'] as const) {
  test(`ed25519 key authentication as ${user}`, async () => {
    const offset = logOffset(ssh.host);
    const r = await connectSsh(hostOptions(ssh.host, ssh.dir, user));
    try {
      assert.equal((await r.run('id -un')).stdout.trim(), user);
      assert.equal(r.describe(), `${user}@127.0.0.1:${ssh.host.port}`);
    } finally {
      await r.close();
    }
    assert.match(logSince(ssh.host, offset), new RegExp(`Accepted publickey for ${user} .* ED25519`));
  });
}

test('PEM RSA key authentication (deploy)', async () => {
  assert.match(readFileSync(ssh.host.sudoUser.rsaPrivateKey!, 'utf8'), /BEGIN RSA PRIVATE KEY/);
  const offset = logOffset(ssh.host);
  const r = await connectSsh(hostOptions(ssh.host, ssh.dir, 'deploy', { identityFile: ssh.host.sudoUser.rsaPrivateKey }));
  try {
    assert.equal((await r.run('id -un')).stdout.trim(), 'deploy');
  } finally {
    await r.close();
  }
  assert.match(logSince(ssh.host, offset), /Accepted publickey for deploy .* RSA/);
});

test('ssh-agent authentication for each user (real ssh-agent + ssh-add)', async () => {
  const sock = join(ssh.dir, 'agent.sock');
  const agent: ChildProcess = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
  try {
    await pollUntil('ssh-agent socket', () => existsSync(sock));
    const env = { ...process.env, SSH_AUTH_SOCK: sock };
    execFileSync('ssh-add', ['-q', ssh.host.sudoUser.privateKey, ssh.host.passwordSudoUser.privateKey], { env, stdio: 'pipe' });
    const saved = process.env.SSH_AUTH_SOCK;
    process.env.SSH_AUTH_SOCK = sock;
    try {
      for (const user of ['deploy', 'auditor'] as const) {
        const offset = logOffset(ssh.host);
        // no identity file at all: only the agent can authenticate
        const o = hostOptions(ssh.host, ssh.dir, user, { useAgent: true });
        delete o.identityFile;
        const r = await connectSsh(o);
        try {
          assert.equal((await r.run('id -un')).stdout.trim(), user);
        } finally {
          await r.close();
        }
        assert.match(logSince(ssh.host, offset), new RegExp(`Accepted publickey for ${user} `));
      }
    } finally {
      if (saved === undefined) delete process.env.SSH_AUTH_SOCK;
      else process.env.SSH_AUTH_SOCK = saved;
    }
  } finally {
    agent.kill('SIGTERM');
  }
});

test('passphrase-protected key: the passphrase prompt is asked and the key works', async () => {
  const key = join(ssh.dir, 'pp_ed25519');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'correct horse', '-f', key]);
  // authorise it on the host through an already-trusted connection (writes only inside the test host)
  const admin = await connectSsh(hostOptions(ssh.host, ssh.dir, 'deploy'));
  await admin.run(`cat >> ~/.ssh/authorized_keys <<'EOF'\n${readFileSync(`${key}.pub`, 'utf8').trim()}\nEOF`);
  await admin.close();
  const asked: string[] = [];
  const logs: string[] = [];
  const r = await connectSsh(
    hostOptions(ssh.host, ssh.dir, 'deploy', {
      identityFile: key,
      log: (l) => logs.push(l),
      prompts: { confirmHostKey: async () => false, passphrase: async (f) => (asked.push(f), 'correct horse') },
    }),
  );
  await r.close();
  assert.deepEqual(asked, [key]);
  assert.ok(!logs.join('\n').includes('correct horse'));
  // without a passphrase prompt the encrypted key is skipped: authentication fails
  await rejectsWith(connectSsh(hostOptions(ssh.host, ssh.dir, 'deploy', { identityFile: key })), 'AUTH_FAILED');
});

test('password authentication through the password prompt; the password is never logged', async () => {
  const logs: string[] = [];
  const offset = logOffset(ssh.host);
  const o = hostOptions(ssh.host, ssh.dir, 'auditor', {
    log: (l) => logs.push(l),
    prompts: { confirmHostKey: async () => false, password: async () => ssh.host.passwordSudoUser.password },
  });
  delete o.identityFile;
  const r = await connectSsh({ ...o, identityFile: join(ssh.dir, 'no-such-key') });
  try {
    assert.equal((await r.run('id -un')).stdout.trim(), 'auditor');
  } finally {
    await r.close();
  }
  assert.match(logSince(ssh.host, offset), /Accepted (password|keyboard-interactive\/pam) for auditor/);
  assert.ok(!logs.join('\n').includes(ssh.host.passwordSudoUser.password), logs.join('\n'));
});

test('wrong key → AUTH_FAILED within the connect timeout', async () => {
  const t0 = Date.now();
  // auditor's key is not authorised for deploy
  const err = await rejectsWith(connectSsh(hostOptions(ssh.host, ssh.dir, 'deploy', { identityFile: ssh.host.passwordSudoUser.privateKey, connectTimeoutMs: 5000 })), 'AUTH_FAILED');
  assert.ok(Date.now() - t0 < 5000);
  assert.ok(err.advice);
});

test('refused port → UNREACHABLE within the connect timeout', async () => {
  const t0 = Date.now();
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r)); // nothing listens there now
  const err = await rejectsWith(connectSsh(hostOptions(ssh.host, ssh.dir, 'deploy', { target: `deploy@127.0.0.1:${port}`, connectTimeoutMs: 5000 })), 'UNREACHABLE');
  assert.match(err.message, /refused/);
  assert.ok(Date.now() - t0 < 5000);
});

test('unknown host name → UNREACHABLE within the connect timeout', async () => {
  const t0 = Date.now();
  const err = await rejectsWith(connectSsh(hostOptions(ssh.host, ssh.dir, 'deploy', { target: 'deploy@nonexistent.invalid', connectTimeoutMs: 5000 })), 'UNREACHABLE');
  assert.match(err.message, /nonexistent\.invalid/);
  assert.ok(Date.now() - t0 < 5000);
});

test('a server that accepts TCP but never speaks SSH → CONNECT_TIMEOUT at the connect timeout', async () => {
  const sockets: import('node:net').Socket[] = [];
  const silent: Server = createServer((s) => sockets.push(s));
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  const port = (silent.address() as { port: number }).port;
  try {
    const t0 = Date.now();
    await rejectsWith(connectSsh(hostOptions(ssh.host, ssh.dir, 'deploy', { target: `deploy@127.0.0.1:${port}`, connectTimeoutMs: 800 })), 'CONNECT_TIMEOUT');
    const took = Date.now() - t0;
    assert.ok(took >= 700 && took < 5000, `took ${took} ms`);
  } finally {
    for (const s of sockets) s.destroy();
    silent.close();
  }
});

test('bad targets are refused before any connection', async () => {
  for (const t of ['', 'deploy@', 'a b', '-oProxyCommand=x', 'deploy@host:99999', 'de;ploy@host']) {
    await rejectsWith(connectSsh(hostOptions(ssh.host, ssh.dir, 'deploy', { target: t })), 'BAD_TARGET');
  }
});
