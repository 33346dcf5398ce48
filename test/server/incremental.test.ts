// The editor path (DocumentStore: tree.edit + incremental reparse + per-statement cache) gives the same sends
// as a full analysis of the same text, edit after edit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeTree } from '../../src/python/analyze';
import { DocumentStore } from '../../src/server/documents';
import { bigViews } from './bigViews';
import { parser } from './pyHelpers';

test('incremental analysis matches full analysis through edits that add, move, protect and remove sends', async () => {
  const p = await parser();
  const { text, sendLine } = bigViews(1500, 800);
  const store = new DocumentStore(p);
  const uri = 'file:///tmp/incremental/views.py';
  let doc = store.open(uri, 'python', 1, text);
  let version = 1;
  const full = () => {
    const tree = p.parse(doc.doc.getText());
    try {
      return analyzeTree(p, tree, doc.path).sends;
    } finally {
      tree.delete();
    }
  };
  const lineOf = (needle: string) => doc.doc.getText().split('\n').findIndex((l) => l.includes(needle));
  const edits: [string, () => { line: number; ch: number; end?: { line: number; ch: number }; text: string }][] = [
    ['lines above the loop', () => ({ line: 10, ch: 0, text: 'BATCH = 5\n\n' })],
    ['module constant used as batch size', () => ({ line: lineOf('batch_size = 10'), ch: 4, end: { line: lineOf('batch_size = 10'), ch: 19 }, text: 'batch_size = BATCH' })],
    ['a second send in a filler view loop', () => ({ line: lineOf('lignes.append({"nom": a.nom, "prenom": a.prenom, "email": None})'), ch: 0, text: '            pass\n' })],
    ['a new batch view', () => ({ line: 12, ch: 0, text: 'def relance(d):\n    for i in range(0, len(d), 20):\n        send_mail("s", "b", None, d[i:i+20])\n\n\n' })],
    ['protect the runbook send', () => {
      const l = lineOf('        email.send()');
      return { line: l, ch: 0, end: { line: l, ch: 20 }, text: '        try:\n            email.send()\n        except Exception:\n            pass' };
    }],
    ['break the file mid-way', () => ({ line: 30, ch: 0, text: 'def broken(:\n' })],
    ['remove the runbook loop view', () => ({ line: lineOf('def adherents_communiquer'), ch: 0, end: { line: lineOf('def adherents_communiquer') + 1, ch: 0 }, text: 'def renamed(request):\n' })],
  ];
  assert.equal(doc.calls[0].line, sendLine);
  for (const [what, make] of edits) {
    const e = make();
    const end = e.end ?? { line: e.line, ch: e.ch };
    doc = store.change(uri, ++version, [{ range: { start: { line: e.line, character: e.ch }, end: { line: end.line, character: end.ch } }, text: e.text }])!;
    assert.deepEqual(doc.calls, full(), `after: ${what}`);
  }
  assert.ok(doc.calls.length >= 2, JSON.stringify(doc.calls.map((c) => c.line)));
  store.close(uri);
});
