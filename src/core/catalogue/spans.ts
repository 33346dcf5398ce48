/**
 * How far back each log reaches, whatever the window: the first lines of every rotation (`zgrep -m 3`, so a .gz
 * is not read to its end), the files' modification times (the last write), and the journal files' head and tail
 * timestamps (`journalctl --header`). Cheap and read-only; lets a silent source say "I do not cover the window".
 */
import type { Profile } from '../profile';
import { shq } from '../shell';
import type { CatalogueInput, SourceDef } from './types';
import { msg } from '../l10n';
import { SPAN_READER } from './span-reader';

export const SPAN_MARK = '@@ span ';
export const MTIME_MARK = '@@ mtime ';
/** `EPOCH-SECONDS …`: the first entry of a journal read by host (a central store), the span's start. */
export const FIRST_MARK = '@@ first ';
/** In a bundle: what follows was measured on the folder itself (used only when the bundle carries no host spans). */
export const MEASURED_MARK = '@@ measured in the folder';

const dirname = (p: string) => p.replace(/\/[^/]*$/, '') || '/';
const basename = (p: string) => p.replace(/^.*\//, '');

/** The text logs whose span matters for a verdict, by source id. */
export function spanPaths(p: Profile): [string, string][] {
  return [
    ['nginx_access', p.nginxAccessLog],
    ['nginx_error', p.nginxErrorLog],
    ['gunicorn_log', p.gunicornLog],
    ['mail_log', p.mailLog],
    ['syslog', p.syslog],
  ];
}

function textSpan(root: string, id: string, path: string, mtimes: boolean): string {
  const base = basename(path);
  const find = `find ${shq(root + dirname(path))} -maxdepth 1 -type f '(' -name ${shq(base)} -o -name ${shq(base + '.*')} -o -name ${shq(base + '-*')} ')'`;
  // ONE find per log (it was three, each piped to xargs: ~7 processes where this starts 1-3): the last writes, then
  // the first lines — grep for the plain files (zgrep is a script that starts gzip for each file: ~4 ms where grep
  // costs 1), zgrep for the .gz. find flushes its own output before it starts a command, so lines never mix.
  const mtime = mtimes ? ` -printf ${shq(`${MTIME_MARK}%T@ %p\\n`)}` : '';
  return [
    `echo ${shq(SPAN_MARK + id)}`,
    `${find}${mtime} '(' '!' -name '*.gz' -exec grep -H -a -m 3 -e '' -- '{}' + -o -exec zgrep -H -a -m 3 -e '' -- '{}' + ')' 2>/dev/null`,
  ].join('; ');
}

/**
 * The text logs' spans: one perl (span-reader.ts) where the host has it, else a find | grep / zgrep per log; the same
 * lines either way.
 */
export function textSpans(root: string, logs: [string, string][], mtimes: boolean): string {
  const args = logs.flatMap(([id, path]) => [root + dirname(path), basename(path), id]);
  const perl = `perl -e ${shq(SPAN_READER)} -- ${mtimes ? 1 : 0} ${args.map(shq).join(' ')} 2>/dev/null`;
  return `if command -v perl >/dev/null 2>&1; then ${perl}; else ${logs.map(([id, path]) => textSpan(root, id, path, mtimes)).join('; ')}; fi`;
}

export function spanSource(i: CatalogueInput): SourceDef {
  const root = i.options.root;
  const r = root ?? '';
  const parts = [textSpans(r, spanPaths(i.profile), !root)];
  const journal = `${root ? `journalctl --directory ${shq(root + '/var/log/journal')}` : 'journalctl'} --header 2>/dev/null | grep -F -e 'realtime timestamp'`;
  parts.push(`echo ${shq(SPAN_MARK + 'journal')}`, journal);
  const compute = parts.join('; ');
  return {
    id: 'log_spans', label: msg('how far back each log reaches'),
    // a collected bundle carries the host's spans; a folder made by hand is measured as it is
    command: root ? `cat -- ${shq(`${root}/incident-lens/log_spans.txt`)} 2>/dev/null; echo ${shq(MEASURED_MARK)}; ${compute}` : compute,
    runbookCommand: 'ls -l /var/log/nginx/ /var/log/; journalctl --header | grep timestamp',
    sudo: !root, format: 'check', phase: 'main', bundle: 'raw', bundleFile: 'incident-lens/log_spans.txt',
    timeoutMs: Math.min(i.profile.commandTimeoutMs, 30_000), maxBytes: 512 * 1024, optional: true,
  };
}

/**
 * On a central log host: the span of ONE app host's logs there: the tree files' first lines and last writes (the log
 * host writes as it receives, so the last write is when the app host last logged; the lines' own stamps are in the app
 * host's zone, which the log host does not know) and the first and last journal entries of its `_HOSTNAME` (epoch).
 */
export function centralSpanSource(i: CatalogueInput, tree: { dir: string; files: Record<string, string[]> }, journal: { where: string; host: string }): SourceDef {
  const parts: string[] = [];
  for (const [id] of spanPaths(i.profile)) {
    const names = tree.files[id];
    if (!names) continue;
    const find = `find ${shq(tree.dir)} -maxdepth 1 -type f '(' ${names.map((n) => `-name ${shq(n)}`).join(' -o ')} ')'`;
    parts.push(
      `echo ${shq(SPAN_MARK + id)}`,
      `${find} -print0 2>/dev/null | xargs -0 -r zgrep -H -a -m 3 -e '' --`,
      `${find} -printf ${shq(`${MTIME_MARK}%T@ %p\\n`)} 2>/dev/null`,
    );
  }
  const j = `journalctl ${journal.where} ${shq(`_HOSTNAME=${journal.host}`)} -o short-unix --no-pager 2>/dev/null`;
  parts.push(`echo ${shq(SPAN_MARK + 'journal')}`, `${j} | awk ${shq(`{ print "${FIRST_MARK}" $0; exit }`)}`, `${j} -n 1 | awk ${shq(`{ print "${MTIME_MARK}" $0 }`)}`);
  return {
    id: 'log_spans', label: msg('how far back each log of {0} reaches', journal.host),
    command: parts.join('; '), runbookCommand: `ls -l ${tree.dir}; journalctl _HOSTNAME=${journal.host} | head -n 1`,
    sudo: true, format: 'check', phase: 'main', bundle: 'raw', bundleFile: 'incident-lens/log_spans.txt',
    timeoutMs: Math.min(i.profile.commandTimeoutMs, 30_000), maxBytes: 512 * 1024, optional: true,
  };
}
