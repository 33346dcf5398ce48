// Bench: analysis of a 5,000-line views.py (runbook loop near line 2,870) after an edit, through the language
// server's own document store (live text + reparse of the top-level statements the edit changed + their analysis)
// and the diagnostics and code lenses (before a diagnosis) the server sends. Goal: the WORST keystroke <= 20 ms;
// the bench exits 1 when it is over.
import { tsImport } from 'tsx/esm/api';

const load = (p) => tsImport(p, import.meta.url);
const { loadPythonParser } = await load('../../src/python/parser.ts');
const { DocumentStore } = await load('../../src/server/documents.ts');
const { bigViews } = await load('../../test/server/bigViews.ts');
const { diagnosticsFor } = await load('../../src/server/diagnostics.ts');
const { lensesFor } = await load('../../src/server/lenses.ts');

const parser = await loadPythonParser();
const { text, sendLine } = bigViews(5000, 2870);
const lines = text.split('\n');
const store = new DocumentStore(parser);
const uri = 'file:///bench/gestion/views.py';
const t0 = performance.now();
let doc = store.open(uri, 'python', 1, text);
const openMs = performance.now() - t0;
const expectSend = (what) => {
  if (doc.calls.length !== 1 || doc.calls[0].line !== sendLine) throw new Error(`bench (${what}): expected the send at line ${sendLine}, got ${JSON.stringify(doc.calls.map((s) => s.line))}`);
};
expectSend('open');

let version = 1;
const at = (row, col) => ({ line: row, character: col });
const edit = (row, col, del, ins) => {
  const d = store.change(uri, ++version, [{ range: { start: at(row, col), end: at(row, col + del) }, text: ins }]);
  diagnosticsFor(d.calls, 'en');
  lensesFor(d, null, 'en');
  return d;
};
/** Types `word` one character at a time at (row, col), then deletes it one character at a time. */
function typeAndErase(row, col, word, times) {
  for (let i = 0; i < word.length; i++) {
    const t = performance.now();
    doc = edit(row, col + i, 0, word[i]);
    times.push(performance.now() - t);
  }
  for (let i = word.length - 1; i >= 0; i--) {
    const t = performance.now();
    doc = edit(row, col + i, 1, '');
    times.push(performance.now() - t);
  }
}
const find = (row, s) => lines[row].indexOf(s);
const loopRow = sendLine - 1; // 0-based row of email.send()
const fillerRow = lines.findIndex((l, i) => i > 1000 && l.startsWith('    total = len('));
const topRow = lines.findIndex((l, i) => i > 1500 && l === '' && lines[i + 1] === '');
const sizeRow = lines.findIndex((l, i) => i > loopRow - 20 && l.includes('batch_size = 10'));
const typical = [];
for (let round = 0; round < 5; round++) {
  typeAndErase(loopRow, find(loopRow, '()') + 1, 'fail_silently=False', typical); // inside the send call
  typeAndErase(sizeRow, lines[sizeRow].length, '0', typical); // batch_size = 100 and back
  typeAndErase(fillerRow, find(fillerRow, 'len(') + 4, 'x', typical); // a filler view
  typeAndErase(topRow, 0, 'def envoi(', typical); // new top-level code between two views
  typeAndErase(4500, find(4500, lines[4500].trim()[0] ?? '') + 1, 'abc', typical); // near the end
  // a new statement line in the loop
  const t = performance.now();
  doc = edit(loopRow, lines[loopRow].length, 0, '\n        print(batch)');
  typical.push(performance.now() - t);
  const t2 = performance.now();
  doc = edit(loopRow, lines[loopRow].length, '\n        print(batch)'.length, '');
  typical.push(performance.now() - t2);
}
expectSend('after edits');
// The shape that was slow when the whole file was reparsed incrementally: the first character typed right after a
// block ends (a trailing comment here) made tree-sitter-python reparse the rest of the file.
const worst = [];
const blockEnd = lines.findIndex((l, i) => i > 1000 && l.trimStart().startsWith('return render('));
for (let i = 0; i < 5; i++) typeAndErase(blockEnd, lines[blockEnd].length, ' #', worst);

const stats = (a) => {
  const s = [...a].sort((x, y) => x - y);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return `median ${q(0.5).toFixed(2)} ms, p95 ${q(0.95).toFixed(2)} ms, max ${s[s.length - 1].toFixed(2)} ms`;
};
// The goal is about the WORST edit (lenses + diagnostics after any keystroke), so the verdict judges the maximum
// over every keystroke measured, typical and worst-case shapes together.
const all = [...typical, ...worst];
const max = Math.max(...all);
console.log(`analyze: ${lines.length}-line views.py, send at line ${sendLine}: first parse + analysis ${openMs.toFixed(1)} ms`);
console.log(`analyze: after an edit (statements reparsed + analysis + diagnostics + lenses), ${typical.length} keystrokes: ${stats(typical)}`);
console.log(`analyze: first character typed right after a block ends (was the slow shape), ${worst.length} keystrokes: ${stats(worst)}`);
console.log(`analyze: worst edit of all ${all.length} keystrokes: max ${max.toFixed(2)} ms (goal: worst <= 20 ms: ${max <= 20 ? 'OK' : 'OVER'}; figures are noisy on a loaded machine)`);
if (max > 20) process.exitCode = 1;
