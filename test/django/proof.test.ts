// Proof on real Django (Debian's python3-django) and a real SMTP server (python3-aiosmtpd) that refuses the 3rd
// batch with a 450: the ORIGINAL sample view stops at the failing batch; after applying fix (a) — and the
// LOGGING fix — THROUGH THE LANGUAGE SERVER (codeAction → WorkspaceEdit), every other batch is delivered, the
// failure is logged with its batch index, and the user is told which batch failed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CodeAction, TextEdit } from 'vscode-languageserver-protocol/node';
import { pathToFileURL } from 'node:url';
import { applyLineEdits } from '../../src/python/edits';
import { CodeActionRequest, ROOT, startServer } from '../server/lspHarness';

const MEMBERS = 45; // 5 batches of 10: 10, 10, 10, 10, 5
const REJECT = 3;
const HERE = __dirname;

interface Received {
  n: number;
  accepted: boolean;
  rcpt_tos: string[];
  subject: string;
}
interface Outcome {
  exception: string | null;
  status: number | null;
  messages: { level: string; text: string }[];
  traceback?: string;
}

function pythonWithDjango(): string {
  for (const py of ['/usr/bin/python3', 'python3']) {
    const r = spawnSync(py, ['-c', 'import django, aiosmtpd'], { encoding: 'utf8' });
    if (r.status === 0) return py;
  }
  throw new Error('no python3 with django and aiosmtpd: run scripts/ensure-deps.sh (python3-django, python3-aiosmtpd)');
}

let python: string;
let work: string;
let app: string;

before(() => {
  python = pythonWithDjango();
  work = mkdtempSync(join(tmpdir(), 'il-django-'));
  app = join(work, 'aquademie');
  cpSync(join(ROOT, 'samples', 'aquademie'), app, { recursive: true, filter: (s) => !s.includes('__pycache__') });
});

after(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

async function startSmtp(out: string, reject = REJECT): Promise<{ port: number; child: ChildProcess; stop: () => Promise<void> }> {
  const child = spawn(python, [join(HERE, 'smtp_server.py')], { env: { ...process.env, OUT: out, REJECT_DATA: String(reject) }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += String(d)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`SMTP server did not start: ${stderr}`)), 20000);
    child.stdout!.on('data', (d) => {
      stdout += String(d);
      const line = stdout.split('\n').find((l) => l.startsWith('READY '));
      if (line) {
        clearTimeout(timer);
        resolve(Number(line.slice(6)));
      }
    });
    child.once('exit', (code) => reject(new Error(`SMTP server exited (${code}): ${stderr}`)));
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.stdin!.end();
    });
  return { port, child, stop };
}

function runView(port: number, db: string): { outcome: Outcome; stderr: string } {
  const r = spawnSync(python, [join(HERE, 'drive.py'), String(MEMBERS)], {
    cwd: app,
    encoding: 'utf8',
    timeout: 120000,
    env: {
      ...process.env,
      PYTHONDONTWRITEBYTECODE: '1',
      DJANGO_DB_ENGINE: 'django.db.backends.sqlite3',
      DJANGO_DB_NAME: db,
      EMAIL_HOST: '127.0.0.1',
      EMAIL_PORT: String(port),
      EMAIL_USE_SSL: '0',
    },
  });
  assert.equal(r.status, 0, `drive.py failed: ${r.stderr}`);
  const last = r.stdout.trim().split('\n').pop()!;
  return { outcome: JSON.parse(last) as Outcome, stderr: r.stderr };
}

function readReceived(out: string): Received[] {
  return existsSync(out) ? readFileSync(out, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Received) : [];
}

const member = (k: number) => `membre${String(k).padStart(3, '0')}@example.org`;
const batch = (b: number) => Array.from({ length: Math.min(10, MEMBERS - (b - 1) * 10) }, (_, i) => member((b - 1) * 10 + i));
const members = (r: Received[]) => r.filter((x) => x.accepted).flatMap((x) => x.rcpt_tos.filter((a) => a.startsWith('membre'))).sort();

