// Finds the Django settings module of the project a file belongs to: walk up to manage.py, read its
// DJANGO_SETTINGS_MODULE with tree-sitter, else look for <package>/settings.py next to manage.py.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import type { PythonParser } from './parser';
import { calleeName, descendants, positional } from './nodes';

export function findProjectRoot(file: string, maxUp = 8): string | undefined {
  // Unsaved (untitled:) documents belong to no project.
  if (!isAbsolute(file)) return undefined;
  let dir = dirname(file);
  for (let i = 0; i < maxUp; i++) {
    if (existsSync(join(dir, 'manage.py'))) return dir;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return undefined;
}

function settingsModuleOf(parser: PythonParser, manage: string): string | undefined {
  const tree = parser.parse(readFileSync(manage, 'utf8'));
  try {
    for (const d of descendants(tree.rootNode, false)) {
      if (d.type !== 'call' || calleeName(d) !== 'setdefault') continue;
      const [k, v] = positional(d);
      const str = (n: typeof k) => (n?.type === 'string' ? n.namedChildren.filter((c) => c?.type === 'string_content').map((c) => c!.text).join('') : undefined);
      if (str(k) === 'DJANGO_SETTINGS_MODULE') return str(v);
    }
    return undefined;
  } finally {
    tree.delete();
  }
}

/** Absolute path of the project's settings.py, or undefined. */
export function findSettingsFile(parser: PythonParser, file: string): string | undefined {
  const root = findProjectRoot(file);
  if (!root) return undefined;
  const mod = settingsModuleOf(parser, join(root, 'manage.py'));
  if (mod) {
    const base = join(root, ...mod.split('.'));
    if (existsSync(base + '.py')) return base + '.py';
    if (existsSync(join(base, '__init__.py'))) return join(base, '__init__.py');
  }
  for (const name of readdirSync(root).sort()) {
    const p = join(root, name, 'settings.py');
    try {
      if (statSync(join(root, name)).isDirectory() && existsSync(p)) return p;
    } catch {
      // unreadable entry: skip
    }
  }
  return undefined;
}
