// Every fix behind one entry point, each checked: the patched text must parse without ERROR/MISSING nodes.
// The order in which they are offered follows the last diagnosis' verdict (fixOrder).
import type { FoundSend } from './analyze';
import { findSends } from './analyze';
import { appLanguage, type AppLang } from './appLanguage';
import { applyOffsetEdits, normaliseEdits, type OffsetEdit } from './edits';
import { backgroundBlocker, backgroundFix, type BackgroundFix, type BackgroundOptions } from './fixBackground';
import { loggingEdits, hasLoggingConfig } from './fixLogging';
import { progressBlocker, progressEdits } from './fixProgress';
import { tryExceptEdits } from './fixTryExcept';
import type { PythonParser } from './parser';
import { t } from '../core/l10n';

export type FixKind = 'background-task' | 'rate-limit' | 'reconnect' | 'try-except' | 'logging' | 'progress';
export const FIX_KINDS: FixKind[] = ['background-task', 'rate-limit', 'reconnect', 'try-except', 'logging', 'progress'];
/** Fixes that rewrite one send's loop in its own file. */
export type SendFixKind = 'rate-limit' | 'reconnect' | 'try-except' | 'progress';

/** The fixes in the order the verdict calls for (the first one removes the cause); no verdict: the safest first. */
export function fixOrder(verdict: string | undefined | null): FixKind[] {
  switch (verdict) {
    case 'http_timeout':
    case 'oom_kill':
      return ['background-task', 'try-except', 'progress', 'logging', 'rate-limit', 'reconnect'];
    case 'smtp_rate_limit':
      return ['rate-limit', 'try-except', 'progress', 'logging', 'background-task', 'reconnect'];
    case 'smtp_connection_error':
      return ['reconnect', 'try-except', 'progress', 'logging', 'background-task', 'rate-limit'];
    case 'python_exception':
      return ['try-except', 'logging', 'progress', 'background-task', 'rate-limit', 'reconnect'];
    default:
      return ['try-except', 'background-task', 'rate-limit', 'reconnect', 'progress', 'logging'];
  }
}

export interface FixResult {
  edits: OffsetEdit[];
  text: string;
}

export interface SendFixOptions {
  lang?: AppLang;
  /** The verdict is a Python exception: the try/except catches every exception. */
  catchAll?: boolean;
}

/** Checks the patched text parses cleanly; throws otherwise (a fix must never break the file). */
export function checkedResult(parser: PythonParser, text: string, edits: OffsetEdit[]): FixResult | undefined {
  if (!edits.length) return undefined;
  const norm = normaliseEdits(edits);
  const out = applyOffsetEdits(text, norm);
  const tree = parser.parse(out);
  try {
    if (tree.rootNode.hasError) throw new Error(t('en', 'the fix would produce a syntax error; not applied'));
  } finally {
    tree.delete();
  }
  return { edits: norm, text: out };
}

/** Does the per-send fix apply to this send? */
export function sendFixApplies(kind: SendFixKind, f: FoundSend, tree: FoundSend['node']['tree']): boolean {
  if (kind === 'progress') return !progressBlocker(f, tree);
  if (f.call.protected) return false;
  // Reconnecting needs the send's connection: a project helper hides it.
  if (kind === 'reconnect') return f.call.kind !== 'helper';
  return true;
}

/** Fix for one send found in the text. */
export function fixForSend(parser: PythonParser, text: string, kind: SendFixKind, f: FoundSend, opts: SendFixOptions = {}): FixResult | undefined {
  const tree = f.node.tree;
  if (!sendFixApplies(kind, f, tree)) return undefined;
  const mode = kind === 'rate-limit' || kind === 'reconnect' ? kind : 'plain';
  const edits = kind === 'progress' ? progressEdits(text, tree, f) : tryExceptEdits(text, tree, f, { lang: opts.lang, catchAll: opts.catchAll, mode });
  return checkedResult(parser, text, edits);
}

/** The background-task fix for one send (several files), or undefined when it does not apply. */
export function backgroundForSend(parser: PythonParser, text: string, file: string, f: FoundSend, opts: BackgroundOptions = {}): BackgroundFix | undefined {
  if (backgroundBlocker(f, f.node.tree, file)) return undefined;
  return backgroundFix(parser, text, file, f, opts);
}

/** Does this fix apply to the send (without computing it, except the background plan)? */
export function fixApplies(kind: FixKind, f: FoundSend, file: string): boolean {
  if (kind === 'logging') return true;
  if (kind === 'background-task') return !backgroundBlocker(f, f.node.tree, file);
  return sendFixApplies(kind, f, f.node.tree);
}

/** Applies a per-send fix to a whole file: every eligible send, one loop at a time (re-analysed after each). */
export function fixFile(parser: PythonParser, text: string, file: string, kind: Exclude<FixKind, 'background-task'>, opts: SendFixOptions = {}): FixResult | undefined {
  const tree = parser.parse(text);
  try {
    if (kind === 'logging') return hasLoggingConfig(tree) ? undefined : checkedResult(parser, text, loggingEdits(text, tree));
    const lang = opts.lang ?? appLanguage(parser, file, tree);
    let current = text;
    let changed = false;
    let left = Infinity;
    for (let guard = 0; guard < 200; guard++) {
      const t = parser.parse(current);
      try {
        const eligible = findSends(parser, t, file).filter((s) => sendFixApplies(kind, s, t));
        // Each step must leave one send fewer to fix: never loop on a send the fix does not settle.
        if (!eligible.length || eligible.length >= left) break;
        left = eligible.length;
        const r = fixForSend(parser, current, kind, eligible[0], { ...opts, lang });
        if (!r) break;
        current = r.text;
        changed = true;
      } finally {
        t.delete();
      }
    }
    return changed ? { edits: [{ start: 0, end: text.length, text: current }], text: current } : undefined;
  } finally {
    tree.delete();
  }
}