test('the original view stops at the refused batch: batches 4 and 5 are never sent', async () => {
  const out = join(work, 'smtp-original.jsonl');
  const smtp = await startSmtp(out);
  let run: ReturnType<typeof runView>;
  try {
    run = runView(smtp.port, join(work, 'original.sqlite3'));
  } finally {
    await smtp.stop();
  }
  const received = readReceived(out);
  assert.match(run.outcome.exception ?? '', /^smtplib\.SMTPDataError: \(450, b'4\.7\.1 too many requests per time unit'\)/);
  assert.deepEqual(received.map((r) => [r.n, r.accepted]), [[1, true], [2, true], [3, false]], 'the view stopped at the failing batch');
  assert.deepEqual(members(received), [...batch(1), ...batch(2)].sort());
  assert.doesNotMatch(run.stderr, /batch \d+\/\d+ failed/, 'nothing logs which batch failed');
});

test('fix (a) + LOGGING applied through the language server: every other batch is sent, the failure is logged and reported', async () => {
  const views = join(app, 'gestion', 'views.py');
  const settings = join(app, 'aquademie', 'settings.py');
  const lsp = await startServer('en');
  try {
    const { uri, diagnostics } = await lsp.open(views);
    assert.equal(diagnostics.length, 1);
    const actions = (await lsp.conn.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: diagnostics[0].range, context: { diagnostics } })) as CodeAction[];
    const tryFix = actions.find((a) => a.title.includes('try/except'));
    const logging = actions.find((a) => a.title.includes('LOGGING'));
    assert.ok(tryFix?.edit?.changes?.[uri] && logging?.edit?.changes, JSON.stringify(actions.map((a) => a.title)));
    writeFileSync(views, applyLineEdits(readFileSync(views, 'utf8'), tryFix.edit.changes[uri] as TextEdit[]));
    const settingsUri = pathToFileURL(settings).toString();
    writeFileSync(settings, applyLineEdits(readFileSync(settings, 'utf8'), logging.edit.changes[settingsUri] as TextEdit[]));
  } finally {
    await lsp.stop();
  }
  mkdirSync(join(app, 'logs')); // the deploy's job, as the LOGGING comment says

  const out = join(work, 'smtp-fixed.jsonl');
  const smtp = await startSmtp(out);
  let run: ReturnType<typeof runView>;
  try {
    run = runView(smtp.port, join(work, 'fixed.sqlite3'));
  } finally {
    await smtp.stop();
  }
  const received = readReceived(out);
  assert.equal(run.outcome.exception, null, run.outcome.traceback);
  assert.equal(run.outcome.status, 302);
  assert.deepEqual(received.map((r) => [r.n, r.accepted]), [[1, true], [2, true], [3, false], [4, true], [5, true]]);
  assert.deepEqual(members(received), [...batch(1), ...batch(2), ...batch(4), ...batch(5)].sort(), 'every batch but the refused one reached the server');

  const log = readFileSync(join(app, 'logs', 'django.log'), 'utf8');
  assert.match(log, /ERROR gestion\.views \[\d+\] batch 3\/5 failed \(10 recipients\); continuing with the next batch\nTraceback \(most recent call last\):/);
  assert.match(log, /smtplib\.SMTPDataError: \(450, b'4\.7\.1 too many requests per time unit'\)/);
  assert.match(log, /INFO gestion\.views \[\d+\] bulk send finished: 4\/5 batches sent, 1 failed/);
  assert.match(run.stderr, /batch 3\/5 failed \(10 recipients\)/, 'the console handler (journal) gets it too');
  const warning = run.outcome.messages.find((m) => m.level === 'warning');
  // The app is French (LANGUAGE_CODE fr-fr): the added message is French and gives the real counts.
  assert.equal(warning?.text, 'Envoi incomplet : 4 lot(s) sur 5 envoyé(s), 1 en échec (lots 3) ; voir le journal du serveur.');
  assert.ok(!run.outcome.messages.some((m) => m.level === 'success'), 'no "sent to everyone" message after a failure');
});

test('the fixed view, when the SMTP server accepts everything: all 5 batches, the original success message', async () => {
  const out = join(work, 'smtp-clean.jsonl');
  const smtp = await startSmtp(out, 0);
  let run: ReturnType<typeof runView>;
  try {
    run = runView(smtp.port, join(work, 'clean.sqlite3'));
  } finally {
    await smtp.stop();
  }
  assert.equal(run.outcome.exception, null, run.outcome.traceback);
  assert.equal(members(readReceived(out)).length, MEMBERS);
  assert.deepEqual(run.outcome.messages, [{ level: 'success', text: `Message envoyé à ${MEMBERS} adhérents.` }]);
  assert.match(readFileSync(join(app, 'logs', 'django.log'), 'utf8'), /bulk send finished: 5\/5 batches sent, 0 failed/);
});
