// Compiles the VS Code integration suites (test/vscode/suite/*.ts, test/vscode/french/*.ts) into out/vscode-test/<dir>/*.js, one CommonJS
// file per entry, for the extension host to require: `vscode` and `mocha` stay external (the host provides the
// first, the project's node_modules the second). out/ is git-ignored and outside lint.
import * as esbuild from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const suiteDir = join(root, 'test', 'vscode', 'suite');
export const outDir = join(root, 'out', 'vscode-test', 'suite');

// the French instance's suites (test/vscode/french: installs the display language, then runs its own *.test.ts)
const frenchDir = join(root, 'test', 'vscode', 'french');
export const frenchOutDir = join(root, 'out', 'vscode-test', 'french');

for (const [from, to] of [[suiteDir, outDir], [frenchDir, frenchOutDir]]) {
  rmSync(to, { recursive: true, force: true });
  const entries = readdirSync(from).filter((f) => f === 'index.ts' || f.endsWith('.test.ts'));
  await esbuild.build({
    entryPoints: entries.map((f) => join(from, f)),
    outdir: to,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    logLevel: 'warning',
    external: ['vscode', 'mocha'],
  });
  console.log(`built ${entries.length} suite files into ${to}`);
}
