// Runs node's test runner over every *.test.ts below the given folders (Node 20 has no --test globs).
// TypeScript is loaded through tsx. Usage: node scripts/run-tests.mjs test/unit [test/host ...]
import { readdirSync, statSync } from 'node:fs';
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
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...extra, ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
