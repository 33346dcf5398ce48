/**
 * `npm start` (scripts/start.sh) in its check mode: builds and packages the extension, installs it into the local
 * code-server, starts the seed test host, writes the sample workspace wired to it, and the workbench answers; then
 * everything stops. Without the test host, the workspace reads the same incident as a collected bundle.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';

const REPO = resolve(__dirname, '..', '..');
const WS = '/tmp/incident-lens-workspace/aquademie';
const PORT = 2299;

function start(env: Record<string, string>): { status: number | null; out: string } {
  const r = spawnSync('bash', ['scripts/start.sh'], { cwd: REPO, encoding: 'utf8', timeout: 600_000, env: { ...process.env, INCIDENT_LENS_START_CHECK: '1', ...env } });
  return { status: r.status, out: `${r.stdout}\n${r.stderr}` };
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((done) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), done(true)));
    s.once('error', () => done(false));
  });
}

const settings = () => JSON.parse(readFileSync(join(WS, '.vscode', 'settings.json'), 'utf8')) as Record<string, unknown>;

// the seed test host runs sshd in private namespaces: without root only the bundle variant below can run
const NOT_ROOT = process.getuid?.() !== 0 ? 'needs root (the real test host runs sshd in private namespaces)' : false;

test('npm start: the packaged extension in code-server, on the sample app wired to the seed test host', { skip: NOT_ROOT }, async () => {
  const r = start({});
  assert.equal(r.status, 0, r.out);
  assert.match(r.out, /Incident Lens in VS Code \(code-server 4\.100\.3\): http:\/\/127\.0\.0\.1:\d+\/\?folder=/);
  assert.match(r.out, /check: the workbench answers and the extension is installed; the test host is up/);
  assert.ok(existsSync(join(WS, 'gestion', 'views.py')), 'the sample Django app is the workspace');
  const s = settings();
  assert.equal(s['incidentLens.host'], `deploy@127.0.0.1:${PORT}`);
  assert.ok(existsSync(String(s['incidentLens.identityFile'])) && existsSync(String(s['incidentLens.knownHostsFile'])));
  assert.equal(await portOpen(PORT), false, 'the test host is stopped when npm start ends');
});

test('npm start without the test host: the same incident as a collected bundle, read locally', async () => {
  const vsix = join(REPO, 'dist', 'incident-lens.vsix');
  const r = start({ INCIDENT_LENS_START_NO_HOST: '1', ...(existsSync(vsix) ? { INCIDENT_LENS_VSIX: vsix } : {}) });
  assert.equal(r.status, 0, r.out);
  assert.match(r.out, /reads the same incident as a collected bundle/);
  const s = settings();
  assert.equal(s['incidentLens.host'], '');
  assert.equal(s['incidentLens.bundleFolder'], join(REPO, 'test', 'fixtures', 'hosts', 'seed-incident'));
  assert.equal(s['incidentLens.timezone'], 'Europe/Paris');
  assert.match(readFileSync(join(WS, 'INCIDENT-LENS.md'), 'utf8'), /Diagnose Mail Incident/);
});
