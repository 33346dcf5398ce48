// THE message catalogue of Incident Lens. As with vscode.l10n, a message's English text is its id; each other language
// is one file, l10n/bundle.l10n.<lang>.json, mapping ids to translations. The extension (vscode.l10n.t), the language
// server (given the folder as vscode-yaml hands its server `l10nPath`) and the CLI/report (this module) read the same
// files: adding a language is adding its catalogue files (bundle.l10n.<lang>.json, package.nls.<lang>.json).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { recommendationEnglish, recommendationId } from './recommendations';

/** A language tag as the catalogue files name it ('en', 'fr'); 'en' is the ids themselves. */
export type Lang = string;

/** A message to render in the reader's language: its id (the English text, `{0}` placeholders) and arguments. */
export interface Localized {
  message: string;
  args?: Arg[];
}

/** A placeholder's value: as a template literal would print it; a Localized argument renders in the same language. */
export type Arg = string | number | boolean | undefined | Localized;

/** A message of the catalogue with its arguments, rendered later in the reader's language. */
export function msg(message: string, ...args: Arg[]): Localized {
  return args.length ? { message, args } : { message };
}

const BUNDLE = /^bundle\.l10n\.([a-z]{2,3}(?:-[a-z0-9]+)*)\.json$/i;
let dir: string | undefined;
const loaded = new Map<Lang, Record<string, string>>();
/** languages(), once read. */
let langs: Lang[] | undefined;

/** The l10n folder: set by the host (the language server's l10nPath), else the one beside the installed package. */
export function useCatalogueDir(d: string): void {
  dir = d;
  loaded.clear();
  langs = undefined;
}

function catalogueDir(): string {
  if (dir) return dir;
  // dist/cli.js, dist/server.js, dist/extension.js, or src/core/ under tsx: the package root holds l10n/
  for (let d = __dirname; ; d = dirname(d)) {
    if (existsSync(join(d, 'package.json')) && existsSync(join(d, 'l10n'))) return (dir = join(d, 'l10n'));
    if (dirname(d) === d) return (dir = join(__dirname, 'l10n'));
  }
}

/**
 * Every language with a catalogue file, English first. The folder is read once (as each catalogue is, `loaded`):
 * jsonTexts asks for every text of a report.
 */
export function languages(): Lang[] {
  if (!langs) {
    const d = catalogueDir();
    const found = existsSync(d) ? readdirSync(d).flatMap((f) => BUNDLE.exec(f)?.[1]?.toLowerCase() ?? []) : [];
    langs = ['en', ...found.filter((l) => l !== 'en').sort()];
  }
  return [...langs];
}

/** The catalogue of one language ({} for English and for a language without a file). */
export function catalogue(lang: Lang): Record<string, string> {
  if (lang === 'en') return {};
  let c = loaded.get(lang);
  if (!c) {
    const f = join(catalogueDir(), `bundle.l10n.${lang}.json`);
    c = existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as Record<string, string>) : {};
    loaded.set(lang, c);
  }
  return c;
}

/** The language of a locale ('fr-FR' → 'fr') when it has a catalogue, else English. */
export function langOf(locale: string | undefined): Lang {
  const tag = (locale ?? '').toLowerCase();
  const known = languages();
  return known.find((l) => tag === l) ?? known.find((l) => tag.startsWith(`${l}-`) || tag.startsWith(`${l}_`)) ?? 'en';
}

/** Fills `{0}`, `{1}`… */
export function format(template: string, args: readonly Arg[] = [], lang: Lang = 'en'): string {
  return template.replace(/\{(\d+)\}/g, (m, i: string) => {
    if (Number(i) >= args.length) return m;
    const a = args[Number(i)];
    return typeof a === 'object' ? render(a, lang) : String(a);
  });
}

/** The message in `lang` (the English id when the language lacks it), placeholders filled. */
export function t(lang: Lang, message: string, ...args: Arg[]): string {
  return format(catalogue(lang)[message] ?? message, args, lang);
}

/** Renders a Localized message in `lang`. */
export function render(m: Localized, lang: Lang): string {
  return t(lang, m.message, ...(m.args ?? []));
}

/** A text no catalogue made (a host's stderr, a path, a library's error): shown as it is in every language. */
export function verbatim(text: string): Localized {
  return { message: '{0}', args: [text] };
}

/** A catalogue message as is, any other text verbatim. */
export function asLocalized(m: string | Localized): Localized {
  return typeof m === 'string' ? verbatim(m) : m;
}

/** Messages joined by `sep`, then `end` (no words of their own: nothing to translate), each in the reader's language. */
export function joined(sep: string, parts: readonly (string | Localized)[], end = ''): Localized {
  return { message: parts.map((_, i) => `{${i}}`).join(sep) + end, args: parts.map(asLocalized) };
}

/**
 * The model's texts (SourceResult.label, CauseAssessment.explanation, Impact.summary, the relay's and beforeLoop's
 * why): catalogue messages in the model, rendered where they are shown. The JSON report writes each as `key` in
 * English, then `key` + Language in every other language of the catalogue (label, labelFr): docs/cli.md's shape.
 */
export const MODEL_TEXTS: readonly string[] = ['label', 'explanation', 'summary', 'why'];

