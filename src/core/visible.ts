/**
 * Log text shown to a person, made inert: control characters that a terminal or an editor would act on
 * are shown as visible symbols instead. C0 controls other than tab and newline become the Unicode
 * Control Pictures (NUL ␀, ESC ␛, BEL ␇, …), DEL becomes ␡, C1 controls (U+0080–U+009F, e.g. the
 * one-byte CSI) become `\x9b`-style text. A carriage return that ends a line (CRLF logs) is dropped.
 * JSON output keeps the raw text (escaped by JSON itself, see jsonSafe).
 */

// eslint-disable-next-line no-control-regex
const CONTROLS = /\r(?=\n|$)|[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

function picture(c: string): string {
  if (c === '\r') return '';
  const n = c.charCodeAt(0);
  if (n < 0x20) return String.fromCharCode(0x2400 + n);
  if (n === 0x7f) return '\u2421';
  return `\\x${n.toString(16)}`;
}

/** Multi-line text (excerpts, reports): newlines and tabs kept, every other control shown visibly. */
export function visible(text: string): string {
  return text.replace(CONTROLS, picture);
}

/** One line (tree labels, evidence lines): a newline inside it is shown as ␊ too. */
export function visibleLine(text: string): string {
  return visible(text).replace(/\n/g, '\u240a');
}

/**
 * JSON text whose C1 controls are escaped too (JSON.stringify leaves U+0080–U+009F raw, and a UTF-8
 * terminal may act on them), as are U+2028/U+2029. Still valid JSON with the same value.
 */
export function jsonSafe(json: string): string {
  return json.replace(/[\x7f-\x9f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
