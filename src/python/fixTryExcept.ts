// Fix (a): wrap the send in try/except (smtplib.SMTPException, OSError), log the failure with the batch index and
// size, record the failed batch, keep the pause, continue with the next batch, and report a sent/failed summary.
import type { Node, Tree } from 'web-tree-sitter';
import type { FoundSend } from './analyze';
import type { OffsetEdit } from './edits';
import { addFromImport, addModuleLogger, addPlainImports, hasFromImport } from './imports';
import { eolOf, indentOf, indentUnit, lineEndOf, lineStartOf, reindent } from './layout';
import { pauseStatements } from './loops';
import { ancestors, descendants, field, kids } from './nodes';
import { batchVars, firstBodyStatement, preludeLines } from './batchVars';

function hasRequestParam(f: FoundSend): boolean {
  const params = field(f.functionNode, 'parameters');
  return !!params && kids(params).some((p) => (p.type === 'identifier' ? p.text : field(p, 'name')?.text) === 'request');
}

/** Does code after the loop (same block) already report through django.contrib.messages? */
function reportsAfter(f: FoundSend): boolean {
  for (let s = f.loop.node.nextNamedSibling; s; s = s.nextNamedSibling) {
    if ([s, ...descendants(s)].some((d) => d.type === 'call' && field(d, 'function')?.text.startsWith('messages.'))) return true;
  }
  return false;
}

/** The success message right after the loop (`messages.success(...)`), which must only show when nothing failed. */
function successAfter(f: FoundSend): Node | undefined {
  let s = f.loop.node.nextNamedSibling;
  while (s?.type === 'comment') s = s.nextNamedSibling;
  const call = s?.type === 'expression_statement' ? kids(s)[0] : undefined;
  const fn = call?.type === 'call' ? field(call, 'function')?.text : undefined;
  return s && (fn === 'messages.success' || fn === 'messages.info') ? s : undefined;
}

export function tryExceptEdits(text: string, tree: Tree, f: FoundSend): OffsetEdit[] {
  if (f.call.protected) return [];
  const eol = eolOf(text);
  const loop = f.loop.node;
  const unit = indentUnit(text, loop);
  const L = indentOf(text, loop);
  const stmt = f.statement;
  const S = indentOf(text, stmt);
  const v = batchVars(f, tree.rootNode);
  const edits: OffsetEdit[] = [];

  // Imports and the module logger.
  edits.push(...addPlainImports(text, tree, ['logging', 'smtplib']));
  const log = addModuleLogger(text, tree);
  edits.push(...log.edits);
  const request = hasRequestParam(f);
  if (request && !hasFromImport(tree, 'messages')) edits.push(...addFromImport(text, tree, 'django.contrib', 'messages'));
  const logger = log.name;

  const failed = v.counter === 'batch_no' ? 'failed_batches' : `failed_batches_${v.counter.split('_').pop()}`;
  // Prelude before the loop.
  const prelude = preludeLines(v, [`${failed} = []`]);
  const loopLine = lineStartOf(text, loop.startIndex);
  edits.push({ start: loopLine, end: loopLine, text: prelude.map((l) => L + l + eol).join('') });
  // Counter increment as the loop body's first statement.
  const first = firstBodyStatement(loop);
  if (!v.counterExists && first) {
    const at = lineStartOf(text, first.startIndex);
    edits.push({ start: at, end: at, text: `${indentOf(text, first)}${v.counter} += 1${eol}` });
  }

  // The try/except around the statement that sends.
  const nestedLoop = ancestors(stmt).some((a) => (a.type === 'for_statement' || a.type === 'while_statement') && a.startIndex > loop.startIndex && a.endIndex <= loop.endIndex);
  // `continue` only in for loops: a while loop usually advances its index or consumes its list after the send,
  // and skipping that would retry the same batch forever. There the rest of the body (pause included) runs.
  const useContinue = !nestedLoop && loop.type === 'for_statement';
  const body = field(loop, 'body');
  const pauses = body && useContinue ? pauseStatements(body).filter((p) => p.startIndex > stmt.endIndex) : [];
  const E = S + unit;
  const total = v.totalExpr ? v.totalName : undefined;
  const size = v.recipients ?? (f.loop.loop.batchSizeExpr ? `${f.loop.loop.batchSizeExpr}` : undefined);
  const fmt = `"batch %d${total ? '/%d' : ''} failed${size ? ' (%d recipients)' : ''}; continuing with the next batch"`;
  const args = [v.counter, total, size].filter(Boolean).join(', ');
  const handler = [
    `${S}try:`,
    reindent(text, stmt, unit),
    `${S}except (smtplib.SMTPException, OSError):`,
    `${E}${logger}.exception(${fmt}, ${args})`,
    `${E}${failed}.append(${v.counter})`,
  ];
  if (pauses.length) {
    handler.push(`${E}# Keep the pause between batches after a failure too.`);
    for (const p of pauses) handler.push(reindent(text, p, '', E).split('\n').map((l, i) => (i === 0 ? l : l.startsWith(indentOf(text, p)) ? E + l.slice(indentOf(text, p).length) : l)).join('\n'));
  }
  if (useContinue) handler.push(`${E}continue`);
  const stmtStart = lineStartOf(text, stmt.startIndex);
  edits.push({ start: stmtStart, end: stmt.endIndex, text: handler.join(eol) });

  // Summary after the loop.
  const countExpr = total ?? v.counter;
  const summary = [
    `${L}${logger}.info("bulk send finished: %d/%d batches sent, %d failed", ${countExpr} - len(${failed}), ${countExpr}, len(${failed}))`,
    `${L}if ${failed}:`,
    request
      ? `${L}${unit}messages.warning(request, f"{len(${failed})} of {${countExpr}} batches could not be sent (batches {', '.join(map(str, ${failed}))}); see the server log.")`
      : `${L}${unit}${logger}.warning("batches not sent: %s", ", ".join(map(str, ${failed})))`,
  ];
  const success = request ? successAfter(f) : undefined;
  if (success) {
    // The existing success message moves under `else:` so that it no longer claims a complete send.
    summary.push(`${L}else:`, reindent(text, success, unit));
    const from = lineStartOf(text, success.startIndex);
    const to = Math.min(text.length, lineEndOf(text, success.endIndex) + 1);
    edits.push({ start: from, end: to, text: '' });
  } else if (request && !reportsAfter(f)) summary.push(`${L}else:`, `${L}${unit}messages.success(request, f"All {${countExpr}} batches sent.")`);
  const loopEnd = lineEndOf(text, loop.endIndex);
  edits.push({ start: loopEnd, end: loopEnd, text: eol + summary.join(eol) });
  return edits;
}
