// Runs node's test runner over every *.test.ts below the given folders (Node 20 has no --test globs).
// TypeScript is loaded through tsx. Usage: node scripts/run-tests.mjs test/unit [test/host ...]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const extra = args.filter((a) => a.startsWith('--'));
const dirs = args.filter((a) => !a.startsWith('--'));
const files = [];
const walk = (p) => {
  const st = statSync(p);
  if (st.isDirectory()) for (const f of readdirSync(p).sort()) walk(join(p, f));
  else if (/\.test\.ts$/.test(p)) files.push(p);
};
for (const d of dirs.length ? dirs : ['test/unit']) walk(d);
if (!files.length) {
  console.error('no test files under', dirs.join(' '));
  process.exit(1);
}
// Files that start the real test host (sshd in private namespaces: testhost.sh needs root) are skipped, with the
// reason on one line, when not root; the rest still run.
const NEEDS_ROOT = /\b(startTestHost|useTestHost|startLogHost|startForwardingHost|startFleet)\(/;
if (process.getuid?.() !== 0) {
  const skipped = files.filter((f) => NEEDS_ROOT.test(readFileSync(f, 'utf8')));
  for (const f of skipped) console.log(`# skip ${f}: needs root (the real test host runs sshd in private namespaces)`);
  files.splice(0, files.length, ...files.filter((f) => !skipped.includes(f)));
  if (!files.length) process.exit(0);
}
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...extra, ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
