// Bench: the UI's own work on a diagnosis — building every node of the Log Sources tree and rendering the
// timeline page — for the seed incident and for a busy one (20,000 events over a 2-hour window); and the
// incident-log grammar's throughput on every fixture log line.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { tsImport } from 'tsx/esm/api';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { diagnose, DEFAULT_PROFILE, LocalRunner, rootNodes, childNodes, buildTimeline, incidentMoment, renderTimelinePage } = await tsImport('./uiParts.ts', import.meta.url);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const time = (f, n = 20) => {
  const t = [];
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    f();
    t.push(performance.now() - s);
  }
  return median(t);
};

const seed = await diagnose(new LocalRunner(), { profile: DEFAULT_PROFILE, root: join(root, 'test/fixtures/hosts/seed-incident'), at: '2025-01-15 22:20', tz: 'Europe/Paris' });
// a busy diagnosis: the seed's sources with 20,000 access lines spread over two hours
const since = Date.parse('2025-01-15T21:20:00+01:00');
const busy = structuredClone(seed);
busy.window = { ...busy.window, since: '2025-01-15T21:20:00.000+01:00', until: '2025-01-15T23:20:00.000+01:00' };
const access = busy.sources.find((s) => s.id === 'nginx_access');
access.events = Array.from({ length: 20000 }, (_, i) => ({ time: new Date(since + i * 360).toISOString(), source: 'nginx_access', line: `x.x.x.x - - [..] "GET /p/${i} HTTP/1.1" ${i % 50 ? 200 : 502} 1`, kind: i % 50 ? 'request' : 'http_error', lineNo: i + 1 }));

const walk = (d) => {
  const store = { state: 'done', run: undefined, diagnosis: d };
  let n = 0;
  const go = (ns) => ns.forEach((x) => { n++; go(childNodes(x)); });
  go(rootNodes(store));
  return n;
};
const page = (d) => renderTimelinePage(buildTimeline(d, incidentMoment(d)), { cspSource: 'vscode-webview://x', cssUri: 'vscode-webview://x/t.css' }).length;

for (const [name, d] of [['seed', seed], ['busy (20,000 events, 2 h)', busy]]) {
  const nodes = walk(d);
  const treeMs = time(() => walk(d));
  const bytes = page(d);
  const tlMs = time(() => page(d));
  console.log(`${name}: whole tree ${nodes} nodes built in ${treeMs.toFixed(2)} ms (median of 20); timeline page ${(bytes / 1024).toFixed(0)} KiB in ${tlMs.toFixed(2)} ms`);
}

// grammar throughput on every fixture line
const require = createRequire(import.meta.url);
const tm = require('vscode-textmate');
const onig = require('vscode-oniguruma');
await onig.loadWASM(readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm')).buffer);
const registry = new tm.Registry({
  onigLib: Promise.resolve({ createOnigScanner: (p) => new onig.OnigScanner(p), createOnigString: (s) => new onig.OnigString(s) }),
  loadGrammar: async () => tm.parseRawGrammar(readFileSync(join(root, 'syntaxes/incident-log.tmLanguage.json'), 'utf8'), 'x.json'),
});
const grammar = await registry.loadGrammar('text.log.incident');
const lines = [];
const collect = (dir) => {
  for (const n of readdirSync(dir)) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) collect(p);
    else if (/\.(log|gz)$|syslog|mail\.|error|access/.test(n)) {
      const buf = readFileSync(p);
      lines.push(...(n.endsWith('.gz') ? gunzipSync(buf) : buf).toString('utf8').split('\n'));
    }
  }
};
collect(join(root, 'test/fixtures/hosts'));
let state = tm.INITIAL;
const t0 = performance.now();
let chars = 0;
for (const l of lines) {
  state = grammar.tokenizeLine(l, state).ruleStack;
  chars += l.length;
}
const ms = performance.now() - t0;
console.log(`grammar: ${lines.length} fixture lines (${(chars / 1024).toFixed(0)} KiB) tokenized in ${ms.toFixed(0)} ms = ${Math.round(lines.length / (ms / 1000))} lines/s`);
