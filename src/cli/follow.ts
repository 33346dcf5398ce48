// `incident-lens follow`: the runbook's `journalctl -f` / `tail -F`, merged in time order, classified as lines arrive.
import { writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { renderMarkdown, validateProfile, type CommandRunner } from '../core/index';
import { followDiagnosis, followSources, formatLine, formatNotice, Reorder, startFollow, type FollowSession } from '../core/follow/index';
import { DEFAULT_PROFILE } from '../core/profile';
import { UsageError } from './args';
import { EXIT_OK, EXIT_UNREACHABLE, failure } from './common';
import { openSsh } from './ssh';
import { render, t } from '../core/l10n';
import { CLI_LANG } from './lang';

const DEFAULT_SOURCES = followSources(DEFAULT_PROFILE);

export const FOLLOW_USAGE = t(
  CLI_LANG,
  `usage: incident-lens follow (--host USER@HOST[:PORT] | --ssh ALIAS) [--sources ID,ID…]
                         [--tz ZONE] [--unit NAME] [--app-dir PATH] [--url-path PATH]
                         [--identity FILE] [--known-hosts FILE] [--max-lines N] [--report FILE] [--no-redact]

Follows the host's logs live (journalctl -f, tail -F; read-only), one line per log line on stdout:
  SOURCE       │ line          ‼ marks evidence of a cause (counted; one message per new cause on stderr)
Sources (default: {0}):
  {1}
Ctrl+C (or SIGTERM) ends every remote process of the follow, then prints a summary on stderr.
--report FILE writes the followed lines' own diagnosis (Markdown) when the follow ends.
Exit status: 0 ended by you, 2 bad arguments, 3 host unreachable or the connection dropped.`,
  DEFAULT_SOURCES.filter((s) => s.byDefault).map((s) => s.id).join(', '),
  DEFAULT_SOURCES.map((s) => s.id).join(', '),
);

interface FollowOptions {
  host?: string;
  ssh?: string;
  sources?: string[];
  tz?: string;
  unit?: string;
  appDir?: string;
  urlPath?: string;
  identity?: string;
  knownHosts?: string;
  maxLines?: number;
  report?: string;
  redact: boolean;
  help?: boolean;
}

const VALUES: Record<string, keyof FollowOptions> = {
  '--host': 'host', '--ssh': 'ssh', '--sources': 'sources', '--tz': 'tz', '--unit': 'unit', '--app-dir': 'appDir', '--url-path': 'urlPath',
  '--identity': 'identity', '--known-hosts': 'knownHosts', '--max-lines': 'maxLines', '--report': 'report',
};

export function parseFollowArgs(argv: string[]): FollowOptions {
  const o: FollowOptions = { redact: true };
  const rec = o as unknown as Record<string, unknown>;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') o.help = true;
    else if (a === '--no-redact') o.redact = false;
    else {
      const eq = a.indexOf('=');
      const name = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
      const key = VALUES[name];
      if (!key) throw new UsageError(t(CLI_LANG, 'unknown option {0}', JSON.stringify(a)));
      const value = name !== a ? a.slice(eq + 1) : argv[++i];
      if (value === undefined) throw new UsageError(t(CLI_LANG, '{0} needs a value', name));
      if (rec[key] !== undefined) throw new UsageError(t(CLI_LANG, '{0} given twice', name));
      rec[key] = value;
    }
  }
  if (o.help) return o;
  if ([o.host, o.ssh].filter((x) => x !== undefined).length !== 1) throw new UsageError(t(CLI_LANG, 'give exactly one of --host USER@HOST[:PORT] or --ssh ALIAS'));
  if (typeof o.sources === 'string') o.sources = (o.sources as string).split(',').map((s) => s.trim()).filter(Boolean);
  if (o.maxLines !== undefined) {
    const n = Number(o.maxLines);
    if (!Number.isInteger(n) || n < 1 || n > 1_000_000) throw new UsageError(t(CLI_LANG, '--max-lines must be a whole number from 1 to 1000000'));
    o.maxLines = n;
  }
  return o;
}

