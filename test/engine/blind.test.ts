/**
 * Blind is not quiet: on the real test host, a window older than every log gives verdict `unknown` (exit 4, JSON
 * `blind`, each source "does not cover the window (logs start …)"), over SSH and replayed from the collected bundle;
 * the same host's quiet evening still gives `none`.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliHostArgs, useTestHost } from '../host/sshSetup';
import type { Diagnosis } from '../../src/core/index';
import { cli, ensureBuilt } from './helpers';
import { render, textsFromJson } from '../../src/core/l10n';

describe('a window the logs do not reach', () => {
  const ssh = useTestHost({ fixtures: 'quiet-window', timezone: 'Europe/Paris' });
  let bundle: string;
  before(() => {
    ensureBuilt();
    bundle = mkdtempSync(join(tmpdir(), 'il-blind-'));
  });
  after(() => {
    if (bundle) rmSync(bundle, { recursive: true, force: true });
  });
  const target = () => cliHostArgs(ssh.host);
  // the incident reported three weeks late: nginx's rotations start 2025-03-01
  const OLD = ['--at', '2025-02-09 21:00'];

  const checkBlind = (d: Diagnosis, how: string) => {
    assert.equal(d.verdict, 'unknown', `${how}: ${d.causes.map((c) => `${c.id}=${c.confidence}`).join(' ')}`);
    assert.ok(d.blind?.logsStart && Date.parse(d.blind.logsStart) > Date.parse(d.window.until), `${how}: logs start after the window`);
    assert.ok(d.blind?.sources.includes('nginx_access'), how);
    const access = d.sources.find((s) => s.id === 'nginx_access')!;
    assert.ok(['empty', 'missing'].includes(access.status), `${how}: ${access.status} (a bundle has no file for a log without a line in the window)`);
    assert.equal(access.covers, 'no', how);
    assert.ok(access.holds?.from, how);
    assert.doesNotMatch(render(d.impact.summary, 'en'), /No failed send request/, `${how}: a blind engine does not say nothing failed`);
  };

  test('diagnose --host: verdict unknown, exit status 4, every silent source says how far back it reaches', () => {
    const r = cli(['diagnose', ...target(), ...OLD, '--format', 'json']);
    assert.equal(r.status, 4, r.stderr);
    checkBlind(textsFromJson(JSON.parse(r.stdout)), 'ssh');
    const md = cli(['diagnose', ...target(), ...OLD, '--format', 'markdown']);
    assert.equal(md.status, 4);
    assert.match(md.stdout, /\*\*Verdict\*\*: unknown — the logs do not reach back to the window \(logs start 2025-0[23]-/);
    assert.match(md.stdout, /> does not cover the window \(logs start /);
  });

  test('the same host on its quiet evening: none, exit 0 (the logs cover it)', () => {
    const r = cli(['diagnose', ...target(), '--at', '2025-03-02 21:00', '--format', 'json']);
    assert.equal(r.status, 0, r.stderr);
    const d: Diagnosis = JSON.parse(r.stdout);
    assert.equal(d.verdict, 'none');
    assert.equal(d.sources.find((s) => s.id === 'nginx_access')?.covers, 'yes');
  });

  test('collect then diagnose --root: the bundle carries the host spans, same unknown verdict', () => {
    const c = cli(['collect', ...target(), ...OLD, '--out', bundle]);
    assert.equal(c.status, 0, c.stderr);
    const r = cli(['diagnose', '--root', bundle, ...OLD, '--format', 'json']);
    assert.equal(r.status, 4, r.stderr);
    checkBlind(textsFromJson(JSON.parse(r.stdout)), 'root');
  });
});