/**
 * The model's messages the JSON writes as their English text beside the message itself (docs/cli.md: `advice` and
 * `adviceText`): SourceResult.adviceText, FleetHost.errorText / adviceText, the follow's messageText. The model holds
 * only the message (`adviceText`); the JSON writer puts `advice` (its English rendering) right before it.
 */
export const TEXTS_WITH_ENGLISH: Readonly<Record<string, string>> = { adviceText: 'advice', errorText: 'error', messageText: 'message' };

/** The model's messages the JSON writes in English only (Impact.attempts[].startHow): docs/cli.md's shape. */
export const ENGLISH_TEXTS: readonly string[] = ['startHow'];

/** Lists of ids the JSON writes as their English texts, and reads back: the recommendations (docs/cli.md). */
const LIST_TEXTS: ReadonlyMap<string, { toText(id: string): string; fromText(text: string): string }> = new Map([
  ['recommendations', { toText: recommendationEnglish, fromText: recommendationId }],
]);

/** A Localized value: `message` and, maybe, `args`, nothing else. */
function isLocalized(v: unknown): v is Localized {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  return typeof o.message === 'string' && (o.args === undefined || Array.isArray(o.args)) && Object.keys(o).every((k) => k === 'message' || k === 'args');
}

/** The JSON member of a text in `lang`: `key` for English, `keyFr` for French, `keyPtBr` for pt-br. */
export function textKey(key: string, lang: Lang): string {
  return lang === 'en' ? key : key + lang.split('-').map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('');
}

/**
 * Whether an object has a text the JSON writes otherwise than the model holds it: called for every object of a
 * report, so the members of MODEL_TEXTS, TEXTS_WITH_ENGLISH, ENGLISH_TEXTS and LIST_TEXTS are read by name (a
 * unit test checks this list against those tables).
 */
export function hasJsonText(o: { [k: string]: unknown }): boolean {
  return isLocalized(o.label) || isLocalized(o.explanation) || isLocalized(o.summary) || isLocalized(o.why) || isLocalized(o.adviceText) || isLocalized(o.errorText) || isLocalized(o.messageText) || isLocalized(o.startHow) || Array.isArray(o.recommendations);
}

/**
 * JSON.stringify's replacer for the model (and the one step of json-pieces.ts): an object's Localized texts become
 * their renderings, in place: `label` then `labelFr`…; `advice` (English) then `adviceText` (the message);
 * `startHow` in English; a list of ids (recommendations) as their texts. Everything else is left as it is.
 */
export function jsonTexts(_key: string, v: unknown): unknown {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return v;
  const o = v as Record<string, unknown>;
  if (!hasJsonText(o)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(o)) {
    const list = LIST_TEXTS.get(k);
    if (MODEL_TEXTS.includes(k) && isLocalized(x)) for (const lang of languages()) out[textKey(k, lang)] = render(x, lang);
    else if (k in TEXTS_WITH_ENGLISH && isLocalized(x)) {
      out[TEXTS_WITH_ENGLISH[k]] = render(x, 'en');
      out[k] = x;
    } else if (ENGLISH_TEXTS.includes(k) && isLocalized(x)) out[k] = render(x, 'en');
    else if (list && Array.isArray(x)) out[k] = x.map((id) => (typeof id === 'string' ? list.toText(id) : id));
    else out[k] = x;
  }
  return out;
}

/**
 * The reverse, for a diagnosis read back from its JSON (a saved report, a test snapshot): each `key` / `keyFr`…
 * text becomes a message again — the catalogue id when the English text is one, else that text as it is (a text
 * with arguments cannot be told back from its rendering: it reads the same in every language).
 */
export function textsFromJson<T>(v: T): T {
  return textsBack(v, languages().filter((l) => l !== 'en')) as T;
}

/** `advice` → `adviceText`…: the JSON's English member → the message it renders. */
const TWINS: ReadonlyMap<string, string> = new Map(Object.entries(TEXTS_WITH_ENGLISH).map(([k, en]) => [en, k]));

function textsBack(v: unknown, others: readonly Lang[]): unknown {
  if (Array.isArray(v)) return v.map((x) => textsBack(x, others));
  if (!v || typeof v !== 'object' || isLocalized(v)) return v;
  const o = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const rendered = new Set(MODEL_TEXTS.filter((k) => typeof o[k] === 'string').flatMap((k) => others.map((l) => textKey(k, l))));
  for (const [k, x] of Object.entries(o)) {
    if (rendered.has(k) && typeof x === 'string') continue;
    const twin = TWINS.get(k);
    const list = LIST_TEXTS.get(k);
    // `advice` right before its `adviceText`: the message is read (a `message` or `error` without one, e.g. an event's
    // fields.message, is not a rendering and stays as it is)
    if (twin && typeof x === 'string' && isLocalized(o[twin])) continue;
    if ((MODEL_TEXTS.includes(k) || ENGLISH_TEXTS.includes(k)) && typeof x === 'string') out[k] = fromText(x, others);
    else if (list && Array.isArray(x)) out[k] = x.map((t) => (typeof t === 'string' ? list.fromText(t) : t));
    else out[k] = textsBack(x, others);
  }
  return out;
}

function fromText(text: string, others: readonly Lang[]): Localized {
  const known = others.some((l) => catalogue(l)[text] !== undefined);
  return known && !/\{\d+\}/.test(text) ? msg(text) : verbatim(text);
}
