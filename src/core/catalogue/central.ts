/**
 * The central log host profile: the playbook's log sources read where a fleet's logs land, for ONE app
 * host at a time. systemd-journal-remote's journal files (`journalctl --directory … _HOSTNAME=…`), an
 * rsyslog/syslog-ng tree with one folder per host (the file names are detected, not assumed), or
 * systemd-journal-gatewayd's `/entries` reached through the SSH connection. Same ids, parsers and rules
 * as on the app host itself; the app host's own checks (ps, free, unit file…) have no place here.
 */
import { InputError } from '../errors';
import { unitName } from '../profile';
import { assertSafe, HOST_RE, PATH_RE, shq } from '../shell';
import { localText } from '../time';
import { dumpFiles, ereLiteral } from './filter';
import { centralSpanSource } from './spans';
import { syslogWant } from './want';
import { ZONE_TREE_MARK } from '../central-zone';
import type { CatalogueInput, CentralOptions, GatewayQuery, SourceDef } from './types';
import { joined, msg, type Localized } from '../l10n';

export const DEFAULT_JOURNAL_DIR = '/var/log/journal/remote';
export const DEFAULT_TREE_LAYOUT = '/var/log/remote/{host}';
export const DEFAULT_GATEWAY_PORT = 19531;
const GATEWAY_PAGE = 2000;

/** Fills defaults and refuses what could break out of a shell word. Throws InputError. */
export function validateCentral(c: Partial<CentralOptions> & { host: string }): CentralOptions {
  const host = assertSafe(msg('host name on the log host'), c.host, HOST_RE);
  const journalDir = assertSafe(msg('journal folder'), (c.journalDir ?? DEFAULT_JOURNAL_DIR).replace(/(.)\/+$/, '$1'), PATH_RE);
  const treeLayout = (c.treeLayout ?? DEFAULT_TREE_LAYOUT).replace(/(.)\/+$/, '$1');
  if (treeLayout.split('{host}').length !== 2) throw new InputError(msg('the tree layout {0} must contain {1} once (e.g. {2})', JSON.stringify(treeLayout), '{host}', DEFAULT_TREE_LAYOUT));
  assertSafe(msg('tree layout'), treeLayout.replace('{host}', 'h'), PATH_RE);
  const out: CentralOptions = { host, journalDir, treeLayout };
  if (c.gatewayPort !== undefined) {
    const p = Number(c.gatewayPort);
    if (!Number.isInteger(p) || p < 1 || p > 65535) throw new InputError(msg('the gateway port must be 1..65535'));
    out.gatewayPort = p;
  }
  return out;
}

/** The folder holding every host's folder (the layout up to `{host}`), for the hosts probe. */
export function treeRoot(layout: string): string {
  const before = layout.slice(0, layout.indexOf('{host}'));
  return before.replace(/\/[^/]*$/, '') || '/';
}

const sec = (d: Date) => `@${Math.floor(d.getTime() / 1000)}`;
const journalWhere = (dir: string) => (/\.journal$/.test(dir) ? `--file ${shq(dir)}` : `--directory ${shq(dir)}`);

/**
 * The entries of one host, then the unit's (or the kernel's) among them. The store is read by
 * `_HOSTNAME` alone: a central journal file interleaves hosts (one receiver, or uploads catching up),
 * so a field's entries are not in time order across hosts and journalctl/gatewayd's seek to the
 * window's start, bisecting such a field, misses entries; one host's own entries stay in order.
 */
function keepPattern(keep: string[]): string {
  return keep.map((k) => {
    const i = k.indexOf('=');
    return `"${ereLiteral(k.slice(0, i))}":"${ereLiteral(k.slice(i + 1))}"`;
  }).join('|');
}

function journalSource(i: CatalogueInput, c: CentralOptions, id: string, label: Localized, keep: string[], runbookCommand: string): SourceDef {
  const w = i.window;
  const base = { id, label, runbookCommand, sudo: true, format: 'journal' as const, phase: 'main' as const, bundle: 'journal' as const, bundleFile: `${id}.export`, timeoutMs: i.profile.commandTimeoutMs, maxBytes: i.profile.maxBytesPerSource };
  const host = `_HOSTNAME=${c.host}`;
  if (c.gatewayPort !== undefined) {
    const gateway: GatewayQuery = { port: c.gatewayPort, matches: [host], keep, sinceUs: w.since.getTime() * 1000, untilUs: w.until.getTime() * 1000, pageSize: GATEWAY_PAGE };
    const command = `GET http://127.0.0.1:${c.gatewayPort}/entries?${host} (Accept: application/json, Range: entries=t=${gateway.sinceUs.toString(16)}:0:${GATEWAY_PAGE}, paged by cursor; kept: ${keep.join(' or ')}) through the SSH connection`;
    return { ...base, sudo: false, command, gateway };
  }
  const range = `--since ${shq(sec(w.since))} --until ${shq(sec(w.until))}`;
  const access =
    `find ${shq(c.journalDir)} -name '*.journal' '!' -readable -print -quit 2>/dev/null | grep -q . && ` +
    "echo 'journalctl: Permission denied: remote journal files not readable (group systemd-journal-remote or adm, or sudo)' 1>&2";
  const head = `journalctl ${journalWhere(c.journalDir)} ${shq(host)} ${range}`;
  const filter = `grep -E ${shq(keepPattern(keep))}`;
  return { ...base, command: `${head} -o json --no-pager | ${filter}; ${access}`, collectCommand: `${head} -o export --no-pager` };
}

