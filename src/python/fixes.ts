// The three fixes behind one entry point, each checked: the patched text must parse without ERROR/MISSING nodes.
import type { FoundSend } from './analyze';
import { findSends } from './analyze';
import { applyOffsetEdits, normaliseEdits, type OffsetEdit } from './edits';
import { loggingEdits, hasLoggingConfig } from './fixLogging';
import { progressBlocker, progressEdits } from './fixProgress';
import { tryExceptEdits } from './fixTryExcept';
import type { PythonParser } from './parser';

export type FixKind = 'try-except' | 'logging' | 'progress';
export const FIX_KINDS: FixKind[] = ['try-except', 'logging', 'progress'];

export interface FixResult {
  edits: OffsetEdit[];
  text: string;
}

/** Checks the patched text parses cleanly; throws otherwise (a fix must never break the file). */
export function checkedResult(parser: PythonParser, text: string, edits: OffsetEdit[]): FixResult | undefined {
  if (!edits.length) return undefined;
  const norm = normaliseEdits(edits);
  const out = applyOffsetEdits(text, norm);
  const tree = parser.parse(out);
  try {
    if (tree.rootNode.hasError) throw new Error('the fix would produce a syntax error; not applied');
  } finally {
    tree.delete();
  }
  return { edits: norm, text: out };
}

/** Fix for one send found in the text (a: try-except, c: progress). */
export function fixForSend(parser: PythonParser, text: string, kind: 'try-except' | 'progress', f: FoundSend): FixResult | undefined {
  const tree = f.node.tree;
  const edits = kind === 'try-except' ? tryExceptEdits(text, tree, f) : progressEdits(text, tree, f);
  return checkedResult(parser, text, edits);
}

/** Applies a fix to a whole file: every eligible send (try-except/progress: one per loop), or LOGGING to settings. */
export function fixFile(parser: PythonParser, text: string, file: string, kind: FixKind): FixResult | undefined {
  const tree = parser.parse(text);
  try {
    if (kind === 'logging') return hasLoggingConfig(tree) ? undefined : checkedResult(parser, text, loggingEdits(text, tree));
    // One loop at a time, re-analysing after each, so that edits never overlap.
    let current = text;
    let changed = false;
    for (let guard = 0; guard < 50; guard++) {
      const t = parser.parse(current);
      try {
        const sends = findSends(parser, t, file);
        const target = sends.find((s) => (kind === 'try-except' ? !s.call.protected : !progressBlocker(s, t)));
        if (!target) break;
        const r = fixForSend(parser, current, kind, target);
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
