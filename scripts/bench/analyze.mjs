// Bench: analysis of a 5,000-line views.py (runbook loop near line 2,870) after an edit, through the language
// server's own document store (live text + reparse of the top-level statements the edit changed + their analysis)
// and the diagnostics and code lenses the server sends (src/server/lensCache.ts, as its handler computes them:
// each send's first fix included), in a copy of the sample Django project. Measured twice: before any diagnosis,
// and with the seed incident's diagnosis loaded (verdict HTTP timeout: the lens names "Move the send out of the
// request" and the evidence). Goal: the WORST keystroke <= 20 ms in both; the bench exits 1 when one is over.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';

const load = (p) => tsImport(p, import.meta.url);
const { loadPythonParser } = await load('../../src/python/parser.ts');
const { DocumentStore } = await load('../../src/server/documents.ts');
const { bigViews } = await load('../../test/server/bigViews.ts');
const { diagnosticsFor } = await load('../../src/server/diagnostics.ts');
const { LensCache } = await load('../../src/server/lensCache.ts');
const { evidencePayload } = await load('../../src/shared/evidence.ts');

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const GOAL_MS = 20;
const parser = await loadPythonParser();
const { text, sendLine } = bigViews(5000, 2870);
const lines = text.split('\n');
// The sample project (manage.py, URLconf routing /adherents/communiquer/ to the view) with the long views.py.
const project = mkdtempSync(join(tmpdir(), 'il-bench-analyze-'));
cpSync(join(ROOT, 'samples', 'aquademie'), project, { recursive: true });
const file = join(project, 'gestion', 'views.py');
writeFileSync(file, text);
const uri = pathToFileURL(file).toString();
const seed = evidencePayload(JSON.parse(readFileSync(join(ROOT, 'test', 'server', 'fixtures', 'diagnosis-seed-incident.json'), 'utf8')));

const find = (row, s) => lines[row].indexOf(s);
const loopRow = sendLine - 1; // 0-based row of email.send()
const fillerRow = lines.findIndex((l, i) => i > 1000 && l.startsWith('    total = len('));
const topRow = lines.findIndex((l, i) => i > 1500 && l === '' && lines[i + 1] === '');
const sizeRow = lines.findIndex((l, i) => i > loopRow - 20 && l.includes('batch_size = 10'));
const blockEnd = lines.findIndex((l, i) => i > 1000 && l.trimStart().startsWith('return render('));
const at = (row, col) => ({ line: row, character: col });

/** Opens the file in a fresh store, types the keystroke scenarios; every keystroke is timed with its diagnostics and lenses. */
function run(evidence) {
  const store = new DocumentStore(parser);
  const lenses = new LensCache(parser, 'fr');
  const t0 = performance.now();
  let doc = store.open(uri, 'python', 1, text);
  diagnosticsFor(doc.calls, 'fr');
  const first = lenses.lenses(doc, evidence);
  const openMs = performance.now() - t0;
  const expectSend = (what) => {
    if (doc.calls.length !== 1 || doc.calls[0].line !== sendLine) throw new Error(`bench (${what}): expected the send at line ${sendLine}, got ${JSON.stringify(doc.calls.map((s) => s.line))}`);
  };
  expectSend('open');
  let version = 1;
  const cpu = [];
  const labels = [];
  let shape = '';
  const edit = (row, col, del, ins) => {
    labels.push(`${shape}: ${del ? `delete ${del}` : `type ${JSON.stringify(ins)}`} at ${row + 1}:${col + 1}`);
    const c = process.cpuUsage();
    const t = performance.now();
    doc = store.change(uri, ++version, [{ range: { start: at(row, col), end: at(row, col + del) }, text: ins }]);
    diagnosticsFor(doc.calls, 'fr');
    lenses.lenses(doc, evidence);
    const ms = performance.now() - t;
    const u = process.cpuUsage(c);
    cpu.push((u.user + u.system) / 1000);
    return ms;
  };
  /** Types `word` one character at a time at (row, col), then deletes it one character at a time. */
  const typeAndErase = (row, col, word, times, what) => {
    shape = what;
    for (let i = 0; i < word.length; i++) times.push(edit(row, col + i, 0, word[i]));
    for (let i = word.length - 1; i >= 0; i--) times.push(edit(row, col + i, 1, ''));
  };
  const typical = [];
  for (let round = 0; round < 5; round++) {
    typeAndErase(loopRow, find(loopRow, '()') + 1, 'fail_silently=False', typical, 'inside the send call');
    typeAndErase(sizeRow, lines[sizeRow].length, '0', typical, 'batch_size = 100 and back');
    typeAndErase(fillerRow, find(fillerRow, 'len(') + 4, 'x', typical, 'a filler view');
    typeAndErase(topRow, 0, 'def envoi(', typical, 'new top-level code between two views');
    typeAndErase(4500, find(4500, lines[4500].trim()[0] ?? '') + 1, 'abc', typical, 'near the end');
    shape = 'a new statement line in the loop';
    typical.push(edit(loopRow, lines[loopRow].length, 0, '\n        print(batch)')); // a new statement line in the loop
    typical.push(edit(loopRow, lines[loopRow].length, '\n        print(batch)'.length, ''));
  }
  expectSend('after edits');
  // The shape that was slow when the whole file was reparsed incrementally: the first character typed right after a
  // block ends (a trailing comment here) made tree-sitter-python reparse the rest of the file.
  const worst = [];
  for (let i = 0; i < 5; i++) typeAndErase(blockEnd, lines[blockEnd].length, ' #', worst, 'right after a block ends');
  const titles = lenses.lenses(doc, evidence).map((l) => l.command?.title ?? '');
  store.close(uri);
  return { openMs, typical, worst, cpu, labels, titles, firstTitles: first.map((l) => l.command?.title ?? '') };
}

