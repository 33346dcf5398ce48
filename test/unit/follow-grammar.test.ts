// The live document's lines (src/core/follow/format.ts) in the incident-log grammar, tokenized by vscode-textmate +
// vscode-oniguruma as VS Code does: the source and the evidence mark are scoped, and the log line after the prefix
// keeps its own highlighting (timestamps, WORKER TIMEOUT, HTTP status, IPs).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import { INITIAL, Registry, parseRawGrammar, type IGrammar } from 'vscode-textmate';
import { formatLine, formatNotice, type FollowLine } from '../../src/core/follow/index';
import type { LogEvent } from '../../src/core/index';

const ROOT = resolve(__dirname, '../..');
const GRAMMAR_PATH = join(ROOT, 'syntaxes/incident-log.tmLanguage.json');
let grammar: IGrammar;

before(async () => {
  await oniguruma.loadWASM(readFileSync(join(ROOT, 'node_modules/vscode-oniguruma/release/onig.wasm')));
  const registry = new Registry({
    onigLib: Promise.resolve({ createOnigScanner: (p: string[]) => new oniguruma.OnigScanner(p), createOnigString: (s: string) => new oniguruma.OnigString(s) }),
    loadGrammar: async (scope: string) => (scope === 'text.log.incident' ? parseRawGrammar(readFileSync(GRAMMAR_PATH, 'utf8'), GRAMMAR_PATH) : null),
  });
  grammar = (await registry.loadGrammar('text.log.incident'))!;
});

/** Scopes of the token(s) covering `text` in `line`. */
function scopesOf(line: string, text: string): string[] {
  const at = line.indexOf(text);
  assert.ok(at >= 0, `${text} not in ${line}`);
  const toks = grammar.tokenizeLine(line, INITIAL).tokens.filter((t) => t.endIndex > at && t.startIndex < at + text.length);
  return toks.flatMap((t) => t.scopes);
}

const mk = (source: string, text: string, cause?: 'http_timeout'): FollowLine => ({ seq: 1, time: '2025-01-15T21:20:20.000Z', source, text, kind: 'info', arrivedAt: 0, event: {} as LogEvent, ...(cause ? { cause } : {}) });

const timeout = '2025-01-15T22:20:20.000+01:00 aquademie-prod gunicorn[1187]: [2025-01-15 22:20:20 +0100] [1187] [CRITICAL] WORKER TIMEOUT (pid:1202)';
const access = '203.0.113.50 - - [15/Jan/2025:22:20:20 +0100] "POST /adherents/communiquer/ HTTP/1.1" 502 157 "-" "Mozilla/5.0"';
const [wt] = formatLine(mk('journal', timeout, 'http_timeout'), { causeName: () => 'HTTP timeout' });
const [acc] = formatLine(mk('nginx_access', access));
const notice = formatNotice('nginx_error: log rotated, following the new file');
const has = (scope: string) => (scopes: string[]) => scopes.includes(scope);
const some = (prefix: string) => (scopes: string[]) => scopes.some((s) => s.startsWith(prefix));
const not = (f: (scopes: string[]) => boolean) => (scopes: string[]) => !f(scopes);

/** One table: a live line, the text in it, and what the scopes of its token(s) must satisfy. */
const ROWS: [line: string, text: string, check: (scopes: string[]) => boolean, why?: string][] = [
  [wt, 'journal', has('entity.name.tag.source.follow.incident-log')],
  [wt, '‼', has('invalid.illegal.evidence.follow.incident-log')],
  [wt, 'WORKER TIMEOUT', has('invalid.illegal.timeout.worker.incident-log')],
  [wt, '2025-01-15T22:20:20.000+01:00', some('constant.numeric.timestamp')],
  [wt, 'HTTP timeout', has('invalid.illegal.cause.follow.incident-log')],
  [acc, '│', has('punctuation.separator.follow.incident-log')],
  [acc, '│', not(some('invalid')), 'an ordinary line is not marked'],
  [acc, '502', (sc) => sc.some((s) => s.includes('5xx') || s.includes('status'))],
  [acc, '203.0.113.50', some('constant.other.ip')],
  [notice, 'log rotated', has('comment.line.notice.follow.incident-log')],
  // a log line that happens to contain the rule is not a notice
  ['2025/01/15 22:20:20 [error] ──── x ────', 'x', not(has('comment.line.notice.follow.incident-log'))],
];

test('follow lines: source and evidence mark scoped, the log line keeps its own highlighting', () => {
  for (const [line, text, check, why] of ROWS) {
    const scopes = scopesOf(line, text);
    assert.ok(check(scopes), `${why ?? text}: ${JSON.stringify(text)} in ${line}\n  ${scopes.join(' ')}`);
  }
});