/** Name patterns of the files a per-host tree may hold for each source (rsyslog/syslog-ng habits). */
const TREE_FILES: Record<string, string[]> = {
  nginx_access: ['*nginx*access*', 'access.log*', 'access_log*'],
  nginx_error: ['*nginx*error*', 'error.log*', 'error_log*'],
  gunicorn_log: ['*gunicorn*'],
  django_logs: ['*django*'],
  mail_log: ['mail.log*', 'maillog*', 'mail.info*', 'postfix*'],
  mail_err: ['mail.err*'],
  syslog: ['syslog*', 'messages*', 'kern.log*', 'kernel*'],
  postgresql: ['*postgres*'],
};

function treeSource(i: CatalogueInput, dir: string, id: string, label: Localized, runbook: string, want?: string, optional = true): SourceDef {
  const names = TREE_FILES[id];
  const sel = `'(' ${names.map((n) => `-name ${shq(n)}`).join(' -o ')} ')'`;
  const find = `${shq(dir)} -maxdepth 1 -type f ${sel} -newermt ${shq(sec(i.window.since))}`;
  // a missing host folder, or no file of this kind in it, is said on stderr: status 'missing', not 'empty'
  const exists =
    `test -d ${shq(dir)} || echo ${shq(`${dir}: No such file or directory`)} 1>&2; ` +
    `find ${shq(dir)} -maxdepth 1 -type f ${sel} -print -quit 2>/dev/null | grep -q . || echo ${shq(`${dir}/{${names.join(',')}}: No such file or directory`)} 1>&2; `;
  return {
    id, label, command: exists + dumpFiles({ find, window: i.window, want }), runbookCommand: runbook,
    sudo: true, format: 'text', phase: 'main', bundle: 'files', optional, timeoutMs: i.profile.commandTimeoutMs, maxBytes: i.profile.maxBytesPerSource,
  };
}

/** Where syslog trees usually are: looked at when no layout is given (the default's root first). */
export const TREE_ROOTS = ['/var/log/remote', '/var/log/hosts', '/var/log/rsyslog', '/var/log/syslog-ng', '/var/log/remotelogs'];

/**
 * The hosts the store holds: `journal NAME` per journal `_HOSTNAME`, `tree FOLDER` per host folder of the tree
 * (under the layout's root, or with `detect` under every usual root that exists).
 */
export function centralHostsSource(c: Pick<CentralOptions, 'journalDir' | 'treeLayout'>, detect = false, timeoutMs = 20_000): SourceDef {
  const root = treeRoot(c.treeLayout);
  const roots = detect ? [...new Set([root, ...TREE_ROOTS])] : [root];
  return {
    id: 'central_hosts', label: msg('hosts present on the central log host'),
    command:
      `journalctl ${journalWhere(c.journalDir)} -F _HOSTNAME 2>/dev/null | awk '{ print "journal " $0 }'; ` +
      `find ${roots.map(shq).join(' ')} -mindepth 1 -maxdepth 1 -type d 2>/dev/null | awk '{ print "tree " $0 }'`,
    runbookCommand: `sudo journalctl --directory ${c.journalDir} -F _HOSTNAME; ls ${roots.join(' ')}`,
    sudo: true, format: 'check', phase: 'probe', bundle: 'raw', bundleFile: 'incident-lens/central_hosts.txt', timeoutMs, maxBytes: 256 * 1024,
  };
}

export interface CentralHostsListing {
  hosts: { host: string; in: ('journal' | 'tree')[] }[];
  /** The tree root holding the most host folders (the first listed on a tie), when any. */
  treeRoot?: string;
}

