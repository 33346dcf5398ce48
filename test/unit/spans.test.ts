/** log_spans' text logs: the span reader (one perl) and the find | grep / zgrep commands it replaces, run by bash on files. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { textSpans } from '../../src/core/catalogue/spans';
import { parseSpans } from '../../src/core/coverage';
import { assertReadOnly } from './readonly-check';

let root: string;
let bin: string;
const LOGS: [string, string][] = [
  ['nginx_access', '/var/log/nginx/access.log'],
  ['nginx_error', '/var/log/nginx/error.log'],
  ['gunicorn_log', '/var/log/aquademie/gunicorn.log'],
  ['mail_log', '/var/log/mail.log'],
  ['syslog', '/var/log/syslog'],
];
const acc = (d: string) => `192.0.2.7 - - [${d} +0100] "GET / HTTP/1.1" 200 12 "-" "curl/8.0"`;

before(() => {
  root = mkdtempSync(join(tmpdir(), 'il-spans-'));
  mkdirSync(join(root, 'var/log/nginx/access.log.d'), { recursive: true }); // a folder named like a rotation: not a file
  writeFileSync(join(root, 'var/log/nginx/access.log'), [acc('15/Jan/2025:00:00:01'), acc('15/Jan/2025:00:00:02'), acc('15/Jan/2025:00:00:03'), acc('15/Jan/2025:23:59:59')].join('\n') + '\n');
  writeFileSync(join(root, 'var/log/nginx/access.log.1'), acc('14/Jan/2025:00:00:01') + '\n');
  writeFileSync(join(root, 'var/log/nginx/access.log.2.gz'), gzipSync([acc('13/Jan/2025:00:00:05'), acc('13/Jan/2025:00:00:06')].join('\n') + '\n'));
  writeFileSync(join(root, 'var/log/nginx/access.logger'), acc('01/Jan/2020:00:00:00') + '\n'); // not a rotation of access.log
  symlinkSync(join(root, 'var/log/nginx/access.logger'), join(root, 'var/log/nginx/access.log.9')); // a link: find -type f skips it
  // a first line of 100 KB (cut on the host to 4 KiB: its stamp is all that matters), then an ordinary one
  writeFileSync(join(root, 'var/log/nginx/error.log'), `2025/01/12 08:00:00 [error] 12#12: ${'x'.repeat(100_000)}\n2025/01/12 08:00:01 [warn] 12#12: ok\n`);
  writeFileSync(join(root, 'var/log/mail.log'), '');
  writeFileSync(join(root, 'var/log/syslog'), 'Jan 11 06:25:01 host CRON[1]: (root) CMD (true)'); // no trailing newline
  // a PATH without find, grep and zgrep: with perl, the span reader needs only perl (and gzip for a .gz)
  bin = mkdtempSync(join(tmpdir(), 'il-spans-bin-'));
  for (const p of ['perl', 'gzip']) symlinkSync(execFileSync('/bin/bash', ['-c', `command -v ${p}`], { encoding: 'utf8' }).trim(), join(bin, p));
});
after(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(bin, { recursive: true, force: true });
});

const sh = (cmd: string, PATH = process.env.PATH!) => execFileSync('/bin/bash', ['-c', cmd], { env: { PATH }, encoding: 'utf8' });
/** every program of this machine but perl */
function noPerl(): string {
  const dir = mkdtempSync(join(tmpdir(), 'il-noperl-'));
  for (const d of ['/usr/bin', '/bin']) for (const f of readdirSync(d)) if (!/^perl/.test(f) && !existsSync(join(dir, f))) symlinkSync(join(d, f), join(dir, f));
  return dir;
}

test('span reader: the same spans as find | grep / zgrep, with one perl where there were ~25 processes', () => {
  const cmd = textSpans(root, LOGS, true);
  assertReadOnly(cmd);
  const perl = sh(cmd, bin); // no find, grep nor zgrep on this PATH: only the span reader can have printed lines
  const np = noPerl();
  try {
    const full = sh(cmd, np);
    // (perl's core stat has whole seconds where find prints fractions: the last write to the second)
    const second = (iso?: string) => iso && iso.replace(/\.\d+Z$/, '.000Z');
    const spans = (out: string) => [...parseSpans(out, 'Europe/Paris', new Date('2025-01-15T12:00:00Z'))].map(([id, s]) => [id, { ...s, to: second(s.to) }] as const).sort();
    assert.deepEqual(spans(perl), spans(full));
    const access = new Map(spans(perl)).get('nginx_access')!;
    assert.equal(access.from, '2025-01-12T23:00:05.000Z', 'the .gz rotation holds the earliest line');
    assert.equal(new Map(spans(perl)).get('nginx_error')!.from, '2025-01-12T07:00:00.000Z', 'a 100 KB first line is read by its stamp');
    assert.equal(new Map(spans(perl)).get('syslog')!.from, '2025-01-11T05:25:01.000Z', 'a last line without a newline');
    const sorted = (out: string) => out.split('\n').filter((l) => l.startsWith('@@')).map((l) => l.replace(/^(@@ mtime \d+)\.\d+/, '$1')).sort();
    assert.deepEqual(sorted(perl), sorted(full), 'the same files, the same last writes');
    assert.doesNotMatch(perl, /access\.log(ger|\.9|\.d)/, 'neither a link, nor a folder, nor another name');
    assert.ok(perl.split('\n').every((l) => l.length <= 4200), 'lines cut on the host');
  } finally {
    rmSync(np, { recursive: true, force: true });
  }
});

test('span reader: without the last writes (a bundle), and a log folder that does not exist, say nothing more', () => {
  const out = sh(textSpans(root, LOGS, false), bin);
  assert.doesNotMatch(out, /@@ mtime/);
  assert.match(out, /@@ span gunicorn_log\n@@ span mail_log\n@@ span syslog\n/);
});