export async function runFollow(argv: string[]): Promise<number> {
  let runner: CommandRunner | undefined;
  try {
    const o = parseFollowArgs(argv);
    if (o.help) {
      process.stdout.write(FOLLOW_USAGE + '\n');
      return EXIT_OK;
    }
    const profile = validateProfile({ ...(o.unit ? { unit: o.unit } : {}), ...(o.appDir ? { appDir: o.appDir } : {}), ...(o.urlPath ? { urlPath: o.urlPath } : {}) });
    const known = followSources(profile).map((s) => s.id);
    const bad = (o.sources ?? []).filter((s) => !known.includes(s));
    if (bad.length) throw new UsageError(t(CLI_LANG, 'unknown source {0} (known: {1})', bad.join(', '), known.join(', ')));
    const progress = (m: string) => process.stderr.write(`… ${m}\n`);
    runner = await openSsh({ ...o, redact: o.redact }, progress);
    const session = await startFollow(runner, { profile, sources: o.sources, tz: o.tz, capacity: o.maxLines });
    return await follow(session, runner, o);
  } catch (e) {
    return failure(e, 'follow');
  } finally {
    await runner?.close().catch(() => undefined);
  }
}

/** Prints until Ctrl+C / SIGTERM (exit 0) or a dropped connection the user does not reconnect (exit 3). */
async function follow(session: FollowSession, runner: CommandRunner, o: FollowOptions): Promise<number> {
  const err = (s: string) => process.stderr.write(s + '\n');
  const out = new Reorder((lines) => {
    for (const l of lines) process.stdout.write(formatLine(l, { redact: o.redact }).join('\n') + '\n');
  });
  let finish!: (code: number) => void;
  const ended = new Promise<number>((r) => (finish = r));
  session.on({
    onLines: (lines) => out.push(lines),
    onStatus: (st) => {
      if (st.status === 'denied' || st.status === 'error') err(`${st.id}: ${st.messageText ? render(st.messageText, CLI_LANG) : st.status}`);
      const states = [...session.states.values()];
      if (states.every((s) => s.status === 'ended' || s.status === 'denied' || s.status === 'error')) {
        err(t(CLI_LANG, 'nothing left to follow: every follow command ended'));
        finish(1);
      }
    },
    onCause: (cause, line) => err(`‼ ${t(CLI_LANG, 'new cause while following: {0} ({1})', cause, line.source)}`),
    onProgress: (p) => p.batch !== undefined && err(`… ${t(CLI_LANG, 'batch {0}/{1}', p.batch, p.batches ?? '?')}`),
    onNotice: (n) => {
      out.flush();
      err(formatNotice(n, CLI_LANG));
      if (n.kind === 'lost') void askReconnect(session, finish);
    },
  });
  const stopOn = (sig: string) => () => {
    err(`… ${t(CLI_LANG, '{0}: stopping the follow (ending the remote processes)', sig)}`);
    finish(EXIT_OK);
  };
  const onInt = stopOn('Ctrl+C');
  const onTerm = stopOn('SIGTERM');
  process.once('SIGINT', onInt);
  process.once('SIGTERM', onTerm);
  session.start();
  err(`… ${t(CLI_LANG, 'following {0} on {1} (zone {2}); Ctrl+C ends it', session.o.sources.map((s) => s.id).join(', '), runner.describe(), session.o.tz)}`);
  const code = await ended;
  process.off('SIGINT', onInt);
  process.off('SIGTERM', onTerm);
  await session.stop();
  out.flush();
  const counts = [...session.classifier.counts].map(([c, n]) => `${c} ${n}`).join(', ');
  const followed = [...session.states.values()].reduce((a, s) => a + s.lines, 0);
  const lines = followed === 1 ? t(CLI_LANG, 'followed {0} line', followed) : t(CLI_LANG, 'followed {0} lines', followed);
  const evidence = session.errors === 1 ? t(CLI_LANG, '{0} evidence line', session.errors) : t(CLI_LANG, '{0} evidence lines', session.errors);
  err(`${lines}; ${evidence}${counts ? `: ${counts}` : ''}`);
  if (o.report) {
    const d = followDiagnosis(session, runner.describe());
    writeFileSync(o.report, renderMarkdown(d, { redact: o.redact }));
    err(t(CLI_LANG, 'report of the followed lines written to {0} (verdict: {1})', o.report, d.verdict));
  }
  return code;
}

/** A dropped connection: on a terminal, Enter reconnects; otherwise the follow ends with status 3. */
async function askReconnect(session: FollowSession, finish: (code: number) => void): Promise<void> {
  if (!process.stdin.isTTY) return finish(EXIT_UNREACHABLE);
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  rl.question(t(CLI_LANG, 'connection lost: press Enter to reconnect, Ctrl+C to quit '), () => {
    rl.close();
    session.reconnect();
  });
}
