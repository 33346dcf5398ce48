// Fix "Move the send out of the request" (HTTP timeout / OOM kill of the request): the view records the send and
// answers at once; a background job sends the batches with per-batch error handling and progress logs. The job is
// a Celery task (@shared_task + .delay) when the project has a Celery app, else a management command that a
// systemd path unit starts when the view queues a job file (the unit files are written into the workspace for
// review; nothing is written on the host).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Node, Tree } from 'web-tree-sitter';
import type { FoundSend } from './analyze';
import type { AppLang } from './appLanguage';
import { applyOffsetEdits, type OffsetEdit } from './edits';
import { addFromImport, moduleLogger } from './imports';
import { eolOf, indentOf, indentUnit, lineEndOf, lineStartOf } from './layout';
import { bindingOf, boundNames, readNames } from './freeNames';
import { field, kids } from './nodes';
import type { PythonParser } from './parser';
import { findProjectRoot } from './settingsLocator';
import { requestExpr } from './fixTryExcept';
import { commandModule, jobFunction, systemdUnits, type Job } from './jobModule';
import { msg, render, t, type Localized } from '../core/l10n';

export type BackgroundTarget = 'celery' | 'command';

export interface BackgroundOptions {
  lang?: AppLang;
  /** Forces the target (tests); default: celery when the project has a Celery app. */
  target?: BackgroundTarget;
  /** The app's folder on the host (for the systemd units); default /var/www/<project>. */
  appDir?: string;
}

export interface FileChange {
  path: string;
  /** The new content. */
  text: string;
  /** The content before (undefined: a new file). */
  before?: string;
  /** For the edited Python file: the edits against `before`. */
  edits?: OffsetEdit[];
}

export interface BackgroundFix {
  target: BackgroundTarget;
  jobName: string;
  files: FileChange[];
}

