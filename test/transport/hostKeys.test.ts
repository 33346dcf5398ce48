// Host key verification against the real sshd test host: accepted, mismatch (no authentication
// attempted, per the sshd log), unknown-host prompt, hashed entries, [host]:port, wildcards and
// negation, @revoked, @cert-authority, and restriction to the known key type.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectSsh } from '../../src/transport/index';
import { hostOptions, logOffset, logSince, pollUntil, rejectsWith, useTestHost } from './helpers';

let edLine: string; // "ssh-ed25519 AAAA..." of the host
let rsaLine: string;

const ssh = useTestHost({}, {
  ready: ({ host }) => {
    edLine = readFileSync(join(host.dir, 'state', 'ssh_host_ed25519_key.pub'), 'utf8').split(' ').slice(0, 2).join(' ');
    rsaLine = readFileSync(join(host.dir, 'state', 'ssh_host_rsa_key.pub'), 'utf8').split(' ').slice(0, 2).join(' ');
  },
});

function knownHosts(name: string, content: string): string {
  const f = join(ssh.dir, name);
  writeFileSync(f, content);
  return f;
}

const ecdsaLine = () => {
  const k = join(ssh.dir, `ecdsa-${Date.now()}`);
  execFileSync('ssh-keygen', ['-q', '-t', 'ecdsa', '-N', '', '-f', k]);
  return readFileSync(`${k}.pub`, 'utf8').split(' ').slice(0, 2).join(' ');
};

const otherKey = () => {
  const k = join(ssh.dir, `other-${Date.now()}`);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', k]);
  return readFileSync(`${k}.pub`, 'utf8').split(' ').slice(0, 2).join(' ');
};

test('known host ([127.0.0.1]:port form) is accepted and the command runs', async () => {
  const logs: string[] = [];
  const r = await connectSsh(hostOptions(ssh.host, ssh.dir, 'deploy', { log: (l) => logs.push(l) }));
  try {
    assert.equal((await r.run('hostname')).stdout.trim(), ssh.host.hostname);
    assert.ok(logs.some((l) => l.includes(ssh.host.hostKeyFingerprint) && l.includes(`${ssh.host.knownHosts}:1`)), logs.join('\n'));
  } finally {
    await r.close();
  }
});

test('mismatched host key is refused before any authentication, with both fingerprints and file:line', async () => {
  const wrong = otherKey();
  const expectedFp = execFileSync('ssh-keygen', ['-lf', '-'], { input: `x ${wrong}\n`, encoding: 'utf8' }).split(' ')[1];
  const f = knownHosts('kh-mismatch', `# comment line\n[127.0.0.1]:${ssh.host.port} ${wrong}\n`);
  const offset = logOffset(ssh.host);
  const err = await rejectsWith(connectSsh(hostOptions(ssh.host, ssh.dir, 'deploy', { knownHostsFiles: [f] })), 'HOST_KEY_MISMATCH');
  assert.match(err.message, new RegExp(expectedFp.replace(/[+/]/g, '\\$&')));
  assert.ok(err.message.includes(ssh.host.hostKeyFingerprint), err.message);
  assert.ok(err.message.includes(`${f}:2`), err.message);
  assert.ok(err.advice);
  // sshd logs the closed pre-auth connection; nothing about an authentication attempt
  const added = await pollUntil('sshd to log the closed connection', () => {
    const s = logSince(ssh.host, offset);
    return /Connection (closed|reset) by|Disconnected from|preauth/.test(s) && s;
  });
  assert.doesNotMatch(added, /Accepted|Failed|authenticating user|Invalid user/);
});

