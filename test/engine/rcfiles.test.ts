/**
 * Login shells that print: an `echo` at the top of the SSH user's ~/.bashrc (read by bash under sshd
 * even for `ssh host cmd`) or ~/.zshenv never mixes with a command's output — the seed still gives
 * http_timeout — and rc files that end the shell make every source say its output cannot be trusted
 * instead of looking empty. All on the real test host.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { startTestHost, type TestHost } from '../host/testHost';
import { connectSsh } from '../../src/transport/index';
import type { Diagnosis } from '../../src/core/index';
import { hostOptions, rejectsWith, tempDir } from '../transport/helpers';
import { adviceOf, checkDiagnosis, cli, ensureBuilt, expected, windowArgs } from './helpers';
import { cliHostArgs } from '../host/sshSetup';

const NOISE = `echo "Bienvenue sur aquademie-prod"; echo "rc: nvm loaded" >&2; printf 'no newline: '`;
const hosts: TestHost[] = [];
after(() => hosts.forEach((h) => h.stop()));

function seedOver(host: TestHost, extra: string[] = []): Diagnosis {
  ensureBuilt();
  const e = expected('seed-incident');
  const u = host.sudoUser;
  const r = cli(['diagnose', ...cliHostArgs(host, u), ...windowArgs(e), '--format', 'json', '--no-redact', ...extra]);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as Diagnosis;
}

const shells: [string, string][] = [['bash (~/.bashrc)', '/bin/bash']];
if (existsSync('/usr/bin/zsh')) shells.push(['zsh (~/.zshenv)', '/usr/bin/zsh']);

for (const [name, shell] of shells) {
  test(`${name} prints on stdout and stderr: commands keep exactly their output; the seed gives http_timeout`, async () => {
    const host = startTestHost({ fixtures: 'seed-incident', env: { TESTHOST_RC_SNIPPET: NOISE, TESTHOST_LOGIN_SHELL: shell } });
    hosts.push(host);
    // the profile really prints for a plain `ssh host cmd` (what OpenSSH's client shows)
    assert.match(host.ssh('echo cmd-output'), /Bienvenue sur aquademie-prod\nno newline: cmd-output/);
    const r = await connectSsh(hostOptions(host, tempDir(), 'deploy'));
    try {
      for (const sudo of [false, true]) {
        const x = await r.run(`printf 'a\\nb'; echo err >&2; exit 3`, { sudo });
        assert.deepEqual([x.stdout, x.stderr, x.code], ['a\nb', 'err\n', 3], `sudo=${sudo}`);
      }
    } finally {
      await r.close();
    }
    const d = seedOver(host);
    checkDiagnosis(d, expected('seed-incident'), name);
    for (const s of d.sources) {
      assert.notEqual(s.status, 'error', `${s.id}: ${adviceOf(s)}`);
      for (const ev of s.events) assert.doesNotMatch(ev.line, /Bienvenue|no newline|nvm loaded/, s.id);
      assert.doesNotMatch(s.excerpt, /Bienvenue|no newline|nvm loaded/, s.id);
    }
  });
}

test('rc files that end the shell: every source says its output cannot be trusted (not "empty")', async () => {
  const host = startTestHost({ fixtures: 'seed-incident', env: { TESTHOST_RC_SNIPPET: 'echo "maintenance mode"; exit 0' } });
  hosts.push(host);
  const r = await connectSsh(hostOptions(host, tempDir(), 'deploy'));
  try {
    const e = await rejectsWith(r.run('echo hi'), 'OUTPUT_UNTRUSTED');
    assert.match(e.advice ?? '', /\.bashrc/);
  } finally {
    await r.close();
  }
  // the zone cannot be read: the CLI says why and what to do
  const u = host.sudoUser;
  const noTz = cli(['diagnose', ...cliHostArgs(host, u), '--at', '2025-01-15 22:20']);
  assert.equal(noTz.status, 2);
  assert.match(noTz.stderr, /did not say its time zone \(.*cannot be trusted.*\): give --tz/);
  const d = seedOver(host, ['--tz', 'Europe/Paris']);
  const main = d.sources.filter((s) => s.id !== 'host_tz');
  assert.ok(main.length > 5);
  for (const s of main) {
    assert.equal(s.status, 'error', `${s.id} is ${s.status}`);
    assert.match(adviceOf(s) ?? '', /cannot be trusted/, s.id);
  }
  assert.equal(d.verdict, 'none');
});
