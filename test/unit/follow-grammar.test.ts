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

test('follow lines: source and evidence mark scoped, the log line keeps its own highlighting', () => {
  const [wt] = formatLine(mk('journal', '2025-01-15T22:20:20.000+01:00 aquademie-prod gunicorn[1187]: [2025-01-15 22:20:20 +0100] [1187] [CRITICAL] WORKER TIMEOUT (pid:1202)', 'http_timeout'), { causeName: () => 'HTTP timeout' });
  assert.ok(scopesOf(wt, 'journal').includes('entity.name.tag.source.follow.incident-log'));
  assert.ok(scopesOf(wt, '‼').includes('invalid.illegal.evidence.follow.incident-log'));
  assert.ok(scopesOf(wt, 'WORKER TIMEOUT').includes('invalid.illegal.timeout.worker.incident-log'));
  assert.ok(scopesOf(wt, '2025-01-15T22:20:20.000+01:00').some((s) => s.startsWith('constant.numeric.timestamp')));
  assert.ok(scopesOf(wt, 'HTTP timeout').includes('invalid.illegal.cause.follow.incident-log'));
  const [access] = formatLine(mk('nginx_access', '203.0.113.50 - - [15/Jan/2025:22:20:20 +0100] "POST /adherents/communiquer/ HTTP/1.1" 502 157 "-" "Mozilla/5.0"'));
  assert.ok(scopesOf(access, '│').includes('punctuation.separator.follow.incident-log'));
  assert.ok(!scopesOf(access, '│').some((s) => s.startsWith('invalid')), 'an ordinary line is not marked');
  assert.ok(scopesOf(access, '502').some((s) => s.includes('5xx') || s.includes('status')), scopesOf(access, '502').join(' '));
  assert.ok(scopesOf(access, '203.0.113.50').some((s) => s.startsWith('constant.other.ip')));
  const notice = formatNotice('nginx_error: log rotated, following the new file');
  assert.ok(scopesOf(notice, 'log rotated').includes('comment.line.notice.follow.incident-log'));
  // a log line that happens to contain the rule is not a notice
  assert.ok(!scopesOf('2025/01/15 22:20:20 [error] ──── x ────', 'x').includes('comment.line.notice.follow.incident-log'));
});
