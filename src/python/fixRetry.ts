// The retrying guards around a send: SMTP rate limit (a batch refused with a 4xx is retried after a growing pause;
// batch size and pauses from settings) and SMTP connection error (one connection reused for every batch, reopened
// and the batch retried after a growing pause). Both record the batch as failed once the attempts are spent.
import type { Node, Tree } from 'web-tree-sitter';
import type { FoundSend } from './analyze';
import type { BatchVars } from './batchVars';
import { previousStatements } from './batchVars';
import type { OffsetEdit } from './edits';
import { addFromImport, addPlainImports, hasFromImport } from './imports';
import { indentOf, lineEndOf, lineStartOf } from './layout';
import { findPause } from './loops';
import { descendants, enclosingFunction, field, keyword, kids, positional } from './nodes';

export interface Guard {
  S: string;
  unit: string;
  eol: string;
  logger: string;
  fmt: string;
  args: string;
  failed: string;
  counter: string;
  /** The pause statements to keep on failure, unindented. */
  pauseLines: string[];
  useContinue: boolean;
  /** The send statement re-indented one level deeper. */
  stmtText: string;
  catchAll: boolean;
}

/** Indents every line of a block of text. */
export function indentBlock(block: string, indent: string): string {
  return block
    .split('\n')
    .map((l) => (l.trim() ? indent + l : l))
    .join('\n');
}

function fresh(base: string, f: FoundSend): string {
  const scope = enclosingFunction(f.loop.node) ?? f.loop.node.tree.rootNode;
  const used = new Set(descendants(scope, false).filter((d) => d.type === 'identifier').map((d) => d.text));
  if (!used.has(base)) return base;
  for (let i = 2; ; i++) if (!used.has(`${base}_${i}`)) return `${base}_${i}`;
}

function isNumber(n: Node | null | undefined): n is Node {
  return !!n && (n.type === 'integer' || n.type === 'float');
}

/** Batch size and pause literals → read from settings (MAIL_BATCH_SIZE, MAIL_BATCH_PAUSE), same defaults. */
function settingsEdits(f: FoundSend): { edits: OffsetEdit[]; pause?: { literal: string; expr: string } } {
  const edits: OffsetEdit[] = [];
  const size = f.loop.range ? positional(f.loop.range)[2] : undefined;
  const sizeName = f.loop.loop.batchSizeExpr;
  const setting = (name: string, lit: string) => `getattr(settings, "${name}", ${lit})`;
  if (isNumber(size)) edits.push({ start: size.startIndex, end: size.endIndex, text: setting('MAIL_BATCH_SIZE', size.text) });
  else if (sizeName) {
    for (const s of previousStatements(f.loop.node)) {
      const a = s.type === 'expression_statement' ? kids(s)[0] : undefined;
      const right = field(a, 'right');
      if (a?.type === 'assignment' && field(a, 'left')?.text === sizeName && isNumber(right)) {
        edits.push({ start: right.startIndex, end: right.endIndex, text: setting('MAIL_BATCH_SIZE', right.text) });
        break;
      }
    }
  }
  const body = field(f.loop.node, 'body');
  const pause = body ? findPause(body) : undefined;
  if (!isNumber(pause) || (pause.startIndex >= f.statement.startIndex && pause.endIndex <= f.statement.endIndex)) return { edits };
  const expr = setting('MAIL_BATCH_PAUSE', pause.text);
  edits.push({ start: pause.startIndex, end: pause.endIndex, text: expr });
  return { edits, pause: { literal: pause.text, expr } };
}

/** The send rewritten to go through `conn`, plus the line to put before it (message objects), or undefined. */
function throughConnection(text: string, f: FoundSend, conn: string, inner: string): { before?: string; stmt: string } | undefined {
  const call = f.node;
  const rel = (n: Node) => [n.startIndex - f.statement.startIndex, n.endIndex - f.statement.startIndex] as const;
  const src = text.slice(f.statement.startIndex, f.statement.endIndex);
  const replace = (n: Node, t: string) => {
    const [a, b] = rel(n);
    return src.slice(0, a) + t + src.slice(b);
  };
  const existing = keyword(call, 'connection');
  if (f.call.kind === 'send_mail' || f.call.kind === 'send_mass_mail') {
    if (existing) return { stmt: replace(existing, conn) };
    const args = field(call, 'arguments')!;
    const close = args.endIndex - 1;
    const last = kids(args).filter((k) => k.type !== 'comment').pop();
    const sep = last && !text.slice(last.endIndex, close).includes(',') ? ', ' : ' ';
    return { stmt: replace(args, text.slice(args.startIndex, close).replace(/\s*$/, '') + (last ? sep.trimEnd() + ' ' : '') + `connection=${conn})`) };
  }
  if (f.call.kind === 'send_messages') {
    const obj = field(field(call, 'function'), 'object');
    return obj ? { stmt: replace(obj, conn) } : undefined;
  }
  if (f.call.kind === 'message.send') {
    const obj = field(field(call, 'function'), 'object');
    if (obj?.type === 'identifier') return { before: `${inner}${obj.text}.connection = ${conn}`, stmt: src };
    if (obj?.type === 'call') {
      const k = keyword(obj, 'connection');
      if (k) return { stmt: replace(k, conn) };
      const args = field(obj, 'arguments')!;
      const inside = text.slice(args.startIndex + 1, args.endIndex - 1).replace(/[\s,]*$/, '');
      return { stmt: replace(args, `(${inside}${inside ? ', ' : ''}connection=${conn})`) };
    }
  }
  return undefined;
}

