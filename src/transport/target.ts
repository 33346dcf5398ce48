/**
 * Target parsing and OpenSSH-faithful alias resolution. Aliases are resolved by asking the real
 * client (`ssh -G`), which applies Include, Host/Match blocks and ProxyJump exactly as ssh would.
 * We never evaluate ssh_config ourselves (a `Match exec` would run shell commands).
 */
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { homedir, userInfo } from 'node:os';
import { RunnerError } from '../core/exec';
import { msg } from '../core/l10n';

export interface ParsedTarget {
  user?: string;
  host: string;
  port?: number;
}

/** The effective settings for one hop, as `ssh -G` reports them. */
export interface ResolvedHost {
  /** What the user typed (alias or host). */
  alias: string;
  hostname: string;
  user: string;
  port: number;
  identityFiles: string[];
  identitiesOnly: boolean;
  userKnownHostsFiles: string[];
  globalKnownHostsFiles: string[];
  /** Jump hosts in connection order (first is contacted directly). */
  proxyJump: ParsedTarget[];
  hostKeyAlias?: string;
  proxyCommand?: string;
  /** Seconds, from ConnectTimeout. */
  connectTimeout?: number;
  /** From IdentityAgent when it names a socket ("none" disables the agent). */
  identityAgent?: string;
  /** HashKnownHosts: accepted keys are written with a hashed host name. */
  hashKnownHosts?: boolean;
}

const BAD_ADVICE = msg('Use user@host, user@host:port, [ipv6]:port, or a Host alias from ~/.ssh/config.');

/** Parses "user@host[:port]", "[v6]:port", "ssh://user@host:port" or a bare alias. Throws BAD_TARGET. */
export function parseTarget(target: string): ParsedTarget {
  let t = (target ?? '').trim();
  if (t.startsWith('ssh://')) t = t.slice(6).replace(/\/$/, '');
  if (!t || /[\s'"`$;&|<>\\]/.test(t) || t.startsWith('-')) {
    throw new RunnerError('BAD_TARGET', msg('invalid SSH target {0}', JSON.stringify(target)), BAD_ADVICE);
  }
  let user: string | undefined;
  const at = t.lastIndexOf('@');
  if (at >= 0) {
    user = t.slice(0, at);
    t = t.slice(at + 1);
    if (!user || !/^[A-Za-z0-9._][A-Za-z0-9._-]*\$?$/.test(user)) {
      throw new RunnerError('BAD_TARGET', msg('invalid user name in SSH target {0}', JSON.stringify(target)), BAD_ADVICE);
    }
  }
  let host = t;
  let portText: string | undefined;
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(t);
  if (v6) {
    host = v6[1];
    portText = v6[2];
  } else if ((t.match(/:/g) ?? []).length === 1) {
    [host, portText] = t.split(':');
  }
  if (!host || !/^[A-Za-z0-9._:%-]+$/.test(host) || host.startsWith('-')) {
    throw new RunnerError('BAD_TARGET', msg('invalid host in SSH target {0}', JSON.stringify(target)), BAD_ADVICE);
  }
  let port: number | undefined;
  if (portText !== undefined) {
    port = Number(portText);
    if (!/^\d+$/.test(portText) || port < 1 || port > 65535) {
      throw new RunnerError('BAD_TARGET', msg('invalid port in SSH target {0}', JSON.stringify(target)), BAD_ADVICE);
    }
  }
  return { user, host, port };
}

/** Expands ~ and the common % tokens OpenSSH allows in IdentityFile / UserKnownHostsFile. */
export function expandPath(p: string, ctx: { user: string; host: string; port: number; alias: string }): string {
  const home = homedir();
  let s = p.replace(/^~(?=\/|$)/, home);
  s = s.replace(/%([%dhpruLlnik])/g, (_m, c: string) => {
    switch (c) {
      case '%': return '%';
      case 'd': return home;
      case 'h': return ctx.host;
      case 'p': return String(ctx.port);
      case 'r': return ctx.user;
      case 'u': return userInfo().username;
      case 'n': return ctx.alias;
      case 'k': return ctx.alias;
      default: return `%${c}`;
    }
  });
  return s;
}

/** Parses `ssh -G` output into a ResolvedHost. */
export function parseSshG(alias: string, text: string): ResolvedHost {
  const multi = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const m = /^(\S+)\s+(.*)$/.exec(line.trim());
    if (!m) continue;
    const k = m[1].toLowerCase();
    multi.set(k, [...(multi.get(k) ?? []), m[2]]);
  }
  const one = (k: string) => multi.get(k)?.[0];
  const hostname = one('hostname') ?? alias;
  const user = one('user') ?? userInfo().username;
  const port = Number(one('port') ?? 22);
  const ctx = { user, host: hostname, port, alias };
  const files = (k: string) =>
    (multi.get(k) ?? []).flatMap((v) => v.split(/\s+/)).filter((v) => v && v !== 'none').map((v) => expandPath(v, ctx));
  const jump = one('proxyjump');
  const proxyJump = jump && jump !== 'none' ? jump.split(',').map((j) => parseTarget(j)) : [];
  const pc = one('proxycommand');
  const ct = one('connecttimeout');
  const agent = one('identityagent');
  return {
    alias,
    hostname,
    user,
    port,
    identityFiles: files('identityfile'),
    identitiesOnly: one('identitiesonly') === 'yes',
    userKnownHostsFiles: files('userknownhostsfile'),
    globalKnownHostsFiles: files('globalknownhostsfile'),
    proxyJump,
    hostKeyAlias: one('hostkeyalias'),
    proxyCommand: pc && pc !== 'none' ? pc : undefined,
    connectTimeout: ct && ct !== 'none' ? Number(ct) : undefined,
    identityAgent: agent ? (agent === 'none' ? 'none' : expandPath(agent, ctx)) : undefined,
    hashKnownHosts: one('hashknownhosts') === 'yes',
  };
}

