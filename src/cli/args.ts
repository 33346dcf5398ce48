/** Command-line options of `diagnose` and `collect`: parsing and checks. Bad input → UsageError (exit 2). */
import { t } from '../core/l10n';
import { CLI_LANG } from './lang';

export class UsageError extends Error {}

export interface CliOptions {
  host?: string;
  ssh?: string;
  root?: string;
  at?: string;
  before?: string;
  after?: string;
  since?: string;
  until?: string;
  tz?: string;
  unit?: string;
  appDir?: string;
  urlPath?: string;
  smtpHost?: string;
  identity?: string;
  knownHosts?: string;
  format?: 'json' | 'markdown' | 'text';
  out?: string;
  /** Write the deferred and bounced recipients of the app's mail (local Postfix) to this file, one address a line. */
  resendList?: string;
  redact: boolean;
  /** Read every log file whole instead of bisecting to the window (comparison; slow on big hosts). */
  fullScan?: boolean;
  help?: boolean;
  /** Every --host/--ssh in order; more than one = a fleet diagnosis (one connection per host). */
  targets: string[];
  /** A central log host (USER@HOST[:PORT] or an ~/.ssh/config alias) holding the app hosts' logs. */
  central?: string;
  /** App hosts to diagnose on the central log host (repeatable); none = every host it holds. */
  forHosts?: string[];
  journalDir?: string;
  tree?: string;
  gateway?: string;
}

const VALUE_OPTS: Record<string, keyof CliOptions> = {
  '--host': 'host', '--ssh': 'ssh', '--root': 'root', '--at': 'at', '--before': 'before', '--after': 'after',
  '--since': 'since', '--until': 'until', '--tz': 'tz', '--unit': 'unit', '--app-dir': 'appDir', '--url-path': 'urlPath', '--smtp-host': 'smtpHost',
  '--identity': 'identity', '--known-hosts': 'knownHosts', '--format': 'format', '--out': 'out', '--resend-list': 'resendList',
  '--central': 'central', '--for-host': 'forHosts', '--journal-dir': 'journalDir', '--tree': 'tree', '--gateway': 'gateway',
};

export function parseArgs(argv: string[], command: 'diagnose' | 'collect'): CliOptions {
  const o: CliOptions = { redact: true, targets: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') {
      o.help = true;
      continue;
    }
    if (a === '--no-redact') {
      if (command !== 'diagnose') throw new UsageError(t(CLI_LANG, '{0} is a diagnose option', '--no-redact'));
      o.redact = false;
      continue;
    }
    if (a === '--full-scan') {
      o.fullScan = true;
      continue;
    }
    const eq = a.indexOf('=');
    const name = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    const key = VALUE_OPTS[name];
    if (!key) throw new UsageError(t(CLI_LANG, 'unknown option {0}', JSON.stringify(a)));
    let value: string | undefined;
    if (name !== a) value = a.slice(eq + 1);
    else {
      value = argv[++i];
      if (value === undefined) throw new UsageError(t(CLI_LANG, '{0} needs a value', name));
    }
    if (key === 'forHosts') {
      (o.forHosts ??= []).push(value);
      continue;
    }
    if (key === 'host' || key === 'ssh') {
      if (o.targets.includes(value)) throw new UsageError(t(CLI_LANG, '{0} given twice', `${name} ${value}`));
      o.targets.push(value);
      if (o[key] !== undefined) continue;
    } else if ((o as unknown as Record<string, unknown>)[key] !== undefined) throw new UsageError(t(CLI_LANG, '{0} given twice', name));
    (o as unknown as Record<string, unknown>)[key] = value;
  }
  if (o.help) return o;
  const kinds = [o.targets.length ? 1 : undefined, o.root, o.central].filter((x) => x !== undefined).length;
  if (kinds !== 1) throw new UsageError(t(CLI_LANG, 'give exactly one of --host USER@HOST[:PORT] / --ssh ALIAS (repeat them for several hosts), --root DIR or --central LOGHOST'));
  if (o.targets.length > 1 && command === 'collect') throw new UsageError(t(CLI_LANG, 'collect reads one host: give one --host or --ssh'));
  if (o.central === undefined && (o.forHosts || o.journalDir !== undefined || o.tree !== undefined || o.gateway !== undefined)) {
    throw new UsageError(t(CLI_LANG, '--for-host, --journal-dir, --tree and --gateway go with --central LOGHOST'));
  }
  if (o.central !== undefined && command === 'collect') throw new UsageError(t(CLI_LANG, 'collect reads one host: use diagnose --central'));
  if (o.gateway !== undefined && !/^\d{1,5}$/.test(o.gateway)) throw new UsageError(t(CLI_LANG, "--gateway takes the gateway's port on the log host's loopback (e.g. 19531), not {0}", JSON.stringify(o.gateway)));
  if (o.at === undefined && (o.since === undefined || o.until === undefined)) throw new UsageError(t(CLI_LANG, 'give --at "YYYY-MM-DD HH:MM" or --since and --until'));
  if (o.format !== undefined && !['json', 'markdown', 'text'].includes(o.format)) throw new UsageError(t(CLI_LANG, '--format must be json, markdown or text, not {0}', JSON.stringify(o.format)));
  if (command === 'collect') {
    if (!o.out) throw new UsageError(t(CLI_LANG, 'collect needs --out DIR'));
    if (o.format !== undefined) throw new UsageError(t(CLI_LANG, '{0} is a diagnose option', '--format'));
  }
  if (o.root !== undefined && (o.identity !== undefined || o.knownHosts !== undefined)) throw new UsageError(t(CLI_LANG, '--identity/--known-hosts go with --host or --ssh, not --root'));
  return o;
}

