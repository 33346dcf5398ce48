/** Exit statuses and the one-line errors of the CLI: 2 for bad input (refused before anything runs), 3 when the host cannot be reached. */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { cli, ensureBuilt } from './helpers';

before(() => ensureBuilt());

/** A local port with nothing listening (bound then released). */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

const oneLine = (s: string) => s.trim().split('\n').filter(Boolean);

test('bad arguments exit 2 with one clear line, before connecting', async () => {
  const port = await closedPort();
  const host = ['--host', `deploy@127.0.0.1:${port}`];
  const cases: [string[], RegExp][] = [
    [['diagnose', ...host, '--at', '2025-02-30 22:20'], /impossible --at/],
    [['diagnose', ...host, '--at', '2025-01-15 22:20', '--tz', 'Mars/Olympus'], /unknown time zone/],
    [['diagnose', ...host, '--at', '2025-01-15 22:20', '--unit', 'aquademie;reboot'], /unit name .* not allowed/],
    [['diagnose', ...host, '--at', '2025-01-15 22:20', '--app-dir', '/var/www/$(id)'], /not allowed/],
    [['diagnose', ...host, '--at', '2025-01-15 22:20', '--format', 'xml'], /--format/],
    [['diagnose', '--at', '2025-01-15 22:20'], /exactly one of --host/],
    [['diagnose', ...host], /--at/],
    [['diagnose', ...host, '--at', '2025-01-15 22:20', '--bogus'], /unknown option/],
    [['collect', ...host, '--at', '2025-01-15 22:20'], /--out/],
  ];
  for (const [args, re] of cases) {
    const r = cli(args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    const lines = oneLine(r.stderr);
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0], re);
    assert.doesNotMatch(r.stderr, /connecting/);
    assert.equal(r.stdout, '');
  }
});

test('an unreachable host exits 3 with one line', async () => {
  const port = await closedPort();
  const r = cli(['diagnose', '--host', `deploy@127.0.0.1:${port}`, '--at', '2025-01-15 22:20', '--tz', 'Europe/Paris', '--format', 'json']);
  assert.equal(r.status, 3, r.stderr);
  assert.match(r.stderr, /refused|unreachable/i);
  assert.equal(oneLine(r.stderr).filter((l) => !l.startsWith('…')).length, 1, r.stderr);
  assert.equal(r.stdout, '');
});
