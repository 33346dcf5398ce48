// Recognises e-mail send calls: EmailMessage/EmailMultiAlternatives(...).send(), send_mail, send_mass_mail,
// <connection>.send_messages, and whether a try around them catches SMTP errors.
import type { Node } from 'web-tree-sitter';
import type { SendKind } from './model';
import { ancestors, callArgs, calleeName, descendants, enclosingFunction, field, findAssignment, keyword, kids } from './nodes';

export const MESSAGE_CLASSES = ['EmailMessage', 'EmailMultiAlternatives'];
/** Exception names whose handler catches SMTP failures (smtplib.SMTPException derives from OSError). */
const CATCHING = ['SMTPException', 'OSError', 'IOError', 'EnvironmentError', 'Exception', 'BaseException', 'socket.error', 'error'];

/** Query source: candidate send calls (filtered in code). */
export const SEND_QUERY = `
((call function: (identifier) @name) @call (#any-of? @name "send_mail" "send_mass_mail"))
((call function: (attribute attribute: (identifier) @name)) @call (#any-of? @name "send" "send_mail" "send_mass_mail" "send_messages"))
`;

function isMessageConstructor(n: Node | null | undefined): boolean {
  return !!n && n.type === 'call' && MESSAGE_CLASSES.includes(calleeName(n) ?? '');
}

/** The kind of send this call is, or undefined when it is not an e-mail send (socket.send, signal.send...). */
export function sendKind(call: Node): SendKind | undefined {
  const name = calleeName(call);
  const fn = field(call, 'function');
  // django.core.mail.send_mail takes subject, message, from_email, recipient_list: a `send_mail()` with fewer
  // arguments (a model's own method, say) is not it.
  if (name === 'send_mail') return callArgs(call).length >= 4 || callArgs(call).some((a) => a.type === 'list_splat' || a.type === 'dictionary_splat') ? 'send_mail' : undefined;
  if (name === 'send_mass_mail') return 'send_mass_mail';
  if (name === 'send_messages') return 'send_messages';
  if (name === 'send' && fn?.type === 'attribute') {
    const obj = field(fn, 'object');
    if (isMessageConstructor(obj)) return 'message.send';
    if (obj?.type === 'identifier') {
      const scope = enclosingFunction(call);
      const root = call.tree.rootNode;
      for (const s of [scope, root]) {
        if (s && isMessageConstructor(findAssignment(s, obj.text))) return 'message.send';
      }
    }
  }
  return undefined;
}

function isTrue(n: Node | undefined): boolean {
  return n?.type === 'true';
}

/** fail_silently=True on the call, its message constructor or the connection it uses. */
export function failsSilently(call: Node): boolean {
  if (isTrue(keyword(call, 'fail_silently'))) return true;
  for (const a of ancestors(call)) {
    if (a.type === 'with_statement') {
      for (const d of descendants(kids(a)[0] ?? a)) {
        if (d.type === 'call' && calleeName(d) === 'get_connection' && isTrue(keyword(d, 'fail_silently'))) return true;
      }
    }
    if (a.type === 'function_definition') break;
  }
  const conn = keyword(call, 'connection');
  if (conn?.type === 'call' && isTrue(keyword(conn, 'fail_silently'))) return true;
  return false;
}

export function usesConnection(call: Node, kind: SendKind): boolean {
  if (kind === 'send_messages' || keyword(call, 'connection')) return true;
  for (const a of ancestors(call)) {
    if (a.type === 'function_definition') break;
    if (a.type === 'with_statement') {
      const clause = kids(a).find((k) => k.type === 'with_clause');
      if (clause && descendants(clause).some((d) => d.type === 'call' && calleeName(d) === 'get_connection')) return true;
    }
  }
  return false;
}

function handlerCatches(clause: Node): boolean {
  const value = field(clause, 'value') ?? kids(clause).find((k) => k.type !== 'block' && k.type !== 'comment');
  if (!value) return true; // bare except
  const types = value.type === 'as_pattern' ? kids(value)[0] : value;
  if (!types) return true;
  const names = [types, ...descendants(types)].filter((d) => d.type === 'identifier' || d.type === 'attribute').map((d) => d.text);
  return names.some((t) => CATCHING.includes(t) || CATCHING.includes(t.split('.').pop() ?? ''));
}

/** A try statement between the call and `stop` whose body holds the call and whose handlers catch SMTP errors. */
export function protectingTry(call: Node, stop: Node | undefined): Node | undefined {
  for (const a of ancestors(call)) {
    if (a === stop || (stop && a.id === stop.id) || a.type === 'function_definition') return undefined;
    if (a.type !== 'try_statement') continue;
    const body = field(a, 'body');
    if (!body || body.startIndex > call.startIndex || call.endIndex > body.endIndex) continue;
    if (kids(a).some((k) => k.type === 'except_clause' && handlerCatches(k))) return a;
  }
  return undefined;
}
