// Host certificates (@cert-authority) against a real sshd serving a CA-signed HostCertificate: accepted as OpenSSH
// accepts it (no prompt, nothing written), and refused where OpenSSH refuses it — another CA, a revoked CA or host
// key, a name that is not a principal, an expired certificate — each with our verdict compared to ssh(1)'s own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectSsh } from '../../src/transport/index';
import { startTestHost, type TestHost } from '../host/testHost';
import { emptySshConfig, hostOptions, rejectsWith, tempDir, useTestHost } from './helpers';

const keys = tempDir('il-hostcert-');
function keyPair(name: string, type: string[]): { priv: string; line: string } {
  const priv = join(keys, name);
  execFileSync('ssh-keygen', ['-q', ...type, '-N', '', '-C', name, '-f', priv]);
  return { priv, line: readFileSync(`${priv}.pub`, 'utf8').split(' ').slice(0, 2).join(' ') };
}
const ca = keyPair('ca-ed25519', ['-t', 'ed25519']);
const otherCa = keyPair('ca-other', ['-t', 'ed25519']);

const ssh = useTestHost({ env: { TESTHOST_HOST_CA: ca.priv, TESTHOST_HOST_CERT_ARGS: '-n 127.0.0.1,localhost' } });

function knownHosts(name: string, content: string): string {
  const f = join(ssh.dir, name);
  writeFileSync(f, content);
  return f;
}

function opensshAccepts(host: TestHost, file: string, extra: string[] = []): boolean {
  try {
    execFileSync('ssh', ['-F', '/dev/null', '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=yes', '-o', `UserKnownHostsFile=${file}`,
      '-o', 'GlobalKnownHostsFile=/dev/null', '-o', 'IdentitiesOnly=yes', '-i', host.sudoUser.privateKey, '-p', String(host.port), ...extra,
      `${host.sudoUser.username}@127.0.0.1`, 'true'], { stdio: 'pipe', timeout: 10000 });
    return true;
  } catch {
    return false;
  }
}

test('a host certificate signed by a @cert-authority CA is accepted without a prompt, nothing written, as OpenSSH does', async () => {
  const f = knownHosts('kh-ca', `@cert-authority [127.0.0.1]:${ssh.host.port} ${ca.line}\n`);
  const logs: string[] = [];
  let asked = false;
  const r = await connectSsh(hostOptions(ssh.host, ssh.dir, 'deploy', { knownHostsFiles: [f], log: (l) => logs.push(l), prompts: { confirmHostKey: async () => (asked = true) } }));
  try {
    assert.equal((await r.run('hostname')).stdout.trim(), ssh.host.hostname);
  } finally {
    await r.close();
  }
  assert.equal(asked, false);
  assert.equal(readFileSync(f, 'utf8'), `@cert-authority [127.0.0.1]:${ssh.host.port} ${ca.line}\n`);
  assert.ok(logs.some((l) => l.includes(ssh.host.hostKeyFingerprint) && /vouched for by its certificate \(key id "testhost-\d+"\).*kh-ca:1/.test(l)), logs.join('\n'));
  assert.equal(opensshAccepts(ssh.host, f), true);
});

test('refusals follow OpenSSH: another CA, revoked CA, revoked host key, a name not among the principals, a CA line for another host', async () => {
  const edLine = readFileSync(join(ssh.host.dir, 'state', 'ssh_host_ed25519_key.pub'), 'utf8').split(' ').slice(0, 2).join(' ');
  const caLine = `@cert-authority [127.0.0.1]:${ssh.host.port} ${ca.line}\n`;
  const cases: { label: string; content: string; alias?: string; code: string; says: RegExp }[] = [
    { label: 'another CA', content: `@cert-authority [127.0.0.1]:${ssh.host.port} ${otherCa.line}\n`, code: 'HOST_KEY_UNKNOWN', says: /signed by a CA that no @cert-authority line/ },
    { label: 'CA revoked', content: `${caLine}@revoked * ${ca.line}\n`, code: 'HOST_KEY_REVOKED', says: /CA key that signed its certificate is @revoked/ },
    { label: 'host key revoked', content: `${caLine}@revoked * ${edLine}\n`, code: 'HOST_KEY_REVOKED', says: /@revoked/ },
    { label: 'alias not a principal', content: `@cert-authority db.example ${ca.line}\n`, alias: 'db.example', code: 'HOST_KEY_UNKNOWN', says: /does not name db\.example among its principals \(127\.0\.0\.1, localhost\)/ },
    { label: 'CA line for another host', content: `@cert-authority [127.0.0.2]:${ssh.host.port} ${ca.line}\n`, code: 'HOST_KEY_UNKNOWN', says: /not in known_hosts/ },
  ];
  for (const c of cases) {
    const f = knownHosts(`kh-${c.label.replace(/\W+/g, '-')}`, c.content);
    const cfg = emptySshConfig(tempDir());
    if (c.alias) writeFileSync(cfg, `Host *\n  HostKeyAlias ${c.alias}\n`);
    const err = await rejectsWith(connectSsh({ ...hostOptions(ssh.host, ssh.dir, 'deploy', { knownHostsFiles: [f] }), sshConfigFile: cfg }), c.code);
    assert.match(err.message, c.says, `${c.label}: ${err.message}`);
    assert.equal(opensshAccepts(ssh.host, f, c.alias ? ['-o', `HostKeyAlias=${c.alias}`] : []), false, `${c.label}: OpenSSH refuses too`);
  }
  // trap: the same alias named among the principals is accepted by both
  const f = knownHosts('kh-alias-ok', `@cert-authority localhost ${ca.line}\n`);
  const cfg = emptySshConfig(tempDir());
  writeFileSync(cfg, 'Host *\n  HostKeyAlias localhost\n');
  await (await connectSsh({ ...hostOptions(ssh.host, ssh.dir, 'deploy', { knownHostsFiles: [f] }), sshConfigFile: cfg })).close();
  assert.equal(opensshAccepts(ssh.host, f, ['-o', 'HostKeyAlias=localhost']), true);
});

test('an expired certificate (signed by an RSA CA, rsa-sha2-512) is refused with the date it expired; OpenSSH refuses it too', async () => {
  const rsaCa = keyPair('ca-rsa', ['-t', 'rsa', '-b', '3072']);
  const host = startTestHost({ env: { TESTHOST_HOST_CA: rsaCa.priv, TESTHOST_HOST_CERT_ARGS: '-n 127.0.0.1 -V 20200101:20200102' } });
  try {
    const f = knownHosts('kh-expired', `@cert-authority [127.0.0.1]:${host.port} ${rsaCa.line}\n`);
    const err = await rejectsWith(connectSsh(hostOptions(host, ssh.dir, 'deploy', { knownHostsFiles: [f] })), 'HOST_KEY_UNKNOWN');
    // "expired", not "does not verify": the RSA CA's signature was checked first and holds
    assert.match(err.message, /its certificate expired \(valid until 2020-01-0[12]T/);
    assert.equal(opensshAccepts(host, f), false);
  } finally {
    host.stop();
  }
});
