// Fix (c): one progress line per batch, `batch k/n sent to m recipients`, the wording the diagnosis engine parses.
import type { Tree } from 'web-tree-sitter';
import type { FoundSend } from './analyze';
import type { OffsetEdit } from './edits';
import { addModuleLogger, addPlainImports } from './imports';
import { eolOf, indentOf, lineEndOf, lineStartOf } from './layout';
import { calleeName, descendants, positional } from './nodes';
import { batchVars, firstBodyStatement, preludeLines } from './batchVars';
import { msg, type Localized } from '../core/l10n';

export const PROGRESS_FORMAT = 'batch %d/%d sent to %d recipients';

/** True when the loop already logs a progress line in that format. */
export function hasProgressLine(f: FoundSend): boolean {
  return descendants(f.loop.node).some(
    (d) => d.type === 'call' && calleeName(d) === 'info' && positional(d)[0]?.type === 'string' && (positional(d)[0]?.text.includes('sent to %d recipients') ?? false),
  );
}

/** Why the progress fix cannot apply, or undefined when it can. */
export function progressBlocker(f: FoundSend, tree: Tree): Localized | undefined {
  if (hasProgressLine(f)) return msg('the loop already logs its progress');
  const v = batchVars(f, tree.rootNode);
  if (!v.totalExpr) return msg('the number of batches cannot be computed before the loop');
  if (!v.recipients) return msg('the batch being sent is not a named slice');
  return undefined;
}

export function progressEdits(text: string, tree: Tree, f: FoundSend): OffsetEdit[] {
  if (progressBlocker(f, tree)) return [];
  const eol = eolOf(text);
  const loop = f.loop.node;
  const v = batchVars(f, tree.rootNode);
  const edits: OffsetEdit[] = [...addPlainImports(text, tree, ['logging'])];
  const log = addModuleLogger(text, tree);
  edits.push(...log.edits);
  const prelude = preludeLines(v);
  if (prelude.length) {
    const at = lineStartOf(text, loop.startIndex);
    edits.push({ start: at, end: at, text: prelude.map((l) => indentOf(text, loop) + l + eol).join('') });
  }
  const first = firstBodyStatement(loop);
  if (!v.counterExists && first) {
    const at = lineStartOf(text, first.startIndex);
    edits.push({ start: at, end: at, text: `${indentOf(text, first)}${v.counter} += 1${eol}` });
  }
  // Right after the statement that sends: reached only when the send did not raise.
  const at = lineEndOf(text, f.statement.endIndex);
  const line = `${indentOf(text, f.statement)}${log.name}.info("${PROGRESS_FORMAT}", ${v.counter}, ${v.totalName}, ${v.recipients})`;
  edits.push({ start: at, end: at, text: eol + line });
  return edits;
}
