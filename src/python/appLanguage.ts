// The language of the app a fix writes into: its settings' LANGUAGE_CODE, else the language of its own strings
// (French when its string literals read as French). Text a user sees (messages framework) follows it.
import { readFileSync } from 'node:fs';
import type { Tree } from 'web-tree-sitter';
import type { PythonParser } from './parser';
import { descendants, field, kids } from './nodes';
import { findSettingsFile } from './settingsLocator';

export type AppLang = 'fr' | 'en';

const FRENCH_WORDS = ['le', 'la', 'les', 'des', 'du', 'un', 'une', 'à', 'aux', 'pour', 'avec', 'est', 'sont', 'vous', 'nous', 'envoyé', 'envoi', 'message', 'adhérents'];
const ENGLISH_WORDS = ['the', 'to', 'of', 'and', 'is', 'are', 'you', 'we', 'for', 'with', 'sent', 'your', 'has', 'been'];

function languageCode(tree: Tree): string | undefined {
  for (const s of kids(tree.rootNode)) {
    const a = s.type === 'expression_statement' ? kids(s)[0] : undefined;
    if (a?.type !== 'assignment' || field(a, 'left')?.text !== 'LANGUAGE_CODE') continue;
    const right = field(a, 'right');
    const content = right?.type === 'string' ? kids(right).filter((k) => k.type === 'string_content').map((k) => k.text).join('') : undefined;
    if (content) return content;
  }
  return undefined;
}

/** French or English from the words of the file's string literals (docstrings and comments excluded). */
export function stringsLanguage(tree: Tree): AppLang | undefined {
  let fr = 0;
  let en = 0;
  for (const d of descendants(tree.rootNode, false)) {
    if (d.type !== 'string' || d.parent?.type === 'expression_statement') continue;
    const text = kids(d).filter((k) => k.type === 'string_content').map((k) => k.text).join(' ').toLowerCase();
    if (/[éèêàçùâîôû]/.test(text)) fr += 2;
    for (const w of text.split(/[^a-zà-ÿ]+/)) {
      if (FRENCH_WORDS.includes(w)) fr++;
      else if (ENGLISH_WORDS.includes(w)) en++;
    }
  }
  if (fr === 0 && en === 0) return undefined;
  return fr > en ? 'fr' : 'en';
}

/** The app's language for the file: LANGUAGE_CODE of its project's settings, else its strings, else English. */
export function appLanguage(parser: PythonParser, file: string, tree: Tree): AppLang {
  try {
    const settings = findSettingsFile(parser, file);
    if (settings) {
      const t = parser.parse(readFileSync(settings, 'utf8'));
      try {
        const code = languageCode(t);
        if (code) return code.toLowerCase().startsWith('fr') ? 'fr' : 'en';
      } finally {
        t.delete();
      }
    }
  } catch {
    // unreadable settings: fall back to the file's own strings
  }
  return stringsLanguage(tree) ?? 'en';
}
