// Bundles the extension, the language server and the CLI with esbuild.
// ssh2's optional native parts (cpu-features, sshcrypto.node) are left out: ssh2 falls back to pure JS.
import * as esbuild from 'esbuild';
import { existsSync, mkdirSync, copyFileSync, chmodSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const production = process.argv.includes('--production');
const dist = join(root, 'dist');
mkdirSync(dist, { recursive: true });

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  // Optional native add-ons: ssh2 requires them inside try/catch and falls back to JS.
  external: ['vscode', 'cpu-features', '*.node'],
};

const entries = [
  { in: 'src/extension.ts', out: 'extension.js' },
  { in: 'src/server/main.ts', out: 'server.js' },
  { in: 'src/cli/main.ts', out: 'cli.js', banner: '#!/usr/bin/env node' },
];

for (const e of entries) {
  if (!existsSync(join(root, e.in))) continue;
  await esbuild.build({
    ...common,
    entryPoints: [join(root, e.in)],
    outfile: join(dist, e.out),
    banner: e.banner ? { js: e.banner } : undefined,
  });
  if (e.banner) chmodSync(join(dist, e.out), 0o755);
}

// WASM files the language server loads at run time.
for (const [from, to] of [
  ['node_modules/web-tree-sitter/tree-sitter.wasm', 'tree-sitter.wasm'],
  ['node_modules/tree-sitter-python/tree-sitter-python.wasm', 'tree-sitter-python.wasm'],
]) {
  if (existsSync(join(root, from))) copyFileSync(join(root, from), join(dist, to));
}
console.log(`built ${production ? '(production) ' : ''}into dist/`);