test('unknown host: declined leaves the file unchanged; accepted appends one line and the next connect is silent', async () => {
  const f = knownHosts('kh-unknown', '');
  const asked: { fingerprint: string; keyType: string; knownHostsFile: string }[] = [];
  const declined = hostOptions(ssh.host, ssh.dir, 'deploy', {
    knownHostsFiles: [f],
    prompts: { confirmHostKey: async (info) => (asked.push(info), false) },
  });
  await rejectsWith(connectSsh(declined), 'HOST_KEY_UNKNOWN');
  assert.equal(readFileSync(f, 'utf8'), '');
  assert.equal(asked.length, 1);
  assert.equal(asked[0].fingerprint, ssh.host.hostKeyFingerprint);
  assert.equal(asked[0].knownHostsFile, f);

  // no prompts at all: refused without asking
  await rejectsWith(connectSsh(hostOptions(ssh.host, ssh.dir, 'deploy', { knownHostsFiles: [f] })), 'HOST_KEY_UNKNOWN');

  const accepted = { ...declined, prompts: { confirmHostKey: async () => true } };
  const r1 = await connectSsh(accepted);
  await r1.close();
  const lines = readFileSync(f, 'utf8').trim().split('\n');
  assert.equal(lines.length, 1);
  assert.equal(lines[0].split(' ')[0], `[127.0.0.1]:${ssh.host.port}`);
  // what we appended is what ssh-keygen reports for the real host key
  assert.equal(execFileSync('ssh-keygen', ['-lf', f], { encoding: 'utf8' }).split(' ')[1], ssh.host.hostKeyFingerprint);

  let promptedAgain = false;
  const r2 = await connectSsh({ ...declined, prompts: { confirmHostKey: async () => (promptedAgain = true) } });
  await r2.close();
  assert.equal(promptedAgain, false);
});

test('hashed known_hosts entries (ssh-keygen -H) match', async () => {
  const f = knownHosts('kh-hashed', `[127.0.0.1]:${ssh.host.port} ${edLine}\n`);
  execFileSync('ssh-keygen', ['-q', '-H', '-f', f], { stdio: 'pipe' });
  const text = readFileSync(f, 'utf8');
  assert.match(text, /^\|1\|/);
  assert.ok(!text.includes('127.0.0.1'));
  const r = await connectSsh(hostOptions(ssh.host, ssh.dir, 'deploy', { knownHostsFiles: [f] }));
  await r.close();
  // a hashed entry for another port does not vouch for this one
  const g = knownHosts('kh-hashed-other', `[127.0.0.1]:${ssh.host.port + 1000} ${edLine}\n`);
  execFileSync('ssh-keygen', ['-q', '-H', '-f', g], { stdio: 'pipe' });
  await rejectsWith(connectSsh(hostOptions(ssh.host, ssh.dir, 'deploy', { knownHostsFiles: [g] })), 'HOST_KEY_UNKNOWN');
});

test('wildcards, comma lists and negation follow OpenSSH', async () => {
  const ok = knownHosts('kh-wild', `other.example,[127.0.0.?]:${ssh.host.port} ${edLine}\n`);
  await (await connectSsh(hostOptions(ssh.host, ssh.dir, 'deploy', { knownHostsFiles: [ok] }))).close();
  const star = knownHosts('kh-star', `[127.*]:*  ${edLine}\n`);
  await (await connectSsh(hostOptions(ssh.host, ssh.dir, 'deploy', { knownHostsFiles: [star] }))).close();
  const negated = knownHosts('kh-neg', `[127.0.0.*]:${ssh.host.port},![127.0.0.1]:${ssh.host.port} ${edLine}\n`);
  await rejectsWith(connectSsh(hostOptions(ssh.host, ssh.dir, 'deploy', { knownHostsFiles: [negated] })), 'HOST_KEY_UNKNOWN');
  // plain "127.0.0.1" names port 22; for another port OpenSSH still accepts it when the key is the
  // same ("found matching key w/out port") but never treats a different key there as a mismatch
  const port22 = knownHosts('kh-22', `127.0.0.1 ${edLine}\n`);
  await (await connectSsh(hostOptions(ssh.host, ssh.dir, 'deploy', { knownHostsFiles: [port22] }))).close();
  const port22other = knownHosts('kh-22-other', `127.0.0.1 ${otherKey()}\n`);
  await rejectsWith(connectSsh(hostOptions(ssh.host, ssh.dir, 'deploy', { knownHostsFiles: [port22other] })), 'HOST_KEY_UNKNOWN');
});

test('@revoked key is refused even when also listed as known', async () => {
  const f = knownHosts('kh-revoked', `[127.0.0.1]:${ssh.host.port} ${edLine}\n@revoked * ${edLine}\n`);
  const err = await rejectsWith(connectSsh(hostOptions(ssh.host, ssh.dir, 'deploy', { knownHostsFiles: [f] })), 'HOST_KEY_REVOKED');
  assert.ok(err.message.includes(`${f}:2`), err.message);
});