let sshClientMissing = false;
const execFileAsync = promisify(execFile);

function sshGArgs(target: ParsedTarget, configFile?: string): string[] {
  const args = ['-G'];
  if (configFile) args.push('-F', configFile);
  if (target.user) args.push('-l', target.user);
  if (target.port) args.push('-p', String(target.port));
  args.push('--', target.host);
  return args;
}

/** `ssh -G` failed: no ssh client (remembered; OpenSSH's defaults then) or the typed error. */
function sshGFailed(target: ParsedTarget, e: unknown): void {
  const err = e as NodeJS.ErrnoException & { stderr?: string };
  if (err.code === 'ENOENT') sshClientMissing = true;
  else throw new RunnerError('BAD_TARGET', msg('ssh -G {0} failed: {1}', target.host, (err.stderr ?? err.message).trim()), msg('Check the ssh config file for syntax errors.'));
}

/** Without an ssh client: the parsed target and OpenSSH's defaults. */
function defaultHost(target: ParsedTarget): ResolvedHost {
  const home = homedir();
  const user = target.user ?? userInfo().username;
  return {
    alias: target.host,
    hostname: target.host,
    user,
    port: target.port ?? 22,
    identityFiles: ['id_rsa', 'id_ecdsa', 'id_ed25519'].map((f) => `${home}/.ssh/${f}`),
    identitiesOnly: false,
    userKnownHostsFiles: [`${home}/.ssh/known_hosts`, `${home}/.ssh/known_hosts2`],
    globalKnownHostsFiles: ['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2'],
    proxyJump: [],
  };
}

const SSH_G_TIMEOUT_MS = 10000;

/**
 * Resolves one hop with `ssh -G [-F file] [-l user] [-p port] host`. Without an ssh client, falls
 * back to the parsed target and OpenSSH's defaults.
 */
export function resolveHost(target: ParsedTarget, configFile?: string): ResolvedHost {
  if (!sshClientMissing) {
    try {
      return parseSshG(target.host, execFileSync('ssh', sshGArgs(target, configFile), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: SSH_G_TIMEOUT_MS }));
    } catch (e) {
      sshGFailed(target, e);
    }
  }
  return defaultHost(target);
}

/**
 * resolveHost without blocking: several hosts connected at once (a fleet) resolve at once, and the event loop
 * keeps serving the connections already open (`ssh -G` takes ~5-10 ms).
 */
export async function resolveHostAsync(target: ParsedTarget, configFile?: string): Promise<ResolvedHost> {
  if (!sshClientMissing) {
    try {
      const { stdout } = await execFileAsync('ssh', sshGArgs(target, configFile), { encoding: 'utf8', timeout: SSH_G_TIMEOUT_MS });
      return parseSshG(target.host, stdout);
    } catch (e) {
      sshGFailed(target, e);
    }
  }
  return defaultHost(target);
}
