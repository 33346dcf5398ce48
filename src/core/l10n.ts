// THE message catalogue of Incident Lens. As with vscode.l10n, a message's English text is its id; each other language
// is one file, l10n/bundle.l10n.<lang>.json, mapping ids to translations. The extension (vscode.l10n.t), the language
// server (given the folder as vscode-yaml hands its server `l10nPath`) and the CLI/report (this module) read the same
// files: adding a language is adding its catalogue files (bundle.l10n.<lang>.json, package.nls.<lang>.json).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

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

/** The message in English and French, for the model's `x` / `xFr` pairs (their JSON shape is documented in docs/cli.md). */
export function enFr(m: Localized | Localized[]): { en: string; fr: string } {
  const all = Array.isArray(m) ? m : [m];
  return { en: all.map((x) => render(x, 'en')).join(' '), fr: all.map((x) => render(x, 'fr')).join(' ') };
}

/** A model text in `lang`: the member `key` + language (explanationFr) when the model has it, else `key` (English). */
export function textIn<K extends string, O extends { [k in K]: string }>(o: O, key: K, lang: Lang): string {
  const own = lang === 'en' ? undefined : (o as Record<string, unknown>)[`${key}${lang.charAt(0).toUpperCase()}${lang.slice(1)}`];
  return typeof own === 'string' && own ? own : o[key];
}

/** The model's documented `key` / `keyFr` pair (label/labelFr, summary/summaryFr, why/whyFr) from one message. */
export function pairOf<K extends string>(key: K, m: Localized | Localized[]): Record<K | `${K}Fr`, string> {
  const { en, fr } = enFr(m);
  return { [key]: en, [`${key}Fr`]: fr } as Record<K | `${K}Fr`, string>;
}

const BUNDLE = /^bundle\.l10n\.([a-z]{2,3}(?:-[a-z0-9]+)*)\.json$/i;
let dir: string | undefined;
const loaded = new Map<Lang, Record<string, string>>();

/** The l10n folder: set by the host (the language server's l10nPath), else the one beside the installed package. */
export function useCatalogueDir(d: string): void {
  dir = d;
  loaded.clear();
}

function catalogueDir(): string {
  if (dir) return dir;
  // dist/cli.js, dist/server.js, dist/extension.js, or src/core/ under tsx: the package root holds l10n/
  for (let d = __dirname; ; d = dirname(d)) {
    if (existsSync(join(d, 'package.json')) && existsSync(join(d, 'l10n'))) return (dir = join(d, 'l10n'));
    if (dirname(d) === d) return (dir = join(__dirname, 'l10n'));
  }
}

/** Every language with a catalogue file, English first. */
export function languages(): Lang[] {
  const d = catalogueDir();
  const found = existsSync(d) ? readdirSync(d).flatMap((f) => BUNDLE.exec(f)?.[1]?.toLowerCase() ?? []) : [];
  return ['en', ...found.filter((l) => l !== 'en').sort()];
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
