// Loads tree-sitter (web-tree-sitter WASM) and the Python grammar once, and parses Python text, incrementally
// when an old tree and the edit are given. The .wasm files are looked up next to the running script first
// (dist/ holds copies made by scripts/build.mjs), then in node_modules (tests and the CLI run from source).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Edit, Language, Node, Parser, Query, Tree } from 'web-tree-sitter';

// require() (not import) so that esbuild bundles the CommonJS build: the ESM build relies on import.meta.url,
// which is empty in the CommonJS bundles of dist/.
const TreeSitter = require('web-tree-sitter') as typeof import('web-tree-sitter');

export type { Edit, Node, Tree };

export interface PythonParser {
  parser: Parser;
  language: Language;
  /** Parse the text; pass the previous tree (already `edit`ed) for an incremental parse. */
  parse(text: string, old?: Tree): Tree;
  query(source: string): Query;
}

function findWasm(file: string, moduleSpec: string): string {
  const candidates = [join(__dirname, file), join(__dirname, '..', file), join(__dirname, '..', '..', 'dist', file)];
  for (const c of candidates) if (existsSync(c)) return c;
  try {
    return require.resolve(moduleSpec).split('?')[0];
  } catch {
    throw new Error(`cannot find ${file} (looked in ${candidates.join(', ')} and node_modules)`);
  }
}

let loading: Promise<PythonParser> | undefined;

/** The shared Python parser (initialised once per process). */
export function loadPythonParser(): Promise<PythonParser> {
  loading ??= (async () => {
    const runtime = findWasm('tree-sitter.wasm', 'web-tree-sitter/tree-sitter.wasm');
    await TreeSitter.Parser.init({ locateFile: () => runtime, wasmBinary: readFileSync(runtime) } as object);
    const language = await TreeSitter.Language.load(readFileSync(findWasm('tree-sitter-python.wasm', 'tree-sitter-python/tree-sitter-python.wasm')));
    const parser = new TreeSitter.Parser();
    parser.setLanguage(language);
    const queries = new Map<string, Query>();
    return {
      parser,
      language,
      parse(text: string, old?: Tree): Tree {
        const tree = parser.parse(text, old ?? null);
        if (!tree) throw new Error('tree-sitter returned no tree');
        return tree;
      },
      query(source: string): Query {
        let q = queries.get(source);
        if (!q) queries.set(source, (q = new TreeSitter.Query(language, source)));
        return q;
      },
    };
  })();
  return loading;
}

/** True when the tree holds an ERROR or MISSING node. */
export function hasSyntaxErrors(tree: Tree): boolean {
  return tree.rootNode.hasError;
}

/** The first ERROR/MISSING node, for messages. */
export function firstSyntaxError(tree: Tree): Node | undefined {
  const walk = (n: Node): Node | undefined => {
    if (n.isError || n.isMissing) return n;
    if (!n.hasError) return undefined;
    for (const c of n.children) {
      if (!c) continue;
      const f = walk(c);
      if (f) return f;
    }
    return n;
  };
  return tree.rootNode.hasError ? walk(tree.rootNode) : undefined;
}
