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
import type { AppLang } from './appLanguage';
import { indentBlock, retryEdits, type Guard } from './fixRetry';
import { t } from '../core/l10n';

/** How the view reaches its request: the `request` parameter, or `self.request` in a method of a class-based view. */
export function requestExpr(f: FoundSend): string | undefined {
  const params = field(f.functionNode, 'parameters');
  const names = params ? kids(params).map((p) => (p.type === 'identifier' ? p.text : field(p, 'name')?.text)) : [];
  if (names.includes('request')) return 'request';
  const cls = f.functionNode ? ancestors(f.functionNode).find((a) => a.type === 'class_definition') : undefined;
  const bases = field(cls, 'superclasses')?.text ?? '';
  if (names[0] === 'self' && cls && /View|Mixin/.test(bases)) return 'self.request';
  return undefined;
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

export interface FixOptions {
  /** The app's language: the text a user sees (messages framework) is written in it. Default en. */
  lang?: AppLang;
  /** Catch every exception (the verdict is a Python exception), not only SMTP/socket errors. */
  catchAll?: boolean;
  /** rate-limit: retry a batch refused with a 4xx after a growing pause; reconnect: reopen the connection and retry. */
  mode?: 'plain' | 'rate-limit' | 'reconnect';
}

/** The user-facing report after the loop: real sent / failed counts, in the app's language. */
function reportLines(o: { lang: AppLang; perItem: boolean; count: string; failed: string }): { warning: string; success: string } {
  const list = `{', '.join(map(str, ${o.failed}))}`;
  const sent = `{${o.count} - len(${o.failed})}`;
  const [count, failed] = [`{${o.count}}`, `{len(${o.failed})}`];
  const warning = o.perItem
    ? t(o.lang, 'Send incomplete: {0} of {1} message(s) sent, {2} failed (messages {3}); see the server log.', sent, count, failed, list)
    : t(o.lang, 'Send incomplete: {0} of {1} batch(es) sent, {2} failed (batches {3}); see the server log.', sent, count, failed, list);
  const success = o.perItem ? t(o.lang, 'Send finished: {0} message(s) sent.', count) : t(o.lang, 'Send finished: {0} batch(es) sent.', count);
  return { warning: `f"${warning}"`, success: `f"${success}"` };
}

function plainGuard(g: Guard): string[] {
  const E = g.S + g.unit;
  const lines = [
    `${g.S}try:`,
    g.stmtText,
    g.catchAll ? `${g.S}except Exception:` : `${g.S}except (smtplib.SMTPException, OSError):`,
    `${E}${g.logger}.exception(${g.fmt}, ${g.args})`,
    `${E}${g.failed}.append(${g.counter})`,
    ...g.pauseLines.map((l) => indentBlock(l, E)),
  ];
  if (g.useContinue) lines.push(`${E}continue`);
  return lines;
}

export function tryExceptEdits(text: string, tree: Tree, f: FoundSend, opts: FixOptions = {}): OffsetEdit[] {
  if (f.call.protected) return [];
  const lang = opts.lang ?? 'en';
  const perItem = f.loop.loop.kind === 'for-each';
  const mass = f.loop.loop.kind === 'mass-call';
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
  const request = requestExpr(f);
  if (request && !hasFromImport(tree, 'messages')) edits.push(...addFromImport(text, tree, 'django.contrib', 'messages'));
  const logger = log.name;

  const failed = v.counter === 'batch_no' ? 'failed_batches' : `failed_batches_${v.counter.split('_').pop()}`;
  // Prelude before the loop.
  // A mass call is one batch: its counter starts at 1.
  const prelude = mass ? [...(v.counterExists ? [] : [`${v.counter} = 1`]), `${failed} = []`] : preludeLines(v, [`${failed} = []`]);
  const loopLine = lineStartOf(text, loop.startIndex);
  edits.push({ start: loopLine, end: loopLine, text: prelude.map((l) => L + l + eol).join('') });
  // Counter increment as the loop body's first statement.
  const first = mass ? undefined : firstBodyStatement(loop);
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
  const total = v.totalExpr ? v.totalName : undefined;
  const size = v.recipients ?? (f.loop.loop.batchSizeExpr ? `${f.loop.loop.batchSizeExpr}` : undefined);
  const fmt = perItem
    ? `"message %d${total ? '/%d' : ''} failed; continuing with the next one"`
    : `"batch %d${total ? '/%d' : ''} failed${size ? ' (%d recipients)' : ''}; continuing with the next batch"`;
  const args = [v.counter, total, perItem ? undefined : size].filter(Boolean).join(', ');
  const pauseLines: string[] = [];
  if (pauses.length) {
    pauseLines.push(`# Keep the pause between batches after a failure too.`);
    for (const p of pauses) pauseLines.push(reindent(text, p, '', '').split('\n').map((l, i) => (i === 0 ? l : l.startsWith(indentOf(text, p)) ? l.slice(indentOf(text, p).length) : l)).join('\n'));
  }
  const g: Guard = { S, unit, eol, logger, fmt, args, failed, counter: v.counter, pauseLines, useContinue, stmtText: reindent(text, stmt, unit), catchAll: !!opts.catchAll };
  let handler: string[];
  if (opts.mode === 'rate-limit' || opts.mode === 'reconnect') {
    const r = retryEdits(text, tree, f, v, g, opts.mode);
    if (!r) return [];
    handler = r.lines;
    edits.push(...r.edits);
  } else handler = plainGuard(g);
  const stmtStart = lineStartOf(text, stmt.startIndex);
  edits.push({ start: stmtStart, end: stmt.endIndex, text: handler.join(eol) });

  // Summary after the loop.
  const countExpr = total ?? v.counter;
  const words = perItem ? 'messages' : 'batches';
  const report = reportLines({ lang, perItem, count: countExpr, failed });
  const summary = [
    `${L}${logger}.info("bulk send finished: %d/%d ${words} sent, %d failed", ${countExpr} - len(${failed}), ${countExpr}, len(${failed}))`,
    `${L}if ${failed}:`,
    request
      ? `${L}${unit}messages.warning(${request}, ${report.warning})`
      : `${L}${unit}${logger}.warning("${words} not sent: %s", ", ".join(map(str, ${failed})))`,
  ];
  const success = request ? successAfter(f) : undefined;
  if (success) {
    // The existing success message moves under `else:` so that it no longer claims a complete send.
    summary.push(`${L}else:`, reindent(text, success, unit));
    const from = lineStartOf(text, success.startIndex);
    const to = Math.min(text.length, lineEndOf(text, success.endIndex) + 1);
    edits.push({ start: from, end: to, text: '' });
  } else if (request && !reportsAfter(f)) summary.push(`${L}else:`, `${L}${unit}messages.success(${request}, ${report.success})`);
  const loopEnd = lineEndOf(text, loop.endIndex);
  edits.push({ start: loopEnd, end: loopEnd, text: eol + summary.join(eol) });
  return edits;
}
