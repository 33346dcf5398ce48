/**
 * The model's texts are catalogue messages (Localized), rendered where they are shown: no `labelFr` / `explanationFr`
 * / `summaryFr` / `whyFr` member comes back into src/ (a third language would touch the model and every consumer).
 * The JSON report still writes them as docs/cli.md documents (label, then labelFr…), rendered in one place
 * (l10n.ts jsonTexts), and a saved JSON reads back into the model (textsFromJson).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonChunks } from '../../src/core/json-pieces';
import { ENGLISH_TEXTS, hasJsonText, jsonTexts, languages, MODEL_TEXTS, msg, render, t, textKey, textsFromJson, TEXTS_WITH_ENGLISH, verbatim } from '../../src/core/l10n';
import type { SourceResult } from '../../src/core/model';
import { read, tsFiles } from './repoFiles';

/** Members named after a shipped language (labelFr, summaryFr…) declared or written in a source file. */
function languageMembers(file: string, text: string, langs: readonly string[]): string[] {
  const suffixes = langs.filter((l) => l !== 'en').map((l) => textKey('', l));
  const found: string[] = [];
  text.split('\n').forEach((line, i) => {
    for (const s of suffixes) for (const m of line.matchAll(new RegExp(`\\b([a-z]\\w*${s})\\??\\s*:`, 'g'))) found.push(`${file}:${i + 1}: ${m[1]}`);
  });
  return found;
}

test('no model member per language in src/ (labelFr, explanationFr, summaryFr, whyFr…): texts are messages', () => {
  const langs = languages();
  assert.ok(langs.includes('fr'), 'the French catalogue is shipped');
  const found = tsFiles('src').flatMap((f) => languageMembers(f, read(f), langs));
  assert.deepEqual(found, [], 'use a Localized (l10n.ts msg) rendered where it is shown, not one member per language');
});

test('trap: the check finds a member per language where one is declared, not a word that merely ends in Fr', () => {
  const model = 'export interface X {\n  label: Localized;\n  labelFr?: string;\n}\nconst o = { summaryFr: s };';
  assert.deepEqual(languageMembers('x.ts', model, ['en', 'fr']), ['x.ts:3: labelFr', 'x.ts:5: summaryFr']);
  assert.deepEqual(languageMembers('y.ts', 'const Fr = 1; // labelFr is gone\nconst y = { fr: 1, offer: 2 };', ['en', 'fr']), []);
});

const source = (label = msg('host time zone')): SourceResult => ({ id: 'host_tz', label, command: 'c', status: 'ok', events: [], excerpt: '' });

test('the JSON report writes each text in English under its key, then in every other language (label, labelFr)', () => {
  const d = { sources: [source()], impact: { estimate: true, summary: msg('No failed send request in the window: nothing to estimate.') }, relay: { host: 'h', why: msg('given by --smtp-host / incidentLens.profile.smtpHost'), localPostfix: false } };
  const j = JSON.parse(JSON.stringify(d, jsonTexts, 2)) as Record<string, Record<string, unknown> & { [k: string]: unknown }>;
  const s = (j.sources as unknown as Record<string, unknown>[])[0];
  assert.deepEqual(Object.keys(s).slice(0, 3), ['id', 'label', 'labelFr'], 'labelFr right after label');
  assert.equal(s.label, 'host time zone');
  assert.equal(s.labelFr, t('fr', 'host time zone'));
  assert.notEqual(s.labelFr, s.label, 'translated');
  assert.equal(j.impact.summaryFr, t('fr', 'No failed send request in the window: nothing to estimate.'));
  assert.equal(j.relay.whyFr, t('fr', 'given by --smtp-host / incidentLens.profile.smtpHost'));
  // the advice stays a message (adviceText), its English text written right before it (advice), as docs/cli.md shows
  const advised = JSON.parse(JSON.stringify({ ...source(), adviceText: msg('Permission denied.') }, jsonTexts)) as { adviceText: unknown; advice: unknown };
  assert.deepEqual(advised.adviceText, { message: 'Permission denied.' });
  assert.equal(advised.advice, 'Permission denied.');
  assert.deepEqual(Object.keys(advised).slice(-2), ['advice', 'adviceText'], 'advice right before adviceText');
  // startHow in English only; the recommendations' keys as their English texts
  const more = JSON.parse(JSON.stringify({ attempts: [{ startHow: msg('nginx buffered the request body'), end: 'e' }], recommendations: ['django-logging'] }, jsonTexts)) as { attempts: { startHow: unknown }[]; recommendations: unknown };
  assert.equal(more.attempts[0].startHow, 'nginx buffered the request body');
  assert.deepEqual(more.recommendations, ['Configure Django LOGGING so that send errors reach a log file or the journal.']);
  // the writer's quick test per object reads every member of the tables by name
  for (const k of [...MODEL_TEXTS, ...Object.keys(TEXTS_WITH_ENGLISH), ...ENGLISH_TEXTS]) assert.ok(hasJsonText({ [k]: msg('x') }), `hasJsonText reads ${k}`);
  assert.ok(hasJsonText({ recommendations: [] }) && !hasJsonText({ id: 'x', message: 'x', advice: 'x' }), 'hasJsonText reads the recommendations, nothing else');
});

test('the report written in pieces is byte for byte JSON.stringify with the same replacer', () => {
  const deep = { a: { b: { c: { d: { sources: [source(msg('systemctl status {0}', 'app.service'))] } } } }, sources: [source()], causes: [{ id: 'x', explanation: msg('Permission denied.') }] };
  assert.equal([...jsonChunks(deep, 64, jsonTexts)].join(''), JSON.stringify(deep, jsonTexts, 2));
});

test('a saved JSON reads back: catalogue texts are messages again (rendered in French), others as they are', () => {
  const advised = { ...source(), adviceText: msg('Permission denied.') };
  const saved = JSON.parse(JSON.stringify({ sources: [source(), source(msg('systemctl status {0}', 'app.service')), advised], summary: [{ minute: 'm', counts: {} }], recommendations: ['async-send'] }, jsonTexts)) as unknown;
  const back = textsFromJson(saved) as { sources: SourceResult[]; summary: unknown; recommendations: unknown };
  assert.deepEqual(back.sources[2], advised, 'advice read into its message');
  assert.deepEqual(back.recommendations, ['async-send'], 'recommendations read back into their keys');
  const fields = { exception: 'SMTPDataError', message: 'Too many messages' };
  assert.deepEqual(textsFromJson({ fields }), { fields }, 'trap: a message with no messageText (an event field) is not a rendering');
  assert.deepEqual(back.sources[0].label, msg('host time zone'));
  assert.equal(render(back.sources[0].label, 'fr'), t('fr', 'host time zone'));
  assert.deepEqual(back.sources[1].label, verbatim('systemctl status app.service'), 'a text with arguments cannot be told back');
  assert.ok(!('labelFr' in back.sources[0]), 'labelFr read into the message');
  assert.deepEqual(back.summary, [{ minute: 'm', counts: {} }], 'an array named summary is not a text');
});
