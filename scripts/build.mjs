// Bundles the extension, the language server and the CLI with esbuild.
// ssh2's optional native parts (cpu-features, sshcrypto.node) are left out: ssh2 falls back to pure JS.
// The extension is split so that activation stays light: dist/extension.js holds the UI, and requires on first use
// dist/engine.js (diagnosis, fleet, follow, SSH with ssh2: src/lazy/engine.ts) and dist/client.js (the language
// client: src/lazy/client.ts); dist/base.js holds what both sides must share as one copy: the error classes they
// throw and test with instanceof, and the catalogue, whose tx() records the templates translateText recognises.
// esbuild splits only ES modules, so each chunk is its own CommonJS bundle and the plugin below turns an import of
// a chunk's source into a require of the chunk file beside it.
import * as esbuild from 'esbuild';
import { existsSync, mkdirSync, copyFileSync, chmodSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
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

/** Source file → the chunk that holds it (and is required instead of bundling it again). */
const CHUNKS = new Map([
  ['src/lazy/engine.ts', 'engine.js'],
  ['src/lazy/client.ts', 'client.js'],
  ['src/lazy/base.ts', 'base.js'],
  ['src/core/exec.ts', 'base.js'],
  ['src/core/errors.ts', 'base.js'],
  ['src/core/l10n.ts', 'base.js'],
].map(([src, out]) => [join(root, src), out]));

/** Imports of another chunk's sources become `require('./<chunk>.js')`; `own` is the chunk being built. */
const chunked = (own) => ({
  name: 'lazy-chunks',
  setup(b) {
    b.onResolve({ filter: /^\.\.?\// }, (a) => {
      const abs = resolve(a.resolveDir, a.path);
      const out = CHUNKS.get(abs) ?? CHUNKS.get(`${abs}.ts`);
      return out && out !== own ? { path: `./${out}`, external: true } : undefined;
    });
  },
});

/**
 * `import * as vscode from 'vscode'` in each of the UI's modules would copy the whole API object once per module
 * (esbuild's __toESM of an external): one ES module re-exports it instead, so it is copied once per bundle.
 */
const vscodeOnce = {
  name: 'vscode-once',
  setup(b) {
    b.onResolve({ filter: /^vscode$/ }, (a) => (a.namespace === 'vscode-once' ? { path: 'vscode', external: true } : { path: 'vscode', namespace: 'vscode-once' }));
    b.onLoad({ filter: /.*/, namespace: 'vscode-once' }, () => ({ contents: "export * from 'vscode';", loader: 'js' }));
  },
};

const entries = [
  { in: 'src/extension.ts', out: 'extension.js', chunk: true },
  { in: 'src/lazy/engine.ts', out: 'engine.js', chunk: true },
  { in: 'src/lazy/client.ts', out: 'client.js', chunk: true },
  { in: 'src/lazy/base.ts', out: 'base.js', chunk: true },
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
    plugins: e.chunk ? [chunked(e.out), vscodeOnce] : [],
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
