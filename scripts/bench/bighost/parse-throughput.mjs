// P4 of the big-host bench, in a node of its own: parse+classify of the window's text (the engine's parseOutput, as
// the nginx_access source) against `grep -c` on the same text, 11 alternating runs. Its own process, because in the
// bench's, after P3's greps of 1 GiB and the diagnoses' buffers, the same parse took 5.5–6.2 ms instead of 3.0–3.9
// (measured 2026-12-06): the figure would be the bench's own garbage, not the parser.
// Usage: node parse-throughput.mjs CORE_BUNDLE WINDOW_FILE → one JSON line { parse: [ms…], count: [ms…], empty: [ms…], events }
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const [coreJs, winFile] = process.argv.slice(2);
const { catalogue, DEFAULT_PROFILE, buildWindow, parseOutput } = await import(coreJs);
const window = buildWindow({ at: '2025-01-15 22:20', tz: 'Europe/Paris' });
const src = catalogue(DEFAULT_PROFILE, window).find((s) => s.id === 'nginx_access');
const text = readFileSync(winFile, 'utf8');
const parse = [];
const count = [];
const empty = [];
let events = 0;
for (let i = 0; i < 11; i++) {
  let t = performance.now();
  events = parseOutput(src, text, { window, requestSlackMs: 60_000, isSendPost: () => false }).length;
  parse.push(performance.now() - t);
  if (!events) throw new Error('bench: no event parsed');
  t = performance.now();
  spawnSync('grep', ['-c', 'communiquer', winFile]);
  count.push(performance.now() - t);
  // what grep -c pays whatever the text: starting (the same command on an empty file)
  t = performance.now();
  spawnSync('grep', ['-c', 'communiquer', '/dev/null']);
  empty.push(performance.now() - t);
}
console.log(JSON.stringify({ parse, count, empty, events }));