const stats = (a) => {
  const s = [...a].sort((x, y) => x - y);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return `median ${q(0.5).toFixed(2)} ms, p95 ${q(0.95).toFixed(2)} ms, max ${s[s.length - 1].toFixed(2)} ms`;
};

const median = (a) => [...a].sort((x, y) => x - y)[Math.floor((a.length - 1) / 2)];
/** Per keystroke (same position in every run), the median (or the minimum) over the runs; then the worst keystroke of those. */
const medians = (runs, of = median) => runs[0].map((_, i) => of(runs.map((r) => r[i])));
const worstOfMedians = (runs, of = median) => Math.max(...medians(runs, of));
// The machine may be shared: one preempted keystroke makes the raw maximum a measure of the load, not of the code.
// So the whole scenario runs RUNS times and the verdict judges the worst keystroke's MEDIAN over the runs (each
// keystroke is the same edit of the same text in every run); the raw maximum and the CPU time are printed beside it.
const RUNS = Math.max(1, Number(process.env.INCIDENT_LENS_BENCH_RUNS ?? 5));
let over = false;
try {
  for (const [label, evidence] of [['no diagnosis', null], [`diagnosis loaded (seed incident, verdict ${seed.verdict})`, seed]]) {
    const runs = [];
    for (let k = 0; k < RUNS; k++) runs.push(run(evidence));
    const r = runs[runs.length - 1];
    // What is measured must be what the user sees: the fix lens first, then the evidence (or "diagnose").
    const want = evidence ? /^Corriger : sortir l.envoi de la requête/ : /^Corriger : /;
    if (!want.test(r.titles[0] ?? '') || r.titles.join('|') !== r.firstTitles.join('|') || (evidence && !/traceback|worker|HTTP/i.test(r.titles[1] ?? ''))) {
      throw new Error(`bench (${label}): unexpected lenses ${JSON.stringify(r.titles)} (at open: ${JSON.stringify(r.firstTitles)})`);
    }
    const all = runs.map((x) => [...x.typical, ...x.worst]);
    const rawMax = Math.max(...all.flat());
    const worstMedian = worstOfMedians(all);
    const worstCpu = worstOfMedians(runs.map((x) => x.cpu));
    const worstMin = worstOfMedians(all, (a) => Math.min(...a));
    over ||= worstMedian > GOAL_MS;
    const m = medians(all);
    const which = r.labels[m.indexOf(worstMedian)];
    console.log(`analyze [${label}]: ${lines.length}-line views.py, send at line ${sendLine}: first parse + analysis + lenses ${r.openMs.toFixed(1)} ms; lenses ${JSON.stringify(r.titles)}`);
    console.log(`analyze [${label}]: after an edit (statements reparsed + analysis + diagnostics + lenses), ${r.typical.length} keystrokes × ${RUNS} runs: ${stats(runs.flatMap((x) => x.typical))}`);
    console.log(`analyze [${label}]: first character typed right after a block ends (was the slow shape), ${r.worst.length} keystrokes × ${RUNS} runs: ${stats(runs.flatMap((x) => x.worst))}`);
    console.log(`analyze [${label}]: worst keystroke of ${all[0].length}: median over ${RUNS} runs ${worstMedian.toFixed(2)} ms wall, ${worstCpu.toFixed(2)} ms CPU (process, all threads), best of the runs ${worstMin.toFixed(2)} ms wall; raw max of any run ${rawMax.toFixed(2)} ms; the worst keystroke: ${which} (goal: worst keystroke <= ${GOAL_MS} ms: ${worstMedian <= GOAL_MS ? 'OK' : 'OVER'}; load average ${loadavg()[0].toFixed(2)} on ${cpus().length} CPUs, wall figures are noisy on a loaded machine)`);
  }
} finally {
  rmSync(project, { recursive: true, force: true });
}
if (over) process.exitCode = 1;
