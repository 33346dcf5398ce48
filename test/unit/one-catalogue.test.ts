/**
 * One catalogue (issue #15): no English or French sentence a user reads sits outside the catalogue. A message's English
 * text is its id (the first argument of msg(), t(lang, …), vscode.l10n.t()); its other languages are in
 * l10n/bundle.l10n.<lang>.json. Every other string literal of src/ that reads as a sentence must be in the reviewed
 * lists below: text that is not a message (remote commands, log patterns, code a fix writes, our own log lines), or a
 * known leftover (that list only shrinks).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import ts from 'typescript';
import { placeholders, read, tsFiles } from './repoFiles';

/** Calls whose first string argument is a catalogue id (t(lang, id): its second). */
const ID_CALLS = new Set(['msg', 'l10n.t', 'vscode.l10n.t']);
/** Our own log lines (output channel, --verbose, the server's console): for whoever debugs, not messages. */
const LOG_CALL = /(^|\.)(log|info|debug|trace|appendLine)$|(^|\.)log\.(warn|error)$/;

function calleeName(e: ts.Expression): string {
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) return `${calleeName(e.expression)}.${e.name.text}`;
  return '?';
}

function literalText(n: ts.Node): string | undefined {
  if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) return n.text;
  if (ts.isTemplateExpression(n)) return n.head.text + n.templateSpans.map((s) => `{}${s.literal.text}`).join('');
  return undefined;
}

