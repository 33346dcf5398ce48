// The editor's per-statement analysis (topLevel.ts + moduleFacts.ts, through the language server's DocumentStore)
// gives exactly the sends of a full parse, after each of many random edits (seeded, reproducible) on a large
// views.py and on every file of the loop-shape corpus. Whenever the edited text parses without errors the two must
// be equal; texts with syntax errors (where the two parsers' error recovery may differ) are counted, not compared.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeTree } from '../../src/python/analyze';
import { topLevelPieces, updatePieces } from '../../src/python/topLevel';
import { DocumentStore } from '../../src/server/documents';
import type { PythonParser } from '../../src/python/parser';
import { bigViews } from './bigViews';
import { parser } from './pyHelpers';

const CORPUS = join(__dirname, '..', 'corpus', 'loop-shapes', 'club');
const corpusFiles = () => readdirSync(CORPUS, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.py')).sort();

/** Snippets an edit inserts: single characters, statement pieces and the shapes that make top-level splitting hard. */
const SNIPPETS = [
  'x', ' ', '\n', '    ', '\t', '#', '(', ')', '[', ']', '"', "'", '"""', "'''", '\\\n', ':', ',', '=', 'e', 'd',
  'BATCH_SIZE = 7\n', 'email = EmailMessage("s", "b", None, ["a@b.c"])\n', 'import itertools\n', 'from .mail import envoyer\n',
  'def lots(qs):\n    for i in range(0, len(qs), 10):\n        yield qs[i:i + 10]\n\n',
  'def relance(request):\n    for lot in lots(request.POST):\n        send_mail("s", "b", None, lot)\n',
  '    for i in range(0, len(d), BATCH_SIZE):\n        email.send()\n',
  'else:\n    pass\n', 'except Exception:\n    pass\n', '@login_required\n', 'class Envoi(View):\n    def post(self, request):\n        pass\n',
  '# comment at column 0\n', 'x = """\ndef pas_une_vue():\n    pass\n"""\n', 'total = (1 +\n2)\n', 'if True:\n    N = 3\n',
  '        send_mail("s", "b", None, [m])\n', '    for m in membres:\n', 'while True:\n    lot = list(itertools.islice(it, 5))\n',
];

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function fullSends(p: PythonParser, text: string, path: string): { sends: unknown[]; error: boolean } {
  const tree = p.parse(text);
  try {
    return { sends: analyzeTree(p, tree, path).sends, error: tree.rootNode.hasError };
  } finally {
    tree.delete();
  }
}

/** An edit at a random place: statement snippets go to a line start, characters anywhere; some delete a little. */
function randomEdit(rand: () => number, cur: string): { start: number; del: number; ins: string } {
  const ins = rand() < 0.85 ? SNIPPETS[Math.floor(rand() * SNIPPETS.length)] : '';
  let start = Math.floor(rand() * (cur.length + 1));
  if (ins.length > 2 && ins.endsWith('\n')) start = cur.lastIndexOf('\n', start - 1) + 1;
  const del = !ins || rand() < 0.2 ? Math.min(cur.length - start, Math.floor(rand() * 40)) : 0;
  return { start, del, ins };
}

/**
 * Random edits on `text`, each applied through the store; an edit that leaves a syntax error is undone (through the
 * store too) after counting whether the two analyses differed there. Returns the counts.
 */
function randomEdits(p: PythonParser, name: string, text: string, steps: number, seed: number): { compared: number; withErrors: number; errorDiffs: number } {
  const store = new DocumentStore(p);
  const uri = `file:///tmp/module-facts/${name}`;
  let doc = store.open(uri, 'python', 1, text);
  const rand = rng(seed);
  const counts = { compared: 0, withErrors: 0, errorDiffs: 0 };
  let version = 1;
  try {
    for (let step = 0; step < steps; step++) {
      const cur = doc.doc.getText();
      const { start, del, ins } = randomEdit(rand, cur);
      const removed = cur.slice(start, start + del);
      doc = store.change(uri, ++version, [{ range: { start: doc.doc.positionAt(start), end: doc.doc.positionAt(start + del) }, text: ins }])!;
      const full = fullSends(p, doc.doc.getText(), doc.path);
      const what = `${name}, seed ${seed}, step ${step}: inserted ${JSON.stringify(ins)} at ${start} (deleted ${JSON.stringify(removed)})`;
      if (!full.error) {
        counts.compared++;
        assert.deepEqual(doc.calls, full.sends, what);
        continue;
      }
      counts.withErrors++;
      if (JSON.stringify(doc.calls) !== JSON.stringify(full.sends)) counts.errorDiffs++;
      doc = store.change(uri, ++version, [{ range: { start: doc.doc.positionAt(start), end: doc.doc.positionAt(start + ins.length) }, text: removed }])!;
      assert.equal(doc.doc.getText(), cur);
      assert.deepEqual(doc.calls, fullSends(p, cur, doc.path).sends, `${what}, then undone`);
    }
  } finally {
    store.close(uri);
  }
  return counts;
}

test('every corpus file: per-statement analysis equals the full analysis, as written and after random edits', async () => {
  const p = await parser();
  let compared = 0;
  for (const [i, f] of corpusFiles().entries()) {
    const text = readFileSync(join(CORPUS, f), 'utf8');
    const store = new DocumentStore(p);
    const doc = store.open(`file:///tmp/module-facts/${f}`, 'python', 1, text);
    assert.deepEqual(doc.calls, fullSends(p, text, doc.path).sends, `${f} as written`);
    store.close(doc.doc.uri);
    compared += randomEdits(p, f, text, 40, 1000 + i).compared;
  }
  assert.ok(compared > 400, `only ${compared} error-free edited texts compared`);
});

test('a large views.py with the corpus appended: 150 random edits, per-statement analysis equals the full analysis', async () => {
  const p = await parser();
  const corpus = corpusFiles().map((f) => readFileSync(join(CORPUS, f), 'utf8')).join('\n\n');
  const { text } = bigViews(500, 250);
  const r = randomEdits(p, 'views.py', `${text}\n\n${corpus}`, 150, 42);
  console.log(`large file: ${r.compared} error-free edits compared; ${r.withErrors} left syntax errors (undone), the analyses differed on ${r.errorDiffs} of them`);
  assert.ok(r.compared > 50, `only ${r.compared} error-free edited texts compared (${r.withErrors} with errors)`);
});

test('top-level pieces: strings, brackets, continuations, decorators and else/except stay with their statement', () => {
  const src = [
    '"""Doc.',
    'def not_a_piece():',
    '"""',
    'x = (1,',
    '2)',
    'y = 1 + \\',
    '2',
    '@dec',
    '@dec2(a,',
    'b)',
    'def f():',
    '    pass',
    '# a comment at column 0',
    '    return 1',
    'try:',
    '    pass',
    'except Exception:',
    '    pass',
    'finally:',
    '    pass',
    "s = 'it''s'",
  ].join('\n');
  const rows = topLevelPieces(src).map((p) => p.row);
  assert.deepEqual(rows, [0, 3, 5, 7, 14, 20]);
  // Statements tree-sitter continues across a line break at column 0; `x = 1,` and `import os` do end there.
  assert.deepEqual(topLevelPieces('def \nf(a):\n    pass\ndef g\n(a)\n:\n    pass\nx = \\\n1\ny = a.\nb\nfrom os\nimport path\nz = 1,\n2\nimport os\nw = 1.\nv = ...\nfrom m import *\nu = 2\n').map((p) => p.row), [0, 3, 7, 9, 11, 13, 14, 15, 16, 17, 18, 19]);
  // Trap: a half-typed `def f(` does not swallow the definitions below it.
  assert.deepEqual(topLevelPieces('def f(\n\ndef g():\n    pass\n').map((p) => p.row), [0, 2]);
});

test('top-level pieces never cut a statement of the whole-file tree: a line break (or a backslash and one) inserted at every offset of every corpus file', async () => {
  // tree-sitter reads on across a line break where its grammar cannot end the statement (`def \nname(...)`,
  // `def name(a)\n:`, `x =\n1`), and one right after a string's quote or escape: the pieces must follow it there.
  const p = await parser();
  let checked = 0;
  for (const f of corpusFiles()) {
    const src = readFileSync(join(CORPUS, f), 'utf8');
    for (let at = 0; at <= src.length; at++) {
      for (const ins of ['\n', '\\\n']) {
        const text = src.slice(0, at) + ins + src.slice(at);
        const tree = p.parse(text);
        try {
          if (tree.rootNode.hasError) continue;
          checked++;
          const stmts = tree.rootNode.namedChildren.filter((k) => k && k.type !== 'comment').map((k) => [k!.startIndex, k!.endIndex]);
          for (const { start } of topLevelPieces(text).slice(1)) {
            assert.ok(stmts.some(([s]) => s === start) && !stmts.some(([s, e]) => start > s && start < e), `${f}: ${JSON.stringify(ins)} at ${at}: a piece starts at ${start} inside a statement`);
          }
        } finally {
          tree.delete();
        }
      }
    }
  }
  assert.ok(checked > 5000, `only ${checked} error-free texts checked`);
});

test('updatePieces gives topLevelPieces of the new text, after each of many random edits, reusing the unchanged pieces', async () => {
  const sources = [bigViews(1200, 600).text, ...corpusFiles().map((f) => readFileSync(join(CORPUS, f), 'utf8'))];
  const random = rng(12);
  let reused = 0;
  let total = 0;
  for (const src of sources) {
    let text = src;
    let pieces = topLevelPieces(text);
    for (let n = 0; n < 60; n++) {
      const at = Math.floor(random() * (text.length + 1));
      const del = random() < 0.4 ? Math.floor(random() * 30) : 0;
      const ins = random() < 0.7 ? SNIPPETS[Math.floor(random() * SNIPPETS.length)] : '';
      const next = text.slice(0, at) + ins + text.slice(Math.min(text.length, at + del));
      const got = updatePieces(text, pieces, next);
      assert.deepEqual(got.map(({ start, end, row }) => ({ start, end, row })), topLevelPieces(next), `edit ${n} at ${at}: -${del} +${JSON.stringify(ins)}`);
      for (const p of got) if (p.from !== undefined) assert.equal(next.slice(p.start, p.end), text.slice(pieces[p.from].start, pieces[p.from].end), 'a reused piece changed');
      reused += got.filter((p) => p.from !== undefined).length;
      total += got.length;
      text = next;
      pieces = got;
    }
  }
  // most pieces are not re-scanned (an edit touches a few; an unclosed quote or bracket re-scans up to the end)
  assert.ok(reused > total * 0.6, `only ${reused} of ${total} pieces reused`);
});
