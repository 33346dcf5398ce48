/**
 * A value read from the host never aborts the run: a unit file whose WorkingDirectory is far too long
 * or holds shell metacharacters is left out with a note on the unit-file probe, the defaults apply,
 * and the seed still gives its verdict (exit 0; exit 2 stays for the user's own arguments).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestHost, FIXTURES_ROOT, type TestHost } from '../host/testHost';
import type { Diagnosis } from '../../src/core/index';
import { tempDir } from '../transport/helpers';
import { adviceOf, cli, ensureBuilt, expected, windowArgs } from './helpers';
import { cliHostArgs } from '../host/sshSetup';

const hosts: TestHost[] = [];
after(() => hosts.forEach((h) => h.stop()));

const bad: [string, string][] = [
  ['over 512 characters', '/srv/' + 'a'.repeat(600)],
  ['shell metacharacters', '/srv/app$(id)'],
];

for (const [what, value] of bad) {
  test(`WorkingDirectory with ${what}: a note on the unit file probe, the default app folder, verdict unchanged`, () => {
    ensureBuilt();
    const fix = join(tempDir('il-hostvalues-'), 'fixture');
    cpSync(join(FIXTURES_ROOT, 'seed-incident'), fix, { recursive: true });
    const unit = join(fix, 'etc/systemd/system/aquademie.service');
    writeFileSync(unit, readFileSync(unit, 'utf8').replace(/^WorkingDirectory=.*$/m, `WorkingDirectory=${value}`));
    const host = startTestHost({ fixtures: fix });
    hosts.push(host);
    const e = expected('seed-incident');
    const u = host.sudoUser;
    const r = cli(['diagnose', ...cliHostArgs(host, u), ...windowArgs(e), '--format', 'json']);
    assert.equal(r.status, 0, r.stderr);
    const d = JSON.parse(r.stdout) as Diagnosis;
    assert.equal(d.verdict, e.verdict);
    const probe = d.sources.find((s) => s.id === 'unit_file')!;
    assert.match(adviceOf(probe) ?? '', /WorkingDirectory not used: .*the default applies/);
    assert.ok((adviceOf(probe) ?? '').length < 400, 'the note shows a bounded part of the value');
  });
}
