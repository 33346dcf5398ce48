// URL routes of a Django project, read from its URLconf with tree-sitter: ROOT_URLCONF (settings) → path()
// entries and include("app.urls") prefixes → view function name → URL paths ("adherents/communiquer/").
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Node } from 'web-tree-sitter';
import type { PythonParser } from './parser';
import { calleeName, descendants, field, kids, positional } from './nodes';
import { findProjectRoot, findSettingsFile } from './settingsLocator';

function stringValue(n: Node | undefined): string | undefined {
  if (n?.type !== 'string') return undefined;
  return kids(n).filter((c) => c.type === 'string_content').map((c) => c.text).join('');
}

function moduleFile(root: string, dotted: string): string | undefined {
  const base = join(root, ...dotted.split('.'));
  if (existsSync(base + '.py')) return base + '.py';
  if (existsSync(join(base, '__init__.py'))) return join(base, '__init__.py');
  return undefined;
}

/** The view's name as routed: `views.adherents_communiquer` → adherents_communiquer, `Vue.as_view()` → Vue. */
function viewName(n: Node | undefined): string | undefined {
  if (!n) return undefined;
  if (n.type === 'identifier') return n.text;
  if (n.type === 'attribute') return field(n, 'attribute')?.text;
  if (n.type === 'call' && calleeName(n) === 'as_view') return viewName(field(field(n, 'function'), 'object') ?? undefined);
  return undefined;
}

function collect(parser: PythonParser, root: string, file: string, prefix: string, out: Map<string, string[]>, depth: number, seen: Set<string>): void {
  if (depth > 6 || seen.has(file)) return;
  seen.add(file);
  const tree = parser.parse(readFileSync(file, 'utf8'));
  try {
    for (const call of descendants(tree.rootNode, false)) {
      if (call.type !== 'call' || calleeName(call) !== 'path') continue;
      const [routeNode, target] = positional(call);
      const route = stringValue(routeNode);
      if (route === undefined || !target) continue;
      if (target.type === 'call' && calleeName(target) === 'include') {
        const mod = stringValue(positional(target)[0]);
        const sub = mod ? moduleFile(root, mod) : undefined;
        if (sub) collect(parser, root, sub, prefix + route, out, depth + 1, seen);
        continue;
      }
      const name = viewName(target);
      if (!name) continue;
      const list = out.get(name) ?? [];
      list.push('/' + prefix + route);
      out.set(name, list);
    }
  } finally {
    tree.delete();
  }
}

/** View name → URL paths (Django `path()` syntax, `<int:pk>` for parameters). Empty when no URLconf is found. */
export function projectRoutes(parser: PythonParser, anyFile: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const root = findProjectRoot(anyFile);
  const settings = findSettingsFile(parser, anyFile);
  if (!root || !settings) return out;
  const tree = parser.parse(readFileSync(settings, 'utf8'));
  let urlconf: string | undefined;
  try {
    for (const s of kids(tree.rootNode)) {
      const a = s.type === 'expression_statement' ? kids(s)[0] : undefined;
      if (a?.type === 'assignment' && field(a, 'left')?.text === 'ROOT_URLCONF') urlconf = stringValue(field(a, 'right') ?? undefined);
    }
  } finally {
    tree.delete();
  }
  const file = urlconf ? moduleFile(root, urlconf) : undefined;
  if (file) collect(parser, root, file, '', out, 0, new Set());
  return out;
}

/** Does a request path match a Django route (`<...>` parameters match one segment)? */
export function routeMatches(route: string, path: string): boolean {
  const seg = (p: string) => p.split('?')[0].split('/').filter(Boolean);
  const r = seg(route);
  const p = seg(path);
  return r.length === p.length && r.every((s, i) => (s.startsWith('<') && s.endsWith('>')) || s === p[i]);
}
