// `npm run bench`: runs every scripts/bench/*.mjs (each prints its own figures) in name order.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'bench');
const only = process.argv.slice(2);
for (const f of readdirSync(dir).filter((n) => n.endsWith('.mjs')).sort()) {
  if (only.length && !only.some((o) => f.includes(o))) continue;
  console.log(`--- ${f}`);
  await import(pathToFileURL(join(dir, f)).href);
}