/** Does the project have a Celery app (a celery.py creating Celery(...), or tasks using shared_task)? */
export function hasCelery(file: string): boolean {
  const root = findProjectRoot(file);
  if (!root) return false;
  for (const name of readdirSync(root)) {
    const p = join(root, name, 'celery.py');
    try {
      if (existsSync(p) && /\bCelery\s*\(/.test(readFileSync(p, 'utf8'))) return true;
    } catch {
      // unreadable: not ours to judge
    }
  }
  return false;
}

interface Plan {
  args: string[];
  copies: Node[];
  imports: Node[];
  fromView: string[];
  blocker?: Localized;
}

/** What the moved loop needs: arguments from the view, statements to recompute, imports, names of the view module. */
export function planJob(f: FoundSend, tree: Tree): Plan {
  const fn = f.functionNode!;
  const plan: Plan = { args: [], copies: [], imports: [], fromView: [] };
  const seen = new Set<string>();
  const visit = (names: string[], at: Node): void => {
    for (const name of names) {
      if (seen.has(name)) continue;
      seen.add(name);
      const b = bindingOf(name, fn, at, tree);
      if (!b) continue;
      if (b.kind === 'param') {
        if (['request', 'self', 'cls', 'form'].includes(name)) plan.blocker ??= msg('the loop uses {0}, which a background job cannot receive', name);
        else if (!plan.args.includes(name)) plan.args.push(name);
      } else if (b.kind === 'import') {
        if (!plan.imports.some((i) => i.id === b.node!.id)) plan.imports.push(b.node!);
      } else if (b.kind === 'module') plan.fromView.push(name);
      else {
        const right = field(kids(b.node!)[0], 'right');
        const deps = right ? readNames(right) : [];
        // Values read from the request (or any parameter) travel as arguments; the rest is recomputed by the job.
        if (deps.some((d) => dependsOnParam(d, fn, b.node!, tree, new Set()))) plan.args.push(name);
        else {
          if (!plan.copies.some((c) => c.id === b.node!.id)) plan.copies.push(b.node!);
          visit(deps, b.node!);
        }
      }
    }
  };
  visit(readNames(f.loop.node), f.loop.node);
  plan.copies.sort((a, b) => a.startIndex - b.startIndex);
  plan.imports.sort((a, b) => a.startIndex - b.startIndex);
  return plan;
}

function dependsOnParam(name: string, fn: Node, at: Node, tree: Tree, seen: Set<string>): boolean {
  if (seen.has(name)) return false;
  seen.add(name);
  const b = bindingOf(name, fn, at, tree);
  if (b?.kind === 'param') return true;
  if (b?.kind !== 'local') return false;
  const right = field(kids(b.node!)[0], 'right');
  return (right ? readNames(right) : []).some((d) => dependsOnParam(d, fn, b.node!, tree, seen));
}

/** The success message right after the region (it would claim a send that has not happened yet). */
function successAfter(region: Node): Node | undefined {
  let s = region.nextNamedSibling;
  while (s?.type === 'comment') s = s.nextNamedSibling;
  const call = s?.type === 'expression_statement' ? kids(s)[0] : undefined;
  const fn = call?.type === 'call' ? field(call, 'function')?.text : undefined;
  return s && (fn === 'messages.success' || fn === 'messages.info') ? s : undefined;
}

/** The view's new text: the loop region replaced by the enqueue call and a message saying what really happened. */
function viewEdits(text: string, tree: Tree, f: FoundSend, call: string, importLine: { module: string; name: string }, lang: AppLang): OffsetEdit[] {
  const eol = eolOf(text);
  const region = f.loop.node;
  const L = indentOf(text, region);
  const request = requestExpr(f);
  const comment = `# ${t(lang, 'Incident Lens: the send leaves the request (background job); the view answers at once.')}`;
  const lines = [`${L}${comment}`, `${L}${call}`];
  const edits: OffsetEdit[] = [];
  const success = successAfter(region);
  let end = lineEndOf(text, region.endIndex);
  if (request) {
    const msg = `${L}messages.info(${request}, ${JSON.stringify(t(lang, 'The send runs in the background: batches go out one by one; their progress and any failure are recorded in the server log.'))})`;
    if (success) {
      edits.push({ start: lineStartOf(text, success.startIndex), end: lineEndOf(text, success.endIndex), text: msg });
    } else lines.push(msg);
    if (!kids(tree.rootNode).some((s) => s.type === 'import_from_statement' && /\bmessages\b/.test(s.text))) edits.push(...addFromImport(text, tree, 'django.contrib', 'messages'));
  }
  if (success && lineStartOf(text, success.startIndex) <= end) end = lineEndOf(text, success.endIndex);
  edits.push({ start: lineStartOf(text, region.startIndex), end, text: lines.join(eol) });
  edits.push(...addFromImport(text, tree, importLine.module, importLine.name));
  return edits;
}

/** Why the background fix cannot apply to this send (English), or undefined. */
export function backgroundBlocker(f: FoundSend, tree: Tree, file: string): string | undefined {
  const why = backgroundBlockerText(f, tree, file);
  return why && render(why, 'en');
}

/** Why the background fix cannot apply to this send, as a catalogue message, or undefined. */
function backgroundBlockerText(f: FoundSend, tree: Tree, file: string): Localized | undefined {
  if (!f.functionNode) return msg('the send is not inside a function');
  if (!requestExpr(f)) return msg('the send does not run in a web request (no request)');
  if (!findProjectRoot(file)) return msg('no Django project (manage.py) above the file');
  if (basename(file) === 'tasks.py' || file.includes('/management/commands/')) return msg('the send already runs outside a request');
  const plan = planJob(f, tree);
  if (plan.blocker) return plan.blocker;
  const after = laterStatements(f).flatMap((s) => readNames(s));
  const lost = boundNames(f.loop.node).filter((n) => after.includes(n));
  if (lost.length) return msg('the code after the loop uses {0}, computed by the loop', lost.join(', '));
  return undefined;
}

function laterStatements(f: FoundSend): Node[] {
  const out: Node[] = [];
  const skip = successAfter(f.loop.node);
  for (let a: Node | null = f.loop.node; a && a.id !== f.functionNode?.id; a = a.parent) {
    if (a.parent?.type !== 'block') continue;
    for (let s = a.nextNamedSibling; s; s = s.nextNamedSibling) if (s.id !== skip?.id) out.push(s);
  }
  return out;
}

/** The whole fix: the job module (new or extended), the view's edits, and for the command target the systemd units. */
export function backgroundFix(parser: PythonParser, text: string, file: string, f: FoundSend, opts: BackgroundOptions = {}): BackgroundFix | undefined {
  const tree = f.node.tree;
  if (backgroundBlocker(f, tree, file)) return undefined;
  const lang = opts.lang ?? 'en';
  const target = opts.target ?? (hasCelery(file) ? 'celery' : 'command');
  const plan = planJob(f, tree);
  const view = f.call.function ?? 'envoi';
  const jobName = `send_${view}`;
  const unit = indentUnit(text, f.functionNode!);
  const appDir = dirname(file);
  const root = findProjectRoot(file)!;
  const files: FileChange[] = [];
  const jobFile = target === 'celery' ? join(appDir, 'tasks.py') : join(appDir, 'management', 'commands', `${jobName}.py`);
  const job = jobFunction(parser, { text, plan, region: f.loop.node, name: jobName, unit, view, lang, depth: target === 'celery' ? 1 : 3, helper: f.call.helper, file: jobFile });
  if (!job) return undefined;
  let call: string;
  let importLine: { module: string; name: string };
  if (target === 'celery') {
    const path = join(appDir, 'tasks.py');
    const before = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
    files.push({ path, before, text: celeryModule(parser, before, job, jobName, basename(appDir)) });
    call = `${jobName}.delay(${plan.args.join(', ')})`;
    importLine = { module: '.tasks', name: jobName };
  } else {
    const cmdDir = join(appDir, 'management', 'commands');
    for (const init of [join(appDir, 'management', '__init__.py'), join(cmdDir, '__init__.py')]) if (!existsSync(init)) files.push({ path: init, text: '' });
    const path = join(cmdDir, `${jobName}.py`);
    if (existsSync(path)) return undefined;
    const project = basename(root);
    const units = systemdUnits({ project, command: jobName, view, appDir: opts.appDir ?? `/var/www/${project}` });
    files.push({ path, text: commandModule(job, jobName, view, units[1].name.replace(/\.path$/, '')) });
    for (const u of units) files.push({ path: join(root, 'deploy', 'systemd', u.name), text: u.text });
    call = `enqueue_${jobName}(${plan.args.join(', ')})`;
    importLine = { module: `.management.commands.${jobName}`, name: `enqueue as enqueue_${jobName}` };
  }
  const edits = viewEdits(text, tree, f, call, importLine, lang);
  const out = applyOffsetEdits(text, edits);
  files.unshift({ path: file, before: text, text: out, edits });
  for (const c of files) if (c.path.endsWith('.py') && parseFails(parser, c.text)) return undefined;
  return { target, jobName, files };
}

function parseFails(parser: PythonParser, text: string): boolean {
  const t = parser.parse(text);
  try {
    return t.rootNode.hasError;
  } finally {
    t.delete();
  }
}

function celeryModule(parser: PythonParser, before: string | undefined, job: Job, jobName: string, app: string): string {
  const decorated = `@shared_task(name=${JSON.stringify(`${app}.${jobName}`)})\n${job.def}`;
  const wanted = ['import logging', 'import smtplib', ...job.imports];
  if (before === undefined) {
    const plain = wanted.filter((l) => l.startsWith('import ')).sort();
    const from = ['from celery import shared_task', ...wanted.filter((l) => l.startsWith('from '))];
    return `"""Background jobs of the ${app} app (Celery)."""\n${[...new Set(plain)].join('\n')}\n\n${[...new Set(from)].join('\n')}\n\nlogger = logging.getLogger(__name__)\n\n\n${decorated}`;
  }
  // An existing tasks.py: the missing imports after its own, a `logger` when it has none, then the task.
  const tree = parser.parse(before);
  try {
    const missing = [...wanted, 'from celery import shared_task'].filter((l) => !before.split('\n').some((x) => x.trim() === l));
    const imports = kids(tree.rootNode).filter((x) => x.type === 'import_statement' || x.type === 'import_from_statement');
    const at = imports.length ? lineEndOf(before, imports[imports.length - 1].endIndex) : 0;
    const add = missing.map((l) => '\n' + l).join('') + (moduleLogger(tree) === 'logger' ? '' : '\n\nlogger = logging.getLogger(__name__)');
    const base = at ? before.slice(0, at) + add + before.slice(at) : add.trimStart() + '\n' + before;
    return base.replace(/\s*$/, '\n\n\n') + decorated;
  } finally {
    tree.delete();
  }
}
