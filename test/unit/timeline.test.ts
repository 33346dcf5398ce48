/**
 * The Incident Timeline's pure parts on a real diagnosis: the engine runs in-process on the seed incident's files
 * (LocalRunner + root, as `diagnose --root` does), then bins, the moment's marker, escaping, CSP and l10n.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { diagnose, DEFAULT_PROFILE, localText, parseLocalTime, type Diagnosis } from '../../src/core/index';
import { LocalRunner } from '../../src/transport/local';
import { FIXTURES_ROOT } from '../host/testHost';
import { buildTimeline, columnStep, incidentMoment, isErrorKind, shade } from '../../src/ui/timeline/model';
import { csp, esc, format, geometry, renderEmptyPage, renderSvg, renderTimelinePage, short, type Translate } from '../../src/ui/timeline/render';
import { verbatim } from '../../src/core/l10n';

const ROOT = resolve(__dirname, '..', '..');
const AT = { date: '2025-01-15', time: '22:20' };
const PAGE = { cspSource: 'vscode-webview://abc123', cssUri: 'vscode-webview://abc123/media/timeline.css' };

/** The seed incident diagnosed once per test process (the engine on the fixture's files, in-process). */
let seeded: Promise<Diagnosis> | undefined;
function seed(): Promise<Diagnosis> {
  seeded ??= (async () => {
    const runner = new LocalRunner();
    try {
      return await diagnose(runner, { profile: DEFAULT_PROFILE, at: '2025-01-15 22:20', tz: 'Europe/Paris', root: join(FIXTURES_ROOT, 'seed-incident') });
    } finally {
      await runner.close();
    }
  })();
  return seeded;
}

const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** One column a minute, every in-window event counted once in its minute (expected bins derived independently). */
function checkBins(d: Diagnosis): void {
  const tl = buildTimeline(d);
  assert.equal(tl.step, 1);
  assert.deepEqual(tl.columns, ['22:15', '22:16', '22:17', '22:18', '22:19', '22:20', '22:21', '22:22', '22:23', '22:24', '22:25', '22:26', '22:27', '22:28', '22:29']);
  assert.equal(tl.start, parseLocalTime('2025-01-15 22:15', 'Europe/Paris').getTime());
  // the expected bins, derived independently: each event's local HH:MM names its column
  for (const s of d.sources) {
    const counts = new Array(tl.columns.length).fill(0);
    const errors = new Array(tl.columns.length).fill(0);
    for (const e of s.events) {
      const i = tl.columns.indexOf(localText(Date.parse(e.time), 'Europe/Paris').slice(11, 16));
      if (i < 0) continue;
      counts[i]++;
      if (isErrorKind(e.kind)) errors[i]++;
    }
    const row = tl.rows.find((r) => r.source === s.id);
    if (!counts.some(Boolean)) {
      assert.equal(row, undefined, `${s.id} has no row`);
      assert.ok(tl.quiet.includes(s.id), `${s.id} listed as quiet`);
      continue;
    }
    assert.ok(row, `${s.id} has a row`);
    assert.deepEqual(row.counts, counts, `${s.id} counts`);
    assert.deepEqual(row.errors, errors, `${s.id} errors`);
    assert.equal(row.total + row.outside, s.events.length, `${s.id}: every event either drawn or outside`);
  }
  assert.equal(tl.max, Math.max(...tl.rows.flatMap((r) => r.counts)));
  // the story: the 502 and nginx's "upstream prematurely closed" at 22:20 are errors; the GET at 22:18:14 is not
  const access = tl.rows.find((r) => r.source === 'nginx_access')!;
  assert.ok(access.errors[5] >= 1, 'the POST 502 at 22:20 is an error');
  assert.ok(access.counts[3] >= 1 && access.errors[3] === 0, 'the GET at 22:18 is plain traffic');
  assert.ok(tl.rows.find((r) => r.source === 'nginx_error')!.errors[5] >= 1);
  const worker = d.sources.flatMap((s) => s.events).find((e) => e.kind === 'worker_timeout')!;
  assert.equal(localText(Date.parse(worker.time), 'Europe/Paris').slice(11, 16), '22:20');
  assert.equal(tl.verdict, 'http_timeout');
}