test('@revoked key of one type beside a valid key of another: connects with the valid one, as OpenSSH does', async () => {
  const f = knownHosts('kh-revoked-one', `[127.0.0.1]:${ssh.host.port} ${edLine}\n[127.0.0.1]:${ssh.host.port} ${rsaLine}\n@revoked * ${edLine}\n`);
  const logs: string[] = [];
  const r = await connectSsh(hostOptions(ssh.host, ssh.dir, 'deploy', { knownHostsFiles: [f], log: (l) => logs.push(l) }));
  try {
    assert.equal((await r.run('hostname')).stdout.trim(), ssh.host.hostname);
    assert.ok(logs.some((l) => /host key ssh-rsa .* matches .*:2$/.test(l)), logs.join('\n'));
  } finally {
    await r.close();
  }
  // the same, OpenSSH's own client: it connects too (the behaviour we follow)
  const out = execFileSync('ssh', ['-F', '/dev/null', '-i', ssh.host.sudoUser.privateKey, '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=yes',
    '-o', `UserKnownHostsFile=${f}`, '-o', 'GlobalKnownHostsFile=/dev/null', '-p', String(ssh.host.port), `${ssh.host.sudoUser.username}@127.0.0.1`, 'hostname'], { encoding: 'utf8' });
  assert.equal(out.trim(), ssh.host.hostname);
});

test('a host whose key TYPE changed (known_hosts holds only an ECDSA key) is a changed host key, before any authentication', async () => {
  const f = knownHosts('kh-type-changed', `[127.0.0.1]:${ssh.host.port} ${ecdsaLine()}\n`);
  const offset = logOffset(ssh.host);
  let asked = false;
  const err = await rejectsWith(
    connectSsh(hostOptions(ssh.host, ssh.dir, 'deploy', { knownHostsFiles: [f], prompts: { confirmHostKey: async () => (asked = true) } })),
    'HOST_KEY_MISMATCH',
  );
  assert.equal(asked, false, 'a changed key is never offered for trust');
  assert.match(err.message, /HOST KEY CHANGED .*ecdsa-sha2-nistp256 .*another type, ssh-ed25519/);
  assert.ok(err.message.includes(ssh.host.hostKeyFingerprint) && err.message.includes(`${f}:1`), err.message);
  assert.match(err.advice ?? '', /TYPE changed.*ssh-keygen -R/);
  assert.doesNotMatch(err.message, /Handshake failed/);
  const added = await pollUntil('sshd to log the closed connection', () => {
    const s = logSince(ssh.host, offset);
    return /Connection (closed|reset) by|Disconnected from|preauth/.test(s) && s;
  });
  assert.doesNotMatch(added, /Accepted|Failed|authenticating user|Invalid user/);
});

test('@cert-authority line does not vouch for a plain host key, and the error says so', async () => {
  const f = knownHosts('kh-ca', `@cert-authority [127.0.0.1]:${ssh.host.port} ${edLine}\n`);
  const err = await rejectsWith(connectSsh(hostOptions(ssh.host, ssh.dir, 'deploy', { knownHostsFiles: [f] })), 'HOST_KEY_UNKNOWN');
  assert.match(err.message, /cert-authority/);
});

test('only the RSA key known: the server is asked for RSA, as OpenSSH does', async () => {
  const f = knownHosts('kh-rsa', `[127.0.0.1]:${ssh.host.port} ${rsaLine}\n`);
  const logs: string[] = [];
  const r = await connectSsh(hostOptions(ssh.host, ssh.dir, 'deploy', { knownHostsFiles: [f], log: (l) => logs.push(l) }));
  await r.close();
  assert.ok(logs.some((l) => /host key ssh-rsa .* matches/.test(l)), logs.join('\n'));
});

test('several known_hosts files: a later file vouches for the host', async () => {
  const empty = knownHosts('kh-first', '# nothing\n');
  const r = await connectSsh(hostOptions(ssh.host, ssh.dir, 'deploy', { knownHostsFiles: [empty, ssh.host.knownHosts] }));
  await r.close();
});

test('HashKnownHosts yes (from ssh -G): the accepted key is appended hashed, and OpenSSH finds it', async () => {
  const f = knownHosts('kh-hash-append', '');
  const cfg = join(ssh.dir, 'ssh_config_hash');
  writeFileSync(cfg, 'Host *\n  HashKnownHosts yes\n');
  const o = { ...hostOptions(ssh.host, ssh.dir, 'deploy', { knownHostsFiles: [f], prompts: { confirmHostKey: async () => true } }), sshConfigFile: cfg };
  await (await connectSsh(o)).close();
  const text = readFileSync(f, 'utf8');
  assert.match(text, /^\|1\|[^ ]+ ssh-ed25519 /);
  assert.ok(!text.includes('127.0.0.1'));
  const found = execFileSync('ssh-keygen', ['-F', `[127.0.0.1]:${ssh.host.port}`, '-f', f], { encoding: 'utf8' });
  assert.match(found, /ssh-ed25519/);
  // and the hashed line vouches for the next connection without a prompt
  await (await connectSsh({ ...o, prompts: undefined })).close();
});

