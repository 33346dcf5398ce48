// Aliases resolved by `ssh -G -F FILE` and ProxyJump through a second real sshd instance: every
// hop's host key is checked against known_hosts, the target is reached through the bastion.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectSsh, parseTarget } from '../../src/transport/index';
import { resolveHops } from '../../src/transport/index';
import type { TestHost } from '../host/testHost';
import { useTestHost } from '../host/sshSetup';
import { logOffset, logSince, pollUntil, rejectsWith } from './helpers';

let target: TestHost;
let bastion: TestHost;
let dir: string;
let config: string;
let knownHosts: string;

// two real hosts through the shared setup: the target, then the bastion, whose `ready` writes the ssh config
const targetSetup = useTestHost();
useTestHost({ hostname: 'bastion' }, { ready: (s) => writeConfig(targetSetup.host, s.host, s.dir) });

function writeConfig(t: TestHost, b: TestHost, d: string): void {
  target = t;
  bastion = b;
  dir = d;
  knownHosts = join(dir, 'known_hosts');
  writeFileSync(knownHosts, readFileSync(bastion.knownHosts, 'utf8') + readFileSync(target.knownHosts, 'utf8'));
  config = join(dir, 'ssh_config');
  writeFileSync(
    config,
    [
      'Host jump-*',
      '  HostName 127.0.0.1',
      `  UserKnownHostsFile ${knownHosts}`,
      '  IdentitiesOnly yes',
      'Host jump-bastion',
      `  Port ${bastion.port}`,
      '  User deploy',
      `  IdentityFile ${bastion.sudoUser.privateKey}`,
      'Host jump-target',
      `  Port ${target.port}`,
      '  User auditor',
      `  IdentityFile ${target.passwordSudoUser.privateKey}`,
      '  ProxyJump jump-bastion',
      'Host direct-target',
      '  HostName 127.0.0.1',
      `  Port ${target.port}`,
      '  User deploy',
      `  IdentityFile ${target.sudoUser.privateKey}`,
      `  UserKnownHostsFile ${knownHosts}`,
      '',
    ].join('\n'),
  );
}

test('an alias is resolved by ssh -G: HostName, Port, User, IdentityFile, UserKnownHostsFile', async () => {
  const hops = resolveHops({ target: 'direct-target', sshConfigFile: config });
  assert.equal(hops.length, 1);
  assert.deepEqual([hops[0].hostname, hops[0].port, hops[0].user], ['127.0.0.1', target.port, 'deploy']);
  assert.deepEqual(hops[0].identityFiles, [target.sudoUser.privateKey]);
  assert.deepEqual(hops[0].userKnownHostsFiles, [knownHosts]);
  const r = await connectSsh({ target: 'direct-target', sshConfigFile: config, useAgent: false });
  try {
    assert.equal((await r.run('id -un; hostname')).stdout, `deploy\n${target.hostname}\n`);
  } finally {
    await r.close();
  }
});

test('user@alias overrides the configured user, as ssh does', () => {
  const [hop] = resolveHops({ target: 'auditor@direct-target', sshConfigFile: config });
  assert.equal(hop.user, 'auditor');
  assert.deepEqual(parseTarget('auditor@direct-target'), { user: 'auditor', host: 'direct-target', port: undefined });
});

test('ProxyJump through a second sshd: both host keys verified, target reached via the bastion', async () => {
  const hops = resolveHops({ target: 'jump-target', sshConfigFile: config });
  assert.deepEqual(
    hops.map((h) => [h.user, h.port]),
    [
      ['deploy', bastion.port],
      ['auditor', target.port],
    ],
  );
  const bOffset = logOffset(bastion);
  const tOffset = logOffset(target);
  const logs: string[] = [];
  const r = await connectSsh({ target: 'jump-target', sshConfigFile: config, useAgent: false, log: (l) => logs.push(l) });
  try {
    assert.equal((await r.run('id -un; hostname')).stdout, `auditor\n${target.hostname}\n`);
  } finally {
    await r.close();
  }
  assert.match(logSince(bastion, bOffset), /Accepted publickey for deploy /);
  assert.match(logSince(target, tOffset), /Accepted publickey for auditor /);
  assert.ok(logs.some((l) => l.includes(bastion.hostKeyFingerprint)), 'bastion host key checked');
  assert.ok(logs.some((l) => l.includes(target.hostKeyFingerprint)), 'target host key checked');
  assert.ok(logs.some((l) => /through jump host/.test(l)));
});

test('ProxyJump with an unknown bastion key is refused (HOST_KEY_UNKNOWN names the bastion)', async () => {
  const onlyTarget = join(dir, 'known_hosts_target_only');
  writeFileSync(onlyTarget, readFileSync(target.knownHosts, 'utf8'));
  const cfg = join(dir, 'ssh_config_unknown_bastion');
  writeFileSync(cfg, readFileSync(config, 'utf8').replace(`UserKnownHostsFile ${knownHosts}`, `UserKnownHostsFile ${onlyTarget}`));
  const err = await rejectsWith(connectSsh({ target: 'jump-target', sshConfigFile: cfg, useAgent: false }), 'HOST_KEY_UNKNOWN');
  assert.ok(err.message.includes(`[127.0.0.1]:${bastion.port}`), err.message);
});

test('ProxyJump with a mismatched target key behind a good bastion → HOST_KEY_MISMATCH', async () => {
  const swapped = join(dir, 'known_hosts_swapped');
  // the target's entry carries the bastion's key
  const bastionKey = readFileSync(bastion.knownHosts, 'utf8').trim().split(' ').slice(1).join(' ');
  writeFileSync(swapped, readFileSync(bastion.knownHosts, 'utf8') + `[127.0.0.1]:${target.port} ${bastionKey}\n`);
  const cfg = join(dir, 'ssh_config_swapped');
  writeFileSync(cfg, readFileSync(config, 'utf8').replace(`UserKnownHostsFile ${knownHosts}`, `UserKnownHostsFile ${swapped}`));
  const err = await rejectsWith(connectSsh({ target: 'jump-target', sshConfigFile: cfg, useAgent: false }), 'HOST_KEY_MISMATCH');
  assert.ok(err.message.includes(target.hostKeyFingerprint) && err.message.includes(bastion.hostKeyFingerprint), err.message);
});

test('the target session really runs through the bastion: stopping the bastion drops it (last test)', async () => {
  const r = await connectSsh({ target: 'jump-target', sshConfigFile: config, useAgent: false, connectTimeoutMs: 3000 });
  try {
    assert.equal((await r.run('echo up')).stdout, 'up\n');
    const inflight = r.run('sleep 60.5; echo never');
    await pollUntil('command running on the target', () => target.ssh('ps -eo args=').includes('sleep 60.5'));
    bastion.stop(); // the direct target sshd keeps running
    await rejectsWith(inflight, 'CONNECTION_LOST');
    // reconnecting needs the bastion: the typed error says it is unreachable
    await rejectsWith(r.run('echo again'), 'UNREACHABLE');
    assert.equal(target.ssh('echo target-still-up').trim(), 'target-still-up');
  } finally {
    await r.close();
  }
});