export const DIAGNOSE_USAGE = t(CLI_LANG, `usage: incident-lens diagnose ((--host USER@HOST[:PORT] | --ssh ALIAS)... | --root DIR | --central LOGHOST)
                           (--at "YYYY-MM-DD HH:MM" [--before 5m] [--after 10m] | --since T --until T)
                           [--tz ZONE] [--unit NAME] [--app-dir PATH] [--url-path PATH] [--smtp-host HOST]
                           [--identity FILE] [--known-hosts FILE] [--format json|markdown|text] [--out FILE] [--no-redact]
                           [--full-scan] [--resend-list FILE]
       central log host: --central USER@HOST[:PORT]|ALIAS [--for-host NAME ...]
                           [--journal-dir /var/log/journal/remote] [--tree '/var/log/remote/{host}'] [--gateway 19531]

Times are the host's local time (read from the host; --tz overrides). Read-only on the host.
Several --host/--ssh: one diagnosis of the fleet (nginx front + app hosts), every host at once; times are then
the first reachable host's local time; a host that cannot be reached is a status, the others complete.
--central reads the app hosts' logs on a central log host (systemd-journal-remote files, the rsyslog/syslog-ng
per-host tree, or systemd-journal-gatewayd through the SSH connection with --gateway PORT); one diagnosis per
--for-host, or per host the store holds when none is given.
Exit status: 0 a diagnosis was produced (any verdict but unknown), 2 bad arguments, 3 host unreachable or authentication failed,
4 verdict unknown: the logs do not reach back to the window.`);

export const COLLECT_USAGE = t(CLI_LANG, `usage: incident-lens collect (--host USER@HOST[:PORT] | --ssh ALIAS | --root DIR)
                          (--at "YYYY-MM-DD HH:MM" [--before 5m] [--after 10m] | --since T --until T)
                          [--tz ZONE] [--unit NAME] [--app-dir PATH] [--url-path PATH] [--smtp-host HOST]
                          [--identity FILE] [--known-hosts FILE] --out DIR

Copies the window's logs into DIR (files at their host paths, journal.export, manifest.json);
\`incident-lens diagnose --root DIR\` replays the diagnosis offline.`);