/** Host names listed by the central_hosts probe, sorted, each with where it was seen. */
export function parseCentralHosts(output: string): CentralHostsListing {
  const seen = new Map<string, Set<'journal' | 'tree'>>();
  const perRoot = new Map<string, number>();
  for (const line of output.split('\n')) {
    const m = /^(journal|tree) (\S+)$/.exec(line.trim());
    if (!m) continue;
    const kind = m[1] as 'journal' | 'tree';
    const host = kind === 'tree' ? m[2].replace(/^.*\//, '') : m[2];
    if (!HOST_RE.test(host) || !/[A-Za-z0-9]/.test(host)) continue;
    if (kind === 'tree') {
      const root = m[2].replace(/\/[^/]*$/, '') || '/';
      perRoot.set(root, (perRoot.get(root) ?? 0) + 1);
    }
    const set = seen.get(host) ?? new Set();
    set.add(kind);
    seen.set(host, set);
  }
  let treeRoot: string | undefined;
  for (const [root, n] of perRoot) if (!treeRoot || n > perRoot.get(treeRoot)!) treeRoot = root;
  return { hosts: [...seen.keys()].sort().map((host) => ({ host, in: [...seen.get(host)!].sort() })), ...(treeRoot ? { treeRoot } : {}) };
}

export function centralSources(i: CatalogueInput, c: CentralOptions): SourceDef[] {
  const p = i.profile;
  const unit = unitName(p);
  const dir = c.treeLayout.replace('{host}', c.host);
  const since = localText(i.window.since, i.window.tz);
  const until = localText(i.window.until, i.window.tz);
  const on = (s: Localized) => joined(' ', [s, `(${c.host})`]);
  const urlWant = `"[A-Z]+ ${ereLiteral(p.urlPath)}|" 5[0-9][0-9] `;
  const jr = `sudo journalctl --directory ${c.journalDir} _HOSTNAME=${c.host}`;
  return [
    journalSource(i, c, 'journal', on(msg('journald (central): unit {0}', unit)), [`_SYSTEMD_UNIT=${unit}`, `UNIT=${unit}`, `OBJECT_SYSTEMD_UNIT=${unit}`],
      `${jr} -u ${p.unit} --since "${since}" --until "${until}" --no-pager`),
    journalSource(i, c, 'kernel_oom', on(msg('kernel messages (central journal): OOM killer')), ['_TRANSPORT=kernel'],
      `${jr} _TRANSPORT=kernel --since "${since}" --until "${until}" --no-pager | grep -i "killed\\|oom"`),
    treeSource(i, dir, 'nginx_access', on(msg('nginx access log in {0}', dir)), `sudo grep "${p.urlPath}" ${dir}/*access*`, urlWant),
    treeSource(i, dir, 'nginx_error', on(msg('nginx error log in {0}', dir)), `sudo grep -E "502|504|timeout|upstream" ${dir}/*error*`),
    treeSource(i, dir, 'gunicorn_log', on(msg('gunicorn log in {0}', dir)), `sudo cat ${dir}/*gunicorn*`),
    treeSource(i, dir, 'django_logs', on(msg('Django log in {0}', dir)), `sudo cat ${dir}/*django*`),
    treeSource(i, dir, 'syslog', on(msg('syslog in {0}', dir)), `sudo grep -i "${p.unit}\\|python\\|gunicorn\\|oom" ${dir}/syslog*`, syslogWant(p)),
    treeSource(i, dir, 'mail_log', on(msg('mail log in {0}', dir)), `sudo cat ${dir}/mail.log`),
    treeSource(i, dir, 'mail_err', on(msg('mail errors in {0}', dir)), `sudo cat ${dir}/mail.err`),
    treeSource(i, dir, 'postgresql', on(msg('PostgreSQL log in {0}', dir)), `sudo grep -i "error\\|timeout" ${dir}/*postgres*`),
    centralSpanSource(i, { dir, files: TREE_FILES }, { where: journalWhere(c.journalDir), host: c.host }),
  ];
}

/**
 * The zone the app host's syslog lines are written in (probe): its latest journal entries, with their true instants,
 * then the latest lines of its syslog files in the tree; the same messages in both give the offset (central-zone.ts).
 */
export function centralZoneSource(c: CentralOptions, timeoutMs = 20_000): SourceDef {
  const dir = c.treeLayout.replace('{host}', c.host);
  const files = `find ${shq(dir)} -maxdepth 1 -type f '(' -name 'syslog*' -o -name 'messages*' ')' '!' -name '*.gz' -print0 2>/dev/null`;
  return {
    id: 'central_zone', label: msg("the zone of {0}'s syslog lines", c.host),
    command: `journalctl ${journalWhere(c.journalDir)} ${shq(`_HOSTNAME=${c.host}`)} -o short-unix -n 2000 --no-pager 2>/dev/null; echo ${shq(ZONE_TREE_MARK)}; ${files} | xargs -0 -r tail -q -n 2000 --`,
    runbookCommand: `sudo journalctl --directory ${c.journalDir} _HOSTNAME=${c.host} -o short-unix -n 20; sudo tail ${dir}/syslog*`,
    sudo: true, format: 'check', phase: 'probe', bundle: 'raw', bundleFile: 'incident-lens/central_zone.txt', timeoutMs, maxBytes: 1024 * 1024, optional: true,
  };
}
