// Sending functions of the app's other modules: `from .mailing import envoyer_lot`, `from gestion import mailing`,
// `import gestion.mailing as mailing`. Only files of the project (found next to or above the importing file) are
// read; each module's helpers are cached by modification time.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { Node, Tree } from 'web-tree-sitter';
import { analyzeStatement, buildHelpers, importedNames, type Helper } from './analyze';
import type { PythonParser } from './parser';
import { field, kids } from './nodes';

export type ExternalHelper = Helper & { file: string };

const cache = new Map<string, { mtime: number; helpers: Map<string, Helper> }>();

function moduleFile(base: string, parts: string[]): string | undefined {
  const p = join(base, ...parts);
  if (parts.length && existsSync(p + '.py')) return p + '.py';
  if (existsSync(join(p, '__init__.py'))) return join(p, '__init__.py');
  return undefined;
}

/** The file of a dotted module as imported from `from`: relative (leading dots) or absolute from a folder above. */
function resolveModule(fromFile: string, dots: number, dotted: string): string | undefined {
  const parts = dotted ? dotted.split('.') : [];
  if (dots > 0) {
    let base = dirname(fromFile);
    for (let i = 1; i < dots; i++) base = dirname(base);
    return moduleFile(base, parts);
  }
  let base = dirname(fromFile);
  for (let i = 0; i < 5 && parts.length; i++) {
    const f = moduleFile(base, parts);
    if (f) return f;
    const up = dirname(base);
    if (up === base) break;
    base = up;
  }
  return undefined;
}

/** The sending functions a module defines (its own sends and the functions calling them). */
export function moduleHelpers(parser: PythonParser, file: string): Map<string, Helper> {
  let mtime: number;
  try {
    mtime = statSync(file).mtimeMs;
  } catch {
    return new Map();
  }
  const hit = cache.get(file);
  if (hit && hit.mtime === mtime) return hit.helpers;
  const tree = parser.parse(readFileSync(file, 'utf8'));
  try {
    const modules = importedNames(tree);
    const helpers = buildHelpers(kids(tree.rootNode).map((s) => analyzeStatement(parser, s, file, modules)));
    cache.set(file, { mtime, helpers });
    return helpers;
  } finally {
    tree.delete();
  }
}

function importTarget(n: Node): { dots: number; dotted: string } {
  if (n.type === 'relative_import') {
    const prefix = kids(n).find((k) => k.type === 'import_prefix');
    const dotted = kids(n).find((k) => k.type === 'dotted_name')?.text ?? '';
    return { dots: prefix ? prefix.text.length : 0, dotted };
  }
  return { dots: 0, dotted: n.text };
}

/** The top-level import statements of a tree (their text is what the result depends on). */
export function importStatements(tree: Tree): Node[] {
  return kids(tree.rootNode).filter((s) => s.type === 'import_from_statement' || s.type === 'import_statement');
}

/** Local name (`envoyer_lot`, `mailing.envoyer`) → sending function of another module of the project. */
export function importedHelpers(parser: PythonParser, tree: Tree, file: string): Map<string, ExternalHelper> {
  const out = new Map<string, ExternalHelper>();
  if (!file) return out;
  const abs = isAbsolute(file) ? file : resolve(file);
  // An absolute path may name a module not written yet (the background job's, whose loop calls the app's helpers).
  if (!isAbsolute(file) && !existsSync(abs)) return out;
  const addModule = (local: string, modFile: string) => {
    for (const [name, h] of moduleHelpers(parser, modFile)) out.set(`${local}.${name}`, { ...h, file: modFile });
  };
  for (const s of importStatements(tree)) {
    if (s.type === 'import_statement') {
      for (const k of kids(s)) {
        const dotted = k.type === 'aliased_import' ? field(k, 'name')?.text : k.type === 'dotted_name' ? k.text : undefined;
        const local = k.type === 'aliased_import' ? field(k, 'alias')?.text : dotted;
        const f = dotted ? resolveModule(abs, 0, dotted) : undefined;
        if (f && local && f !== abs) addModule(local, f);
      }
      continue;
    }
    const mod = field(s, 'module_name');
    if (!mod) continue;
    const { dots, dotted } = importTarget(mod);
    const modFile = resolveModule(abs, dots, dotted);
    for (const k of kids(s).slice(1)) {
      const name = k.type === 'aliased_import' ? field(k, 'name')?.text : k.type === 'dotted_name' ? k.text : undefined;
      const local = k.type === 'aliased_import' ? field(k, 'alias')?.text : name;
      if (!name || !local) continue;
      // `from gestion import mailing`: a submodule.
      const sub = resolveModule(abs, dots, dotted ? `${dotted}.${name}` : name);
      if (sub && sub !== abs) {
        addModule(local, sub);
        continue;
      }
      const h = modFile && modFile !== abs ? moduleHelpers(parser, modFile).get(name) : undefined;
      if (h) out.set(local, { ...h, file: modFile! });
    }
  }
  return out;
}