function hashedLine(content: string): string {
  const f = knownHosts(`kh-tohash-${Math.random().toString(36).slice(2)}`, content);
  execFileSync('ssh-keygen', ['-q', '-H', '-f', f], { stdio: 'pipe' });
  return readFileSync(f, 'utf8');
}

/** Does the real OpenSSH client accept this known_hosts file for the host (strict, batch mode)? */
function opensshAccepts(file: string, extra: string[] = [], target = `deploy@127.0.0.1`): boolean {
  try {
    execFileSync(
      'ssh',
      ['-F', '/dev/null', '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=yes', '-o', `UserKnownHostsFile=${file}`, '-o', 'GlobalKnownHostsFile=/dev/null',
        '-o', 'IdentitiesOnly=yes', '-i', ssh.host.sudoUser.privateKey, '-p', String(ssh.host.port), ...extra, target, 'true'],
      { stdio: 'pipe', timeout: 10000 },
    );
    return true;
  } catch {
    return false;
  }
}

test('our verdict equals OpenSSH’s own on the same known_hosts files (incl. HostKeyAlias)', async () => {
  const cases: [string, string, string[]][] = [
    ['plain', `[127.0.0.1]:${ssh.host.port} ${edLine}\n`, []],
    ['wildcard', `[127.0.0.?]:${ssh.host.port} ${edLine}\n`, []],
    ['negated', `[127.0.0.*]:${ssh.host.port},![127.0.0.1]:${ssh.host.port} ${edLine}\n`, []],
    ['entry without port', `127.0.0.1 ${edLine}\n`, []],
    ['entry without port, other key', `127.0.0.1 ${otherKey()}\n`, []],
    ['entry without port, alias set', `127.0.0.1 ${edLine}\n`, ['-o', 'HostKeyAlias=aquademie-key']],
    ['other host', `[127.0.0.2]:${ssh.host.port} ${edLine}\n`, []],
    ['mismatch', `[127.0.0.1]:${ssh.host.port} ${otherKey()}\n`, []],
    ['revoked', `[127.0.0.1]:${ssh.host.port} ${edLine}\n@revoked * ${edLine}\n`, []],
    ['hashed', hashedLine(`[127.0.0.1]:${ssh.host.port} ${edLine}\n`), []],
    ['rsa only', `[127.0.0.1]:${ssh.host.port} ${rsaLine}\n`, []],
    ['ed25519 revoked, rsa valid', `[127.0.0.1]:${ssh.host.port} ${edLine}\n[127.0.0.1]:${ssh.host.port} ${rsaLine}\n@revoked * ${edLine}\n`, []],
    ['only a revoked line', `@revoked * ${edLine}\n`, []],
    ['key type changed', `[127.0.0.1]:${ssh.host.port} ${ecdsaLine()}\n`, []],
    ['alias', `aquademie-key ${edLine}\n`, ['-o', 'HostKeyAlias=aquademie-key']],
    ['alias, entry by address only', `[127.0.0.1]:${ssh.host.port} ${edLine}\n`, ['-o', 'HostKeyAlias=aquademie-key']],
  ];
  for (const [label, content, extra] of cases) {
    const f = knownHosts(`kh-cmp-${label.replace(/\W+/g, '-')}`, content);
    const theirs = opensshAccepts(f, extra);
    const cfg = join(ssh.dir, `cfg-cmp-${label.replace(/\W+/g, '-')}`);
    writeFileSync(cfg, extra.length ? `Host *\n  HostKeyAlias ${extra[1].split('=')[1]}\n` : '');
    let ours = true;
    try {
      await (await connectSsh({ ...hostOptions(ssh.host, ssh.dir, 'deploy', { knownHostsFiles: [f] }), sshConfigFile: cfg })).close();
    } catch {
      ours = false;
    }
    assert.equal(ours, theirs, `${label}: ours=${ours} openssh=${theirs}`);
  }
});
