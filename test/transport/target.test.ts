// Target parsing and `ssh -G` resolution (the real OpenSSH client reads the config; no sshd needed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseTarget, resolveHops } from '../../src/transport/index';
import { RunnerError } from '../../src/core/exec';
import { render } from '../../src/core/l10n';
import { tempDir } from './helpers';

test('parseTarget accepts the usual forms', () => {
  assert.deepEqual(parseTarget('deploy@aquademie.example.org'), { user: 'deploy', host: 'aquademie.example.org', port: undefined });
  assert.deepEqual(parseTarget('deploy@10.0.0.5:2222'), { user: 'deploy', host: '10.0.0.5', port: 2222 });
  assert.deepEqual(parseTarget('prod-alias'), { user: undefined, host: 'prod-alias', port: undefined });
  assert.deepEqual(parseTarget('[::1]:2200'), { user: undefined, host: '::1', port: 2200 });
  assert.deepEqual(parseTarget('ssh://ops@host:22'), { user: 'ops', host: 'host', port: 22 });
});

test('parseTarget refuses what could inject options or shell syntax (BAD_TARGET)', () => {
  for (const t of ['', '  ', '-oProxyCommand=touch /tmp/x', 'a;b', 'u@h:0', 'u@h:70000', 'u@h:22x', '$(id)@h', 'h`id`', 'u@-h']) {
    assert.throws(() => parseTarget(t), (e: unknown) => e instanceof RunnerError && e.code === 'BAD_TARGET', t);
  }
});

test('ssh -G resolves Host blocks, multi-hop ProxyJump, %-tokens and ~ in paths', () => {
  const dir = tempDir();
  const cfg = join(dir, 'ssh_config');
  writeFileSync(
    cfg,
    [
      'Host prod',
      '  HostName 192.0.2.10',
      '  User deploy',
      '  Port 2201',
      '  IdentityFile ~/.ssh/id_%r_%h',
      '  IdentitiesOnly yes',
      '  HostKeyAlias prod-key',
      '  ProxyJump ops@jump1:2022,jump2',
      'Host jump2',
      '  HostName 198.51.100.7',
      '  User bastion',
      '',
    ].join('\n'),
  );
  const hops = resolveHops({ target: 'prod', sshConfigFile: cfg });
  assert.deepEqual(
    hops.map((h) => [h.user, h.hostname, h.port]),
    [
      ['ops', 'jump1', 2022],
      ['bastion', '198.51.100.7', 22],
      ['deploy', '192.0.2.10', 2201],
    ],
  );
  const t = hops[2];
  assert.deepEqual(t.identityFiles, [join(homedir(), '.ssh', 'id_deploy_192.0.2.10')]);
  assert.equal(t.identitiesOnly, true);
  assert.equal(t.hostKeyAlias, 'prod-key');
  // command-line user and port win over the config, as with ssh
  const [o] = resolveHops({ target: 'root@jump2:2999', sshConfigFile: cfg });
  assert.deepEqual([o.user, o.hostname, o.port], ['root', '198.51.100.7', 2999]);
});

test('ProxyCommand hosts are refused with advice (this transport never runs local commands)', () => {
  const dir = tempDir();
  const cfg = join(dir, 'ssh_config');
  writeFileSync(cfg, 'Host viaproxy\n  ProxyCommand nc %h %p\n');
  assert.throws(() => resolveHops({ target: 'viaproxy', sshConfigFile: cfg }), (e: unknown) => e instanceof RunnerError && e.code === 'BAD_TARGET' && /ProxyJump/.test(e.adviceText ? render(e.adviceText, 'en') : ''));
});
