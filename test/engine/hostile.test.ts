/**
 * Hostile log content is inert: a 100 MB single line and many matching lines keep the CLI's peak memory
 * ≤ 150 MB (the line is cut at 32 KiB with "… [N bytes cut]"), terminal escape sequences, NUL, C1
 * controls, invalid UTF-8 and CRLF reach neither the terminal (text) nor the Markdown report raw, and
 * the JSON keeps them escaped. The bundle is generated under /tmp at test time.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { tempDir } from '../transport/helpers';
import { CLI, ensureBuilt } from './helpers';
import { hostileBundle } from './hostile';
import { LocalRunner } from '../../src/transport/local';

let bundle: string;
before(() => {
  ensureBuilt();
  bundle = hostileBundle(join(tempDir('il-hostile-'), 'bundle'), { mailLines: 100_000, hugeLineBytes: 100 * 1024 * 1024 });
});

/** Runs the CLI through python3, which reports the child's peak RSS (KiB) on stderr's last line. */
function measured(format: string): { stdout: string; stderr: string; status: number | null; peakMb: number } {
  const py = 'import resource,subprocess,sys\nr=subprocess.run(sys.argv[1:],capture_output=True)\nsys.stdout.buffer.write(r.stdout)\nsys.stderr.buffer.write(r.stderr)\nsys.stderr.write("\\nPEAK_KB %d %d\\n" % (resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode))';
  const r = spawnSync('python3', ['-c', py, process.execPath, CLI, 'diagnose', '--root', bundle, '--at', '2025-01-15 22:20', '--format', format], { encoding: 'latin1', maxBuffer: 512 * 1024 * 1024, timeout: 300_000 });
  const m = /PEAK_KB (\d+) (-?\d+)/.exec(r.stderr);
  assert.ok(m, r.stderr.slice(-2000));
  return { stdout: r.stdout, stderr: r.stderr, status: Number(m[2]), peakMb: Number(m[1]) / 1024 };
}

test('one 100 MB line: kept up to 32 KiB with "… [N bytes cut]", the lines after it still read', async () => {
  const r = await new LocalRunner().run(`head -c 104857600 /dev/zero | tr '\\0' x; printf '\\nnext line\\n'`, { maxBytes: 8 * 1024 * 1024 });
  assert.equal(r.truncated, false);
  assert.equal(r.stdout, `${'x'.repeat(32 * 1024)} … [${104857600 - 32 * 1024} bytes cut]\nnext line\n`);
});

// the peak is the CLI's or any of its children's (perl on the host side cuts the 100 MB line at 32 KiB)
test('a 100 MB line plus 100,000 matching lines: peak RSS ≤ 150 MB, a bounded report that says what it left out', () => {
  const r = measured('json');
  assert.equal(r.status, 0, r.stderr.slice(-2000));
  process.stdout.write(`# hostile bundle: peak RSS ${r.peakMb.toFixed(1)} MB, JSON ${(r.stdout.length / 1024 / 1024).toFixed(1)} MB\n`);
  assert.ok(r.peakMb <= 150, `peak RSS ${r.peakMb.toFixed(1)} MB`);
  assert.ok(r.stdout.length < 8 * 1024 * 1024, 'the report is bounded');
  const d = JSON.parse(Buffer.from(r.stdout, 'latin1').toString('utf8'));
  const mail = d.sources.find((s: { id: string }) => s.id === 'mail_log');
  assert.equal(mail.truncated, true);
  assert.match(mail.advice, /left out|cut at/);
});

test('control characters: shown visibly in text and Markdown, escaped in JSON', () => {
  for (const format of ['text', 'markdown']) {
    const r = measured(format);
    assert.equal(r.status, 0);
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(r.stdout, /[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]/, `${format}: a raw control character reached stdout`);
    const out = Buffer.from(r.stdout, 'latin1').toString('utf8');
    if (format === 'markdown') assert.match(out, /␛\]0;pwned␇␛\[2J/, 'the excerpt shows the escape sequence visibly');
  }
  const j = measured('json');
  // eslint-disable-next-line no-control-regex
  assert.doesNotMatch(j.stdout, /[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]/);
  const text = Buffer.from(j.stdout, 'latin1').toString('utf8');
  assert.match(text, /\\u001b\]0;pwned\\u0007\\u001b\[2J/);
  const d = JSON.parse(text);
  const all = d.sources.flatMap((s: { events: { line: string }[] }) => s.events.map((e) => e.line)).join('\n');
  assert.ok(all.includes('\x1b]0;pwned\x07'), 'JSON keeps the raw value (escaped)');
  assert.match(all, /bad utf8 \uFFFD\uFFFD end/, 'invalid UTF-8 becomes U+FFFD');
  assert.doesNotMatch(all, /\r/, 'CRLF line ends are plain line ends');
});
