// Shared helpers for the Python analysis tests: parse, analyse, check a patched file with python3 -m py_compile.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyLineEdits } from '../../src/python/edits';
import { analyzeTree } from '../../src/python/analyze';
import type { SendCall } from '../../src/python/model';
import { loadPythonParser, type PythonParser } from '../../src/python/parser';

export async function parser(): Promise<PythonParser> {
  return loadPythonParser();
}

export async function sendsOf(src: string, file = 'gestion/views.py'): Promise<SendCall[]> {
  const p = await loadPythonParser();
  const tree = p.parse(src);
  try {
    return analyzeTree(p, tree, file).sends;
  } finally {
    tree.delete();
  }
}

/** Parses with tree-sitter (no ERROR/MISSING) and byte-compiles with CPython; returns the problem or ''. */
export async function checkPython(src: string): Promise<string> {
  const p = await loadPythonParser();
  const tree = p.parse(src);
  const bad = tree.rootNode.hasError;
  tree.delete();
  if (bad) return 'tree-sitter: ERROR/MISSING nodes';
  const dir = mkdtempSync(join(tmpdir(), 'il-pyc-'));
  try {
    const f = join(dir, 'patched.py');
    writeFileSync(f, src);
    const r = spawnSync('python3', ['-m', 'py_compile', f], { encoding: 'utf8' });
    return r.status === 0 ? '' : `py_compile: ${r.stderr}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Dedents a template literal (first line empty) so the Python snippets can be written indented. */
export function py(s: string): string {
  const lines = s.replace(/^\n/, '').split('\n');
  const ind = Math.min(...lines.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
  return lines.map((l) => l.slice(ind)).join('\n');
}

/** Applies an LSP WorkspaceEdit (changes or documentChanges with file creations) to the files on disk. */
export function applyWorkspaceEditToDisk(edit: { changes?: Record<string, unknown[]>; documentChanges?: unknown[] }): string[] {
  const touched: string[] = [];
  const apply = (uri: string, edits: unknown[]) => {
    const path = fileURLToPath(uri);
    const before = existsSync(path) ? readFileSync(path, 'utf8') : '';
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, applyLineEdits(before, edits as Parameters<typeof applyLineEdits>[1]));
    if (!touched.includes(path)) touched.push(path);
  };
  for (const [uri, edits] of Object.entries(edit.changes ?? {})) apply(uri, edits);
  for (const c of (edit.documentChanges ?? []) as { kind?: string; uri?: string; textDocument?: { uri: string }; edits?: unknown[] }[]) {
    if (c.kind === 'create' && c.uri) {
      const path = fileURLToPath(c.uri);
      mkdirSync(dirname(path), { recursive: true });
      if (!existsSync(path)) writeFileSync(path, '');
    } else if (c.textDocument && c.edits) apply(c.textDocument.uri, c.edits);
  }
  return touched;
}