describe('timeline of the seed incident', () => {
  let d: Diagnosis;
  before(async () => {
    d = await seed();
    assert.equal(d.verdict, 'http_timeout', 'the engine read the seed incident');
  });

  test('bins: one column a minute from 22:15 to 22:29 local, every in-window event counted once in its minute', () => checkBins(d));

  test('the incident moment: from the run\'s date and time, from since+before, from window.at; none when unknown or outside', () => {
    const at = parseLocalTime('2025-01-15 22:20', 'Europe/Paris').getTime();
    assert.equal(incidentMoment(d, AT), at);
    assert.equal(incidentMoment(d, { before: '5m' }), at);
    assert.equal(incidentMoment({ ...d, window: { ...d.window, at: '2025-01-15T22:20:00.000+01:00' } } as Diagnosis), at);
    assert.equal(incidentMoment(d), at, 'the engine writes window.at when the user gave a moment');
    const noAt = { ...d, window: { since: d.window.since, until: d.window.until, tz: d.window.tz } } as Diagnosis;
    assert.equal(incidentMoment(noAt), undefined);
    assert.equal(incidentMoment(noAt, { date: '2025-01-16', time: '22:20' }), undefined, 'a moment outside the window is another run\'s');
    assert.equal(incidentMoment(noAt, { date: 'yesterday', time: '22:20' }), undefined);
  });

  test('the marker: a vertical line at 22:20, on the 22:20 tick, labelled; absent when the moment is unknown', () => {
    const tl = buildTimeline(d, incidentMoment(d, AT));
    assert.deepEqual(tl.moment, { offset: 5, local: '2025-01-15 22:20:00' });
    const svg = renderSvg(tl);
    const g = geometry(tl);
    const line = /<line class="moment" x1="([\d.]+)" y1="(\d+)" x2="([\d.]+)" y2="(\d+)">/.exec(svg);
    assert.ok(line, 'moment line drawn');
    assert.equal(Number(line[1]), g.x(5));
    assert.equal(line[1], line[3], 'vertical');
    assert.ok(Number(line[4]) > g.y(tl.rows.length - 1), 'spans every row');
    const tick = /<text class="axis" x="([\d.]+)"[^>]*>22:20<\/text>/.exec(svg);
    assert.ok(tick, '22:20 tick labelled');
    assert.equal(tick[1], line[1], 'the line sits on the 22:20 tick');
    assert.match(svg, /<text class="moment-label" x="[\d.]+" y="\d+" text-anchor="middle">Incident 22:20<\/text>/);
    // the 22:20 cell of nginx_access is in the error colour, the 22:18 one in the plain colour
    assert.match(svg, /<g class="row" data-source="nginx_access">.*<rect class="cell err l\d" data-col="5"/s);
    assert.match(svg, /<g class="row" data-source="nginx_access">.*<rect class="cell ok l\d" data-col="3"/s);
    assert.doesNotMatch(renderSvg(buildTimeline(d)), /class="moment/);
  });

  test('the page: verdict as heading, strict CSP, no script, no inline style, the extension\'s style sheet only', () => {
    const html = renderTimelinePage(buildTimeline(d, incidentMoment(d, AT)), PAGE);
    assert.match(html, /<h1>Verdict: http_timeout \(\d\d% confidence\)<\/h1>/);
    assert.match(renderTimelinePage({ ...buildTimeline(d, incidentMoment(d, AT)), verdictLabel: 'HTTP timeout' }, PAGE), /<h1>Verdict: HTTP timeout \(\d\d% confidence\)<\/h1>/);
    assert.match(html, /Window 2025-01-15 22:15 → 2025-01-15 22:30 \(Europe\/Paris\) on local/);
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
    assert.ok(meta, 'CSP meta present');
    assert.equal(unescape(meta[1]), "default-src 'none'; style-src vscode-webview://abc123;");
    assert.equal(csp('x'), "default-src 'none'; style-src x;");
    for (const s of html.match(/<script\b[^>]*>/gi) ?? []) assert.match(s, /\snonce="[^"]+"/, `script without nonce: ${s}`);
    assert.doesNotMatch(html, /<script/i, 'no script at all');
    assert.doesNotMatch(html, /\sstyle=|<style/i, 'no inline style (CSP would block it)');
    assert.doesNotMatch(html, /\son[a-z]+=/i, 'no event handler attribute');
    const links = [...html.matchAll(/<link [^>]*href="([^"]*)"/g)].map((m) => m[1]);
    assert.deepEqual(links, [PAGE.cssUri]);
    assert.ok(PAGE.cssUri.startsWith(PAGE.cspSource), 'the style sheet comes from the allowed source');
    assert.match(html, /<ul class="legend">.*Events.*Errors.*The incident moment you gave \(2025-01-15 22:20:00\)/s);
    assert.match(html, /Sources without events in the window: .*journal/);
    const empty = renderEmptyPage(PAGE);
    assert.match(empty, /Content-Security-Policy/);
    assert.match(empty, /No diagnosis yet/);
  });

  test('labels, target and verdict text are escaped in the SVG and the page', () => {
    const nasty = `<img src=x onerror="alert(1)"> & 'q'`;
    const evil: Diagnosis = { ...d, target: 'deploy@"><script>x</script>', sources: d.sources.map((s) => (s.id === 'nginx_access' ? { ...s, label: verbatim(nasty), id: 'a"b' } : s)) };
    const html = renderTimelinePage(buildTimeline(evil, incidentMoment(evil, AT)), PAGE);
    assert.doesNotMatch(html, /<img|<script|onerror="/i);
    assert.ok(html.includes(esc(nasty)), 'full label escaped in the summary');
    assert.equal(esc(nasty), '&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &#39;q&#39;');
    assert.ok(html.includes('data-source="a&quot;b"'), 'attribute values escaped');
    assert.ok(html.includes('deploy@&quot;&gt;&lt;script&gt;x&lt;/script&gt;'));
  });
});

describe('timeline helpers', () => {
  test('columns stay one a minute up to 4 h, then widen so a long window stays readable', () => {
    assert.equal(columnStep(15 * 60_000), 1);
    assert.equal(columnStep(240 * 60_000), 1);
    assert.equal(columnStep(241 * 60_000), 2);
    assert.equal(columnStep(10 * 24 * 3600_000), 60);
    assert.equal(columnStep(31 * 24 * 3600_000), 360);
  });

  test('shade: empty cells 0, the busiest 5, a single event still visible next to a burst', () => {
    assert.equal(shade(0, 9), 0);
    assert.equal(shade(9, 9), 5);
    assert.equal(shade(1, 1), 5);
    assert.equal(shade(1, 9), 2);
    for (let n = 1; n < 9; n++) assert.ok(shade(n, 9) <= shade(n + 1, 9));
  });

  test('long source labels keep their start and their file name', () => {
    assert.equal(short('syslog /var/log/syslog'), 'syslog /var/log/syslog');
    const s = short('PostgreSQL /var/log/postgresql/postgresql-*.log');
    assert.equal(s.length, 36);
    assert.match(s, /^PostgreSQL .*….*postgresql-\*\.log$/);
  });

  test('format fills {0}… and leaves unknown placeholders', () => {
    assert.equal(format('{0} of {1}, {2}', 'a', 3), 'a of 3, {2}');
  });
});

describe('timeline theme and translations', () => {
  test('media/timeline.css uses only theme colours (var(--vscode-*))', () => {
    const css = readFileSync(join(ROOT, 'media', 'timeline.css'), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
    const decls = [...css.matchAll(/(^|[;{\s])(color|background(?:-color)?|fill|stroke|border(?:-color)?|outline-color)\s*:\s*([^;}]+)/g)];
    assert.ok(decls.length >= 6);
    for (const [, , prop, value] of decls) {
      assert.match(value.trim(), /^var\(--vscode-[\w-]+(, var\(--vscode-[\w-]+\))?\)$/, `${prop}: ${value}`);
    }
    assert.doesNotMatch(css, /#[0-9a-f]{3,8}\b|rgba?\(|hsla?\(/i);
  });

  test('every string of the timeline and the report export has a French translation with the same placeholders', async () => {
    const fr: Record<string, string> = JSON.parse(readFileSync(join(ROOT, 'l10n', 'bundle.l10n.fr.json'), 'utf8'));
    const used = new Set<string>();
    const record: Translate = (m, ...a) => {
      used.add(m);
      return format(m, ...a);
    };
    {
      const d = await seed();
      const full = buildTimeline(d, incidentMoment(d, AT));
      renderTimelinePage(full, { ...PAGE, t: record });
      renderTimelinePage({ ...full, rows: [], verdict: 'none', step: 5 }, { ...PAGE, t: record });
      renderSvg({ ...full, step: 5 }, record);
      // an event the engine kept just outside the window (request slack) is counted apart
      const early = { ...d.sources[0], id: 'early', events: [{ time: '2025-01-15T22:14:30.000+01:00', source: 'early', line: 'x', kind: 'info' as const }, { time: '2025-01-15T22:16:00.000+01:00', source: 'early', line: 'y', kind: 'info' as const }] };
      const withEarly = buildTimeline({ ...d, sources: [early] });
      assert.deepEqual([withEarly.rows[0].total, withEarly.rows[0].outside], [1, 1]);
      assert.match(renderTimelinePage(withEarly, { ...PAGE, t: record }), /1 more just outside it/);
      renderEmptyPage({ ...PAGE, t: record });
      // the literal l10n.t('…') messages of the VS Code side
      for (const f of ['src/ui/report.ts', 'src/ui/timeline/index.ts']) {
        const src = readFileSync(join(ROOT, f), 'utf8');
        for (const m of src.matchAll(/l10n\.t\(\s*'((?:[^'\\]|\\.)*)'/g)) used.add(m[1].replace(/\\'/g, "'"));
      }
      assert.ok(used.size >= 20, `found ${used.size} messages`);
      const placeholders = (s: string) => [...s.matchAll(/\{\d+\}/g)].map((m) => m[0]).sort();
      for (const m of used) {
        assert.ok(m in fr, `no French for ${JSON.stringify(m)}`);
        assert.deepEqual(placeholders(fr[m]), placeholders(m), `placeholders of ${JSON.stringify(m)}`);
      }
      const french: Translate = (m, ...a) => format(fr[m] ?? m, ...a);
      const html = renderTimelinePage(full, { ...PAGE, lang: 'fr', t: french });
      assert.match(html, /<html lang="fr">/);
      assert.match(html, /<title>Chronologie de l’incident<\/title>/);
      assert.match(html, /<h1>Verdict : http_timeout \(confiance \d\d %\)<\/h1>/);
    }
  });
});