function retryLoop(g: Guard, o: { ok: string; attempt: string; attempts: string; wait: string; tryLines: string[]; handlers: string[] }): string[] {
  const A = g.S + g.unit;
  const T = A + g.unit;
  const lines = [
    `${g.S}${o.ok} = False`,
    `${g.S}for ${o.attempt} in range(1, ${o.attempts} + 1):`,
    `${A}try:`,
    ...o.tryLines,
    `${T}${o.ok} = True`,
    `${T}break`,
    ...o.handlers.map((l) => indentBlock(l, A)),
    `${g.S}if not ${o.ok}:`,
    `${A}${g.failed}.append(${g.counter})`,
    ...g.pauseLines.map((l) => indentBlock(l, A)),
  ];
  if (g.useContinue) lines.push(`${A}continue`);
  return lines;
}

/** Lines replacing the send statement, and the other edits (imports, settings, connection), for a retrying guard. */
export function retryEdits(text: string, tree: Tree, f: FoundSend, v: BatchVars, g: Guard, mode: 'rate-limit' | 'reconnect'): { lines: string[]; edits: OffsetEdit[] } | undefined {
  const u = g.unit;
  const edits: OffsetEdit[] = [...addPlainImports(text, tree, mode === 'reconnect' ? ['contextlib', 'time'] : ['time'])];
  if (!hasFromImport(tree, 'settings')) edits.push(...addFromImport(text, tree, 'django.conf', 'settings'));
  const names = { ok: fresh('batch_sent', f), attempt: fresh('attempt', f), attempts: fresh('send_attempts', f), wait: fresh('retry_pause', f) };
  const L = indentOf(text, f.loop.node);
  const prelude = [
    `${names.attempts} = getattr(settings, "MAIL_RETRY_ATTEMPTS", 3)`,
    `${names.wait} = getattr(settings, "MAIL_RETRY_PAUSE", 30)`,
  ];
  const s = settingsEdits(f);
  edits.push(...s.edits);
  const pauseLines = s.pause ? g.pauseLines.map((l) => l.split(`sleep(${s.pause!.literal})`).join(`sleep(${s.pause!.expr})`)) : g.pauseLines;
  const gg = { ...g, pauseLines };
  const backoff = `${names.wait} * 2 ** (${names.attempt} - 1)`;
  const giveUp = [`${g.logger}.exception(${g.fmt}, ${g.args})`, 'break'];
  let tryLines: string[];
  let handlers: string[];
  if (mode === 'rate-limit') {
    tryLines = [indentStatement(text, f.statement, undefined, g.S + u + u)];
    handlers = [
      'except smtplib.SMTPResponseException as exc:',
      `${u}if 400 <= exc.smtp_code < 500 and ${names.attempt} < ${names.attempts}:`,
      `${u}${u}${g.logger}.warning("batch %d refused by the SMTP server (%d); retry %d/%d in %d s", ${g.counter}, exc.smtp_code, ${names.attempt}, ${names.attempts} - 1, ${backoff})`,
      `${u}${u}time.sleep(${backoff})`,
      `${u}${u}continue`,
      ...giveUp.map((l) => u + l),
      g.catchAll ? 'except Exception:' : 'except (smtplib.SMTPException, OSError):',
      ...giveUp.map((l) => u + l),
    ];
  } else {
    const conn = fresh('mail_connection', f);
    const through = throughConnection(text, f, conn, '');
    if (!through) return undefined;
    prelude.push(`${conn} = get_connection()`);
    if (!hasFromImport(tree, 'get_connection')) edits.push(...addFromImport(text, tree, 'django.core.mail', 'get_connection'));
    const T = g.S + u + u;
    tryLines = [`${T}${conn}.open()`, ...(through.before ? [T + through.before] : []), indentStatement(text, f.statement, through.stmt, T)];
    handlers = [
      'except (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, OSError):',
      `${u}with contextlib.suppress(Exception):`,
      `${u}${u}${conn}.close()`,
      `${u}if ${names.attempt} < ${names.attempts}:`,
      `${u}${u}${g.logger}.warning("batch %d: SMTP connection lost; reconnecting, retry %d/%d in %d s", ${g.counter}, ${names.attempt}, ${names.attempts} - 1, ${backoff})`,
      `${u}${u}time.sleep(${backoff})`,
      `${u}${u}continue`,
      ...giveUp.map((l) => u + l),
      g.catchAll ? 'except Exception:' : 'except smtplib.SMTPException:',
      ...giveUp.map((l) => u + l),
    ];
    const end = lineEndOf(text, f.loop.node.endIndex);
    edits.push({ start: end, end, text: `${g.eol}${L}${conn}.close()` });
  }
  const at = lineStartOf(text, f.loop.node.startIndex);
  edits.push({ start: at, end: at, text: prelude.map((l) => L + l + g.eol).join('') });
  return { lines: retryLoop(gg, { ...names, tryLines, handlers }), edits };
}

/** The statement's source (or a rewrite with the same rows) at `indent`; lines inside multi-line strings untouched. */
function indentStatement(text: string, stmt: Node, src: string | undefined, indent: string): string {
  const own = indentOf(text, stmt);
  const rows = new Set<number>();
  const visit = (n: Node) => {
    if ((n.type === 'string' || n.type === 'concatenated_string') && n.endPosition.row > n.startPosition.row) {
      for (let r = n.startPosition.row + 1; r <= n.endPosition.row; r++) rows.add(r - stmt.startPosition.row);
      return;
    }
    for (const c of kids(n)) visit(c);
  };
  visit(stmt);
  return (src ?? text.slice(stmt.startIndex, stmt.endIndex))
    .split('\n')
    .map((l, i) => (i === 0 ? indent + l.trimStart() : rows.has(i) || !l.trim() ? l : l.startsWith(own) ? indent + l.slice(own.length) : l))
    .join('\n');
}
