// The lens's first fix without the whole-file tree (src/server/lensFixes.ts): the same fix as the code actions'
// first (fixesFor on the whole-file tree) for every send of the corpus and of a 5,000-line views.py, under every
// verdict; computed again only for the statement a keystroke changed; and never parsing the whole file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fixesFor } from '../../src/server/actions';
import { DocumentStore, type OpenDocument } from '../../src/server/documents';
import { LensFixes } from '../../src/server/lensFixes';
import type { PythonParser } from '../../src/python/parser';
import { bigViews } from './bigViews';
import { parser } from './pyHelpers';

const CLUB = join(__dirname, '..', 'corpus', 'loop-shapes', 'club');
const VERDICTS = [null, 'http_timeout', 'oom_kill', 'smtp_rate_limit', 'smtp_connection_error', 'python_exception'];

function sameAsCodeActions(p: PythonParser, store: DocumentStore, doc: OpenDocument, what: string, seen = new Set<string>()): number {
  let n = 0;
  for (const verdict of VERDICTS) {
    const lens = new LensFixes();
    const ctx = { parser: p, store, lang: 'en' as const, verdict };
    for (const c of doc.calls) {
      const f = doc.found().find((x) => x.call.range.start.line === c.range.start.line && x.call.range.start.character === c.range.start.character);
      assert.ok(f, `${what}: send at line ${c.line} not in the whole-file analysis`);
      const fix = lens.firstFix(doc, verdict, c);
      assert.equal(fix, fixesFor(ctx, doc, f)[0], `${what}, verdict ${verdict}: send at line ${c.line}`);
      seen.add(String(fix));
      n++;
    }
  }
  return n;
}

test('lens fix: the code actions\' first fix for every send of the loop-shape corpus, under every verdict', async () => {
  const p = await parser();
  const store = new DocumentStore(p);
  let checked = 0;
  const seen = new Set<string>();
  const names = readdirSync(CLUB).filter((f) => f.endsWith('.py'));
  for (const name of names) {
    const file = join(CLUB, name);
    const doc = store.open(pathToFileURL(file).toString(), 'python', 1, readFileSync(file, 'utf8'));
    checked += sameAsCodeActions(p, store, doc, name, seen);
    store.close(doc.doc.uri);
  }
  // the corpus has sends whose first fix differs by verdict (background, rate limit, reconnect, try/except)
  assert.ok(checked >= 25 * VERDICTS.length, `only ${checked} sends × verdicts checked`);
  for (const k of ['background-task', 'rate-limit', 'reconnect', 'try-except', 'progress']) assert.ok(seen.has(k), `no send whose first fix is ${k}: ${[...seen].join(', ')}`);
});

/** A 5,000-line views.py inside a Django project (manage.py), so that the background job applies. */
function bigProject(): { dir: string; file: string; text: string; sendLine: number } {
  const dir = mkdtempSync(join(tmpdir(), 'il-lensfix-'));
  writeFileSync(join(dir, 'manage.py'), 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "club.settings")\n');
  const { text, sendLine } = bigViews(5000, 2870);
  const file = join(dir, 'views.py');
  writeFileSync(file, text);
  return { dir, file, text, sendLine };
}

test('lens fix on a 5,000-line views.py: background job first after an HTTP timeout; a keystroke recomputes only its own statement, never the whole file', async () => {
  const p = await parser();
  const big = bigProject();
  const wholeParses: number[] = [];
  // counts parses of the whole text (the lens path must never need one)
  const counting: PythonParser = Object.create(p, {
    parse: { value: (text: string, old?: unknown) => {
      if (text.length >= big.text.length - 100) wholeParses.push(text.length);
      return p.parse(text, old as never);
    } },
  });
  try {
    const store = new DocumentStore(counting);
    const uri = pathToFileURL(big.file).toString();
    let doc = store.open(uri, 'python', 1, big.text);
    const lens = new LensFixes();
    assert.equal(doc.calls.length, 1);
    assert.equal(lens.firstFix(doc, 'http_timeout', doc.calls[0]), 'background-task');
    assert.equal(lens.computed, 1);
    wholeParses.length = 0;
    const lines = big.text.split('\n');
    const filler = lines.findIndex((l, i) => i > 1000 && l.startsWith('    total = len('));
    doc = store.change(uri, 2, [{ range: { start: { line: filler, character: 4 }, end: { line: filler, character: 4 } }, text: 'x' }])!;
    assert.equal(lens.firstFix(doc, 'http_timeout', doc.calls[0]), 'background-task');
    assert.equal(lens.computed, 1, 'a keystroke in another view must not recompute the send\'s fixes');
    const row = big.sendLine - 1;
    doc = store.change(uri, 3, [{ range: { start: { line: row, character: lines[row].length }, end: { line: row, character: lines[row].length } }, text: '  # envoi' }])!;
    assert.equal(lens.firstFix(doc, 'http_timeout', doc.calls[0]), 'background-task');
    assert.equal(lens.computed, 2, 'a keystroke in the send\'s view recomputes its statement once');
    assert.equal(lens.firstFix(doc, 'smtp_rate_limit', doc.calls[0]), 'rate-limit');
    assert.deepEqual(wholeParses, [], 'the lens path parsed the whole file');
    // and it agrees with the code actions, which do use the whole-file tree
    sameAsCodeActions(p, store, doc, 'views.py of 5,000 lines');
    store.close(uri);
  } finally {
    rmSync(big.dir, { recursive: true, force: true });
  }
});

test('diagnostics: fail_silently=True in a bulk loop is flagged (information, French text); the single send of a trap is not', async () => {
  const { diagnosticsFor } = await import('../../src/server/diagnostics');
  const { DiagnosticCodes } = await import('../../src/shared/protocol');
  const p = await parser();
  const store = new DocumentStore(p);
  const open = (name: string) => {
    const file = join(CLUB, name);
    return store.open(pathToFileURL(file).toString(), 'python', 1, readFileSync(file, 'utf8'));
  };
  const silent = diagnosticsFor(open('s12_fail_silently.py').calls, 'fr');
  assert.deepEqual(silent.map((d) => [d.range.start.line + 1, d.code, d.severity]), [[10, DiagnosticCodes.failSilently, 3]]);
  assert.match(String(silent[0].message), /^fail_silently=True masque toutes les erreurs SMTP/);
  // t01 ends with one send_mail(..., fail_silently=True) after the loop that collects the addresses: no claim at all
  assert.deepEqual(diagnosticsFor(open('t01_single_send_after_loop.py').calls, 'fr'), []);
});
