// Bench: what activation costs and what the package weighs. Packages the extension as `npm run package` does
// (production bundles, minified), then requires dist/extension.js in a fresh node process per sample — `vscode`
// stubbed with the names @types/vscode declares, as a bench can — and prints the median of N with its goal; then the
// .vsix's size with its goal. A verdict that misses its goal sets a failing exit code (figures, not test assertions).
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SAMPLES = Number(process.env.INCIDENT_LENS_BENCH_SAMPLES ?? 15);
const REQUIRE_GOAL_MS = 30;
const VSIX_GOAL_BYTES = 1_000_000;

// one sample: a fresh process stubs `vscode`, times require() of the bundle, and says which chunks it loaded
const probe = `
const Module = require('node:module');
const names = ${JSON.stringify(vscodeNames())};
const fn = () => new Proxy(function () {}, { get: () => fn(), apply: () => fn() });
const stub = { version: '1.100.0' };
for (const [kind, name] of names) stub[name] = kind === 'class' ? class {} : fn();
const load = Module._load;
Module._load = function (request, ...rest) { return request === 'vscode' ? stub : load.call(this, request, ...rest); };
const bundle = process.argv[2];
const t = process.hrtime.bigint();
require(bundle);
const ms = Number(process.hrtime.bigint() - t) / 1e6;
const loaded = Object.keys(require.cache).map((k) => require('node:path').relative(require('node:path').dirname(bundle), k));
// what the first diagnosis and the first Python file add, in the same process
const later = (f) => { const t0 = process.hrtime.bigint(); require(require('node:path').join(require('node:path').dirname(bundle), f)); return Number(process.hrtime.bigint() - t0) / 1e6; };
console.log(JSON.stringify({ ms, loaded, engine: later('engine.js'), client: later('client.js') }));
`;

/** The classes, enums and namespaces the VS Code API declares (what the bundle's top level may touch). */
function vscodeNames() {
  const d = readFileSync(join(root, 'node_modules/@types/vscode/index.d.ts'), 'utf8');
  return [...d.matchAll(/^\texport (class|enum|namespace) (\w+)/gm)].map((m) => [m[1], m[2]]);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const verdict = (ok) => (ok ? 'PASS' : 'FAIL');

execFileSync('npm', ['run', '--silent', 'package'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
const vsix = join(root, 'dist/incident-lens.vsix');
const dir = mkdtempSync(join(tmpdir(), 'il-bench-activation-'));
const probeFile = join(dir, 'probe.cjs');
writeFileSync(probeFile, probe);
const bundle = join(root, 'dist/extension.js');
const samples = [];
const firstUse = { engine: [], client: [] };
let loaded = [];
try {
  for (let i = 0; i < SAMPLES; i++) {
    const r = JSON.parse(execFileSync(process.execPath, [probeFile, bundle], { encoding: 'utf8' }));
    samples.push(r.ms);
    firstUse.engine.push(r.engine);
    firstUse.client.push(r.client);
    loaded = r.loaded.filter((f) => !f.includes('probe.cjs'));
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const ms = median(samples);
const lazy = ['engine.js', 'client.js'].filter((c) => loaded.includes(c));
const kib = (f) => `${(statSync(join(root, 'dist', f)).size / 1024).toFixed(0)} KiB`;
console.log(`bundles (production, minified): extension.js ${kib('extension.js')}; on first use engine.js ${kib('engine.js')}, client.js ${kib('client.js')}`);
console.log(`require('dist/extension.js'), vscode stubbed, fresh node per sample: median ${ms.toFixed(1)} ms of ${SAMPLES} (min ${Math.min(...samples).toFixed(1)}, max ${Math.max(...samples).toFixed(1)}) — goal ≤ ${REQUIRE_GOAL_MS} ms: ${verdict(ms <= REQUIRE_GOAL_MS)}`);
console.log(`  files it required: ${loaded.join(', ')} — engine and language client left for first use: ${verdict(lazy.length === 0)}${lazy.length ? ` (loaded ${lazy.join(', ')})` : ''}`);
console.log(`  then, on first use: require('dist/engine.js') median ${median(firstUse.engine).toFixed(1)} ms, require('dist/client.js') ${median(firstUse.client).toFixed(1)} ms`);
const size = statSync(vsix).size;
console.log(`.vsix (npm run package): ${(size / 1e6).toFixed(2)} MB (${size} bytes) — goal ≤ ${VSIX_GOAL_BYTES / 1e6} MB: ${verdict(size <= VSIX_GOAL_BYTES)}`);
if (ms > REQUIRE_GOAL_MS || lazy.length || size > VSIX_GOAL_BYTES) process.exitCode = 1;
// leave dist/ as `npm run build` leaves it (with source maps); the .vsix stays beside it
execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