const FRENCH = /[àâçéèêëîïôûùüÿœ«»]/i;
/** Reads as a sentence: three words or more in a row, or French words. */
function looksLikeSentence(s: string): boolean {
  const x = s.replace(/\{\}/g, ' X ');
  if (FRENCH.test(x) && /[a-zàâçéèêëîïôûùüÿœ]{2,}\s+[a-zàâçéèêëîïôûùüÿœ']{2,}/i.test(x)) return true;
  return /(?:^|[\s(])[A-Za-z][a-z']+ [a-z][a-z']+ [a-z][a-z']+/.test(x);
}

/** Whether the literal is a catalogue id, a module name, a type, or the argument of a log call. */
function exempt(n: ts.Node): boolean {
  const p = n.parent;
  if (ts.isImportDeclaration(p) || ts.isExportDeclaration(p) || ts.isLiteralTypeNode(p) || ts.isExternalModuleReference(p)) return true;
  if (ts.isCallExpression(p)) {
    const name = calleeName(p.expression);
    if (ID_CALLS.has(name) && p.arguments[0] === n) return true;
    if (name === 't' && (p.arguments[0] === n || p.arguments[1] === n)) return true;
  }
  for (let a: ts.Node | undefined = p; a && !ts.isBlock(a) && !ts.isSourceFile(a); a = a.parent) {
    if (ts.isCallExpression(a) && LOG_CALL.test(calleeName(a.expression))) return true;
  }
  return false;
}

/** `file: text` of every string literal of the files that reads as a sentence and is no catalogue id. */
function sentences(files: { name: string; text: string }[]): string[] {
  const out: string[] = [];
  for (const f of files) {
    const sf = ts.createSourceFile(f.name, f.text, ts.ScriptTarget.Latest, true);
    const visit = (n: ts.Node): void => {
      const s = literalText(n);
      if (s !== undefined && !exempt(n) && looksLikeSentence(s)) out.push(`${f.name}: ${s}`);
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  return out;
}

/**
 * Reviewed: string literals that read as sentences but are no message to translate. Each with its reason.
 */
const NOT_MESSAGES: [RegExp, string][] = [
  // remote commands and what the host's tools print (log patterns the parsers read, stderr the catalogue imitates)
  [/^src\/core\/catalogue\/(central|checks|logs|window-reader|span-reader|spans|want)\.ts: /, 'remote commands of the catalogue and the stderr they imitate'],
  [/^src\/core\/gateway\.ts: (No such file or directory: |this connection cannot open a forwarded channel)/, 'stderr imitated for the status classifier'],
  [/^src\/core\/parse\/(traceback|journal)\.ts: /, 'log patterns: what Python and journalctl print'],
  // code a fix writes into the app (Python, systemd units): its log lines are the patterns the rules read
  [/^src\/python\/fixBackground\.ts: (from celery|"""Background jobs|enqueue as enqueue_)/, 'Python code a fix writes'],
  [/^src\/python\/fixLogging\.ts: # /, 'comments of the LOGGING block a fix writes'],
  [/^src\/python\/fixProgress\.ts: batch %d\/%d sent to %d recipients$/, 'the progress log line the rules read'],
  [/^src\/python\/fixRetry\.ts: /, 'Python code a fix writes; its warning lines are log lines'],
  [/^src\/python\/fixTryExcept\.ts: ("(message|batch) %d|# Keep the pause|\{\}\{\}\.info\("bulk send finished)/, 'Python code and log lines a fix writes'],
  [/^src\/python\/jobModule\.ts: (\{\}from \{\}views import|from django\.conf|"""Sends the bulk|# Written by Incident Lens)/, 'the job module and systemd units a fix writes'],
  [/^src\/python\/freeNames\.ts: /, 'the names of Python builtins'],
  // what our key-exchange reader (hostCertFetch) says of a server that breaks the protocol: a library's own error
  // text, shown verbatim inside the catalogue's "its certificate could not be read ({0})" like ssh2's
  [/^src\/transport\/hostCert(Fetch)?\.ts: (unsupported certificate type|no common key exchange|the server closed the key exchange|connection closed before the key-exchange)/, 'protocol errors, verbatim'],
  // internal invariants: a bug, never a user's input
  [/^src\/core\/follow\/ring\.ts: ring capacity must be a positive integer$/, 'invariant'],
  [/^src\/python\/parser\.ts: tree-sitter returned no tree$/, 'invariant'],
  [/^src\/core\/catalogue\/fleet\.ts: no names to resolve$/, 'invariant'],
  [/^src\/core\/catalogue\/lane\.ts: lane nonce must be hex$/, 'invariant'],
  // catalogue ids given by value (msg(SUDO_ADVICE), t(lang, r.en)): their translations are checked in l10n.test.ts
  [/^src\/core\/recommendations\.ts: /, 'the runbook recommendations: English text = id'],
  [/^src\/(core\/source-run|transport\/local)\.ts: (sudo asks for a password\. |or (allow|add) )/, 'SUDO_ADVICE: English text = id'],
  // identifiers that happen to read as words
  [/^src\/(core\/central-run|ui\/diagnoseCommand)\.ts: \{\} \(central log host \{\}\)$/, 'the target, an identifier as --host prints it'],
  [/^src\/ui\/tree\/items\.ts: (evidence|event) excerpt codelink$/, 'contextValue (package.json when clauses)'],
];

/**
 * Reviewed leftovers: user-facing sentences not yet in the catalogue. Move them (msg/t + French), then drop them here.
 */
const LEFT: string[] = [
];

function found(): string[] {
  const files = tsFiles('src').map((name) => ({ name, text: read(name) }));
  return sentences(files).filter((s) => !NOT_MESSAGES.some(([re]) => re.test(s)));
}

test('the sentence finder: finds English and French sentences, passes ids, log lines, commands and identifiers', () => {
  const f = (text: string) => sentences([{ name: 'x.ts', text }]).map((s) => s.slice('x.ts: '.length));
  assert.deepEqual(f("throw new InputError(`${what} is too long`); const s = 'Envoi terminé'; const u = `usage: x [--y]`;"), ['{} is too long', 'Envoi terminé']);
  assert.deepEqual(f("const m = msg('the window is longer than 31 days'); t(lang, 'no host said its time zone: give --tz'); vscode.l10n.t('Open the report now');"), []);
  assert.deepEqual(f("o.log?.(`ssh error on ${h}: ${e}`); ctx.log.info(`report written to ${u}`); import x from 'a b c';"), []);
  assert.deepEqual(f("const c = 'journalctl -u x --since @1'; const k = 'nginx_access'; const id = 'incidentLens.diagnose';"), []);
});

test('one catalogue: no user-facing sentence outside it (the reviewed exceptions aside; the leftovers only shrink)', () => {
  const all = found();
  const unexpected = all.filter((s) => !LEFT.includes(s));
  assert.deepEqual(unexpected, [], 'make these catalogue messages (msg(...), t(lang, ...), vscode.l10n.t(...)) with their French in l10n/bundle.l10n.fr.json');
  const gone = LEFT.filter((s) => !all.includes(s));
  assert.deepEqual(gone, [], 'these leftovers moved: drop them from LEFT');
});

/** The literal id of every catalogue call of a file: msg('…'), t(lang, '…'), l10n.t('…'). */
function ids(files: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of files) {
    const sf = ts.createSourceFile(name, read(name), ts.ScriptTarget.Latest, true);
    const visit = (n: ts.Node): void => {
      if (ts.isCallExpression(n)) {
        const callee = calleeName(n.expression);
        // t(lang, id, …) or a UI's t(id, …); t('en', id) names its language
        const arg = ID_CALLS.has(callee) ? n.arguments[0] : callee === 't' ? n.arguments.slice(0, 2).find((a) => !ts.isIdentifier(a) && !/^'[a-z]{2}'$/.test(a.getText())) : undefined;
        const s = arg && (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg)) ? arg.text : undefined;
        if (s !== undefined && s !== '{0}') out.set(s, name);
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  return out;
}

test('one catalogue: every message id of src/ has its translation in every shipped language, placeholders intact', async () => {
  const { languages, catalogue } = await import('../../src/core/l10n');
  const used = ids(tsFiles('src'));
  assert.ok(used.size > 300, `found ${used.size} ids`);
  const langs = languages().filter((l) => l !== 'en');
  assert.ok(langs.length >= 1, 'at least French ships');
  const missing: string[] = [];
  for (const lang of langs) {
    const c = catalogue(lang);
    for (const [id, file] of used) {
      if (!(id in c) || !c[id]!.trim()) missing.push(`${lang} ${file}: ${JSON.stringify(id)}`);
      else assert.deepEqual(placeholders(c[id]!), placeholders(id), `placeholders of ${JSON.stringify(id)} in ${lang}`);
    }
  }
  assert.deepEqual(missing, [], 'add these to l10n/bundle.l10n.<lang>.json');
});
