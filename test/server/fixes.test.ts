// The three fixes on real shapes: each result parses without ERROR/MISSING nodes and byte-compiles with CPython.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixFile } from '../../src/python/fixes';
import { checkPython, parser, py, sendsOf } from './pyHelpers';

const ROOT = join(__dirname, '..', '..');
const SAMPLE = readFileSync(join(ROOT, 'samples/aquademie/gestion/views.py'), 'utf8');
const SETTINGS = readFileSync(join(ROOT, 'samples/aquademie/aquademie/settings.py'), 'utf8');
const count = (s: string, sub: string) => s.split(sub).length - 1;

async function fix(src: string, kind: 'try-except' | 'logging' | 'progress'): Promise<string> {
  const r = fixFile(await parser(), src, 'views.py', kind);
  assert.ok(r, `${kind} produced no change`);
  assert.equal(await checkPython(r.text), '', r.text);
  return r.text;
}

test('try-except on the sample view: imports once, logger, failure logged with batch index and size, pause kept, summary via messages', async () => {
  const out = await fix(SAMPLE, 'try-except');
  assert.equal(count(out, 'import logging\n'), 1);
  assert.equal(count(out, 'import smtplib\n'), 1);
  assert.equal(count(out, 'logger = logging.getLogger(__name__)'), 1);
  assert.equal(count(out, 'from django.contrib import messages'), 1);
  assert.match(out, /except \(smtplib\.SMTPException, OSError\):\n {12}logger\.exception\("batch %d\/%d failed \(%d recipients\); continuing with the next batch", batch_no, batch_total, len\(batch\)\)/);
  assert.match(out, /failed_batches\.append\(batch_no\)\n {12}# Keep the pause between batches after a failure too\.\n {12}if \(i \+ batch_size\) < len\(destinataires\):\n {16}time\.sleep\(3\)\n {12}continue\n/);
  assert.match(out, /\n {4}if failed_batches:\n {8}messages\.warning\(request, .*\n {4}else:\n {8}messages\.success\(request, f"Message envoyé à \{len\(destinataires\)\} adhérents\."\)\n\n {4}return redirect/);
  assert.equal(count(out, 'messages.success('), 1, 'the success message moved, not copied');
  const [s] = await sendsOf(out);
  assert.equal(s.protected, true);
  assert.equal(fixFile(await parser(), out, 'views.py', 'try-except'), undefined, 'a second run changes nothing');
});

test('try-except keeps tab indentation and reuses an existing module logger', async () => {
  const src = 'import logging\nimport smtplib\nfrom django.core.mail import send_mail\n\nlog = logging.getLogger("mail")\n\n\ndef f(d):\n\tfor i in range(0, len(d), 10):\n\t\tsend_mail("s", "b", None, d[i:i + 10])\n\treturn len(d)\n';
  const out = await fix(src, 'try-except');
  assert.equal(count(out, 'import logging'), 1);
  assert.equal(count(out, 'getLogger'), 1);
  assert.match(out, /\t\ttry:\n\t\t\tsend_mail\("s", "b", None, d\[i:i \+ 10\]\)\n\t\texcept \(smtplib\.SMTPException, OSError\):\n\t\t\tlog\.exception\(/);
  for (const line of out.split('\n')) assert.ok(!line.startsWith(' '), `space-indented line in a tab file: ${JSON.stringify(line)}`);
  assert.match(out, /\tlog\.warning\("batches not sent: %s"/, 'no request: the summary goes to the log');
});

test('try-except on a while loop that slices, a comment-laden body and a multi-line call', async () => {
  const out = await fix(py(`
    """Mailing."""
    from django.core.mail import send_mail


    def relance(dest, taille=20):
        # relance par lots
        while dest:
            lot = dest[:taille]  # le lot
            dest = dest[taille:]
            send_mail(
                "Relance",  # sujet
                """Bonjour,
    ceci est une relance.""",
                None,
                lot,
            )
  `), 'try-except');
  assert.match(out, /^import logging\nimport smtplib\n\n/m);
  assert.match(out, /batch_total = \(len\(dest\) \+ taille - 1\) \/\/ taille/);
  assert.ok(out.includes('"""Bonjour,\nceci est une relance."""'), 'multi-line string content untouched');
});

test('progress line: exact wording, reuses the counter added by try-except, after the send', async () => {
  const withTry = await fix(SAMPLE, 'try-except');
  const out = await fix(withTry, 'progress');
  assert.equal(count(out, 'batch_no = 0'), 1);
  assert.equal(count(out, 'batch_total = '), 1);
  assert.match(out, /email\.send\(\)\n {12}logger\.info\("batch %d\/%d sent to %d recipients", batch_no, batch_total, len\(batch\)\)\n/);
  const only = await fix(SAMPLE, 'progress');
  assert.match(only, /email\.send\(\)\n {8}logger\.info\("batch %d\/%d sent to %d recipients", batch_no, batch_total, len\(batch\)\)\n/);
  assert.equal(fixFile(await parser(), only, 'views.py', 'progress'), undefined);
});

test('the progress line format is the one the diagnosis parses: "batch 17/42 sent to 10 recipients"', async () => {
  const out = await fix(SAMPLE, 'progress');
  const fmt = out.split('logger.info("')[1].split('"')[0];
  const r = spawnSync('python3', ['-c', `print(${JSON.stringify(fmt)} % (17, 42, 10))`], { encoding: 'utf8' });
  assert.equal(r.stdout.trim(), 'batch 17/42 sent to 10 recipients');
});

test('LOGGING fix on settings.py: console + rotating file under BASE_DIR/logs, works with and without the folder', async () => {
  const out = await fix(SETTINGS, 'logging');
  assert.equal(count(out, 'LOGGING = {'), 1);
  assert.equal(fixFile(await parser(), out, 'settings.py', 'logging'), undefined, 'not added twice');
  const dir = mkdtempSync(join(tmpdir(), 'il-settings-'));
  try {
    mkdirSync(join(dir, 'aquademie'));
    writeFileSync(join(dir, 'aquademie', 'settings.py'), out);
    const script = [
      'import logging, logging.config, runpy, sys',
      `ns = runpy.run_path(${JSON.stringify(join(dir, 'aquademie', 'settings.py'))})`,
      'logging.config.dictConfig(ns["LOGGING"])',
      'logging.getLogger("gestion.views").error("batch 3/5 failed (10 recipients)")',
      'print("configured")',
    ].join('\n');
    // Without the logs folder: the app still starts (delay=True), the record goes to the console.
    let r = spawnSync('python3', ['-c', script], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /configured/);
    assert.match(r.stderr, /ERROR gestion\.views \[\d+\] batch 3\/5 failed/);
    // With it: the rotating file receives the record.
    mkdirSync(join(dir, 'logs'));
    r = spawnSync('python3', ['-c', script], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.ok(existsSync(join(dir, 'logs', 'django.log')));
    assert.match(readFileSync(join(dir, 'logs', 'django.log'), 'utf8'), /batch 3\/5 failed/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('try-except in a while loop that advances its index: no `continue`, every batch is tried, the loop ends (run in CPython)', async () => {
  const src = py(`
    def send_mail(subject, body, sender, to):
        if "b10" in to:
            raise OSError("450 4.7.1 too many requests per time unit")
        SENT.extend(to)

    SENT = []

    def envoyer(dest, n=10):
        i = 0
        while i < len(dest):
            lot = dest[i:i + n]
            send_mail("s", "b", None, lot)
            i += n
        return len(dest)

    envoyer(["b%d" % k for k in range(25)])
    print(len(SENT), sorted(set(range(25)) - {int(a[1:]) for a in SENT}))
  `);
  const out = await fix(src, 'try-except');
  assert.doesNotMatch(out, /continue/);
  const r = spawnSync('python3', ['-c', out], { encoding: 'utf8', timeout: 10000 });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), '15 [10, 11, 12, 13, 14, 15, 16, 17, 18, 19]');
  assert.match(r.stderr, /batch 2\/3 failed \(10 recipients\)/, "logging's last-resort handler prints the failure");
});
