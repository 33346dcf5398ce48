// The timeline as one server-rendered HTML page with an inline SVG: no script, colours only from the CSS file
// (theme variables), every text escaped. Pure (no vscode): the webview passes its CSP source, the CSS URI and l10n.
import { shade, Timeline, TimelineRow } from './model';

/** A message formatter: vscode.l10n.t in the extension, `format` (English) in tests. `{0}`… are the arguments. */
export type Translate = (message: string, ...args: (string | number)[]) => string;

export const format: Translate = (message, ...args) => message.replace(/\{(\d+)\}/g, (m, i: string) => (Number(i) < args.length ? String(args[Number(i)]) : m));

export interface PageOptions {
  /** webview.cspSource: the only origin styles may come from. */
  cspSource: string;
  /** webview.asWebviewUri(media/timeline.css). */
  cssUri: string;
  /** `en` or `fr`: the page's lang attribute. */
  lang?: string;
  t?: Translate;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML/SVG content and attribute values. */
export function esc(s: string | number): string {
  return String(s).replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** The page's Content-Security-Policy: nothing but the extension's own style sheet; no script at all. */
export function csp(cspSource: string): string {
  return `default-src 'none'; style-src ${cspSource};`;
}

function page(title: string, body: string, o: PageOptions): string {
  return [
    '<!DOCTYPE html>',
    `<html lang="${esc(o.lang ?? 'en')}">`,
    '<head>',
    '<meta charset="UTF-8">',
    `<meta http-equiv="Content-Security-Policy" content="${esc(csp(o.cspSource))}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1.0">',
    `<link rel="stylesheet" href="${esc(o.cssUri)}">`,
    `<title>${esc(title)}</title>`,
    '</head>',
    `<body>${body}</body>`,
    '</html>',
  ].join('\n');
}

/** The page shown before any diagnosis (or after Clear). */
export function renderEmptyPage(o: PageOptions): string {
  const t = o.t ?? format;
  return page(t('Incident Timeline'), `<p class="empty">${esc(t('No diagnosis yet. Run "Incident Lens: Diagnose Mail Incident" to see its timeline.'))}</p>`, o);
}

const LABEL_W = 240;
const ROW_H = 20;
const ROW_GAP = 4;
const TOP = 44;
const RIGHT = 16;
const MAX_LABEL = 36;

export interface Geometry {
  cellW: number;
  width: number;
  height: number;
  /** x of a (fractional) column position. */
  x(column: number): number;
  /** y of a row's top. */
  y(row: number): number;
}

export function geometry(tl: Timeline): Geometry {
  const n = tl.columns.length;
  const cellW = Math.max(8, Math.min(48, Math.floor(900 / n)));
  const rows = Math.max(1, tl.rows.length);
  return {
    cellW,
    width: LABEL_W + n * cellW + RIGHT,
    height: TOP + rows * (ROW_H + ROW_GAP) + 8,
    x: (c) => Math.round((LABEL_W + c * cellW) * 10) / 10,
    y: (r) => TOP + r * (ROW_H + ROW_GAP),
  };
}

/** Long labels lose their middle (`nginx access log /v…/nginx/access.log`): both the name and the file stay. */
export function short(label: string): string {
  if (label.length <= MAX_LABEL) return label;
  const head = Math.ceil((MAX_LABEL - 1) / 2);
  return `${label.slice(0, head)}…${label.slice(label.length - (MAX_LABEL - 1 - head))}`;
}

function rowSvg(row: TimelineRow, r: number, tl: Timeline, g: Geometry, t: Translate): string {
  const y = g.y(r);
  const out: string[] = [];
  let rowTitle = t('{0} ({1}): {2} events in the window', row.label, row.source, row.total);
  if (row.outside) rowTitle += ` · ${t('{0} more just outside it', row.outside)}`;
  out.push(`<g class="row" data-source="${esc(row.source)}">`);
  out.push(`<rect class="lane" x="${g.x(0)}" y="${y}" width="${g.x(tl.columns.length) - g.x(0)}" height="${ROW_H}"></rect>`);
  out.push(`<text class="label" x="${LABEL_W - 8}" y="${y + ROW_H - 6}" text-anchor="end">${esc(short(row.label))}<title>${esc(rowTitle)}</title></text>`);
  row.counts.forEach((n, i) => {
    if (!n) return;
    const e = row.errors[i];
    const tip = [`${row.label} · ${tl.columns[i]}`, t('Events: {0}', n), ...(e ? [t('Errors: {0}', e)] : [])].join('\n');
    out.push(
      `<rect class="cell ${e ? 'err' : 'ok'} l${shade(n, tl.max)}" data-col="${i}" data-count="${n}" x="${g.x(i) + 1}" y="${y + 2}" width="${g.cellW - 2}" height="${ROW_H - 4}" rx="2"><title>${esc(tip)}</title></rect>`,
    );
  });
  out.push('</g>');
  return out.join('');
}

/** The chart: a row per source with events, a column per minute (or per `step` minutes), the moment's line. */
export function renderSvg(tl: Timeline, t: Translate = format): string {
  const g = geometry(tl);
  const n = tl.columns.length;
  const every = Math.max(1, Math.ceil(44 / g.cellW));
  const bottom = g.height - 4;
  const caption = tl.step === 1 ? t('Events per minute per source') : t('Events per {0} minutes per source', tl.step);
  const out: string[] = [];
  out.push(`<svg class="timeline" xmlns="http://www.w3.org/2000/svg" width="${g.width}" height="${g.height}" viewBox="0 0 ${g.width} ${g.height}" role="img" aria-labelledby="tl-caption">`);
  out.push(`<title id="tl-caption">${esc(caption)}</title>`);
  for (let i = 0; i <= n; i += every) {
    out.push(`<line class="grid" x1="${g.x(i)}" y1="${TOP - 6}" x2="${g.x(i)}" y2="${bottom}"></line>`);
    if (i < n) out.push(`<text class="axis" x="${g.x(i)}" y="${TOP - 10}" text-anchor="middle">${esc(tl.columns[i])}</text>`);
  }
  tl.rows.forEach((row, r) => out.push(rowSvg(row, r, tl, g, t)));
  if (tl.moment) {
    const x = g.x(tl.moment.offset);
    const hhmm = tl.moment.local.endsWith(':00') ? tl.moment.local.slice(11, 16) : tl.moment.local.slice(11, 19);
    const anchor = tl.moment.offset > n - 2 ? 'end' : tl.moment.offset < 2 ? 'start' : 'middle';
    out.push(`<g class="moment-mark"><line class="moment" x1="${x}" y1="16" x2="${x}" y2="${bottom}"></line>`);
    out.push(`<text class="moment-label" x="${x}" y="12" text-anchor="${anchor}">${esc(t('Incident {0}', hhmm))}</text></g>`);
  }
  out.push('</svg>');
  return out.join('\n');
}

function swatches(kind: 'ok' | 'err'): string {
  const rects = [1, 2, 3, 4, 5].map((l) => `<rect class="cell ${kind} l${l}" x="${(l - 1) * 12}" y="0" width="11" height="12" rx="2"></rect>`).join('');
  return `<svg class="swatch" width="60" height="12" viewBox="0 0 60 12" aria-hidden="true">${rects}</svg>`;
}

function legend(tl: Timeline, t: Translate): string {
  const items = [
    `<li>${swatches('ok')} ${esc(t('Events (lighter: fewer, darker: more, up to {0} in one cell)', tl.max))}</li>`,
    `<li>${swatches('err')} ${esc(t('Errors, timeouts, kills, deferred mail'))}</li>`,
  ];
  if (tl.moment) items.push(`<li><svg class="swatch" width="24" height="12" viewBox="0 0 24 12" aria-hidden="true"><line class="moment" x1="12" y1="0" x2="12" y2="12"></line></svg> ${esc(t('The incident moment you gave ({0})', tl.moment.local))}</li>`);
  return `<ul class="legend">${items.join('')}</ul>`;
}

function summary(tl: Timeline, t: Translate): string {
  const lines = tl.rows.map((row) => {
    const busiest = row.counts.indexOf(Math.max(...row.counts));
    const errors = row.errors.reduce((a, b) => a + b, 0);
    return `<li>${esc(t('{0}: {1} events ({2} errors), busiest at {3} ({4})', row.label, row.total, errors, tl.columns[busiest], row.counts[busiest]))}</li>`;
  });
  return `<details class="summary"><summary>${esc(t('Summary'))}</summary><ul>${lines.join('')}</ul></details>`;
}

/** The verdict as the page's heading. */
export function heading(tl: Timeline, t: Translate = format): string {
  if (tl.verdict === 'none') return t('Verdict: no cause identified');
  const v = t('Verdict: {0}', tl.verdictLabel ?? tl.verdict);
  return tl.confidence !== undefined ? `${v} (${t('{0}% confidence', String(Math.round(tl.confidence * 100)))})` : v;
}

/** The whole page for a diagnosis's timeline. */
export function renderTimelinePage(tl: Timeline, o: PageOptions): string {
  const t = o.t ?? format;
  const local = (iso: string) => iso.slice(0, 16).replace('T', ' ');
  const body = [
    `<h1>${esc(heading(tl, t))}</h1>`,
    `<p class="sub">${esc(t('Window {0} → {1} ({2}) on {3}', local(tl.since), local(tl.until), tl.tz, tl.target))}</p>`,
    tl.rows.length ? `<div class="chart">${renderSvg(tl, t)}</div>` : `<p class="empty">${esc(t('No event from any source in the window.'))}</p>`,
    legend(tl, t),
    tl.quiet.length ? `<p class="quiet">${esc(t('Sources without events in the window: {0}', tl.quiet.join(', ')))}</p>` : '',
    tl.rows.length ? summary(tl, t) : '',
  ];
  return page(t('Incident Timeline'), body.filter(Boolean).join('\n'), o);
}
