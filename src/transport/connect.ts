/**
 * Opens one authenticated ssh2 connection, through zero or more ProxyJump hops. Every hop's host
 * key is checked against known_hosts before it authenticates. Connect timeout covers TCP +
 * handshake + authentication of all hops (time a person spends answering a prompt excluded).
 */
import { readFileSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import type { Duplex } from 'node:stream';
import { Client, utils, type AnyAuthMethod, type ConnectConfig } from 'ssh2';
import { RunnerError } from '../core/exec';
import { joined, msg, type Localized } from '../core/l10n';
import { certifiedAlgorithms, lookupHostCertificate, makeHostVerifier, serverHostKeyAlgorithms } from './hostVerify';
import type { ResolvedHost } from './target';
import type { SshConnectOptions } from './types';

/**
 * Compression offered to the server, best first (OpenSSH: zlib@openssh.com after authentication; log text shrinks
 * 5-10x on the wire). Only for a target reached directly: through a jump host, ssh2 throws "Invalid Zlib instance"
 * when the jump host drops under a running command (test/transport/proxyJump.test.ts) instead of the typed
 * CONNECTION_LOST, and the jump host's own link carries the inner, encrypted stream, which does not compress.
 * INCIDENT_LENS_SSH_COMPRESS=0 turns it off. `npm run bench bighost` measures with and without.
 */
function compressFor(direct: boolean): NonNullable<ConnectConfig['algorithms']>['compress'] {
  return direct && process.env.INCIDENT_LENS_SSH_COMPRESS !== '0' ? ['zlib@openssh.com', 'zlib', 'none'] : ['none'];
}

export interface OpenConnection {
  /** The client of the final hop (the target). */
  client: Client;
  /** All clients, jump hosts first; closing the first closes the chain. */
  chain: Client[];
}

interface Timer {
  pause(paused: boolean): void;
  clear(): void;
}

/** A timeout that can be paused while a person answers a prompt. */
function pausableTimer(ms: number, onExpire: () => void): Timer {
  let remaining = ms;
  let started = Date.now();
  let handle: NodeJS.Timeout | undefined = setTimeout(onExpire, remaining);
  let depth = 0;
  return {
    pause(paused) {
      if (paused) {
        if (depth++ === 0 && handle) {
          clearTimeout(handle);
          handle = undefined;
          remaining -= Date.now() - started;
        }
      } else if (--depth === 0) {
        started = Date.now();
        handle = setTimeout(onExpire, Math.max(0, remaining));
      }
    },
    clear() {
      if (handle) clearTimeout(handle);
      handle = undefined;
      depth = -1e9;
    },
  };
}

type AuthStep = { method: string; make: () => Promise<AnyAuthMethod | undefined> };

/** What the authentication attempt learnt, for a failure message that says what to do. */
interface AuthTrail {
  /** Methods the server said it accepts (its last "methods that can continue" list). */
  offered?: string[];
  /** Keys that could not be offered, with why. */
  skipped: Localized[];
  tried: string[];
}

/** Runs a prompt with the connect timer paused (the user may take their time). */
type Ask = <T>(f: () => Promise<T>) => Promise<T>;

function authSteps(hop: ResolvedHost, isTarget: boolean, o: SshConnectOptions, timer: Timer, trail: AuthTrail = { skipped: [], tried: [] }): AuthStep[] {
  const steps: AuthStep[] = [];
  const who = `${hop.user}@${hop.hostname}`;
  const files = isTarget && o.identityFile ? [o.identityFile] : hop.identityFiles;
  const agentSock = hop.identityAgent === 'none' ? undefined : hop.identityAgent && hop.identityAgent !== 'SSH_AUTH_SOCK' ? hop.identityAgent : process.env.SSH_AUTH_SOCK;
  const useAgent = (o.useAgent ?? !!process.env.SSH_AUTH_SOCK) && !!agentSock && !(hop.identitiesOnly && files.length);
  const ask: Ask = async (f) => {
    timer.pause(true);
    try {
      return await f();
    } finally {
      timer.pause(false);
    }
  };
  if (useAgent) steps.push({ method: 'publickey', make: async () => ({ type: 'agent' as const, username: hop.user, agent: agentSock! }) });
  for (const file of files) steps.push({ method: 'publickey', make: () => keyAuth(file, hop, isTarget, o, ask, trail) });
  const prompts = o.prompts;
  if (prompts?.keyboardInteractive || prompts?.password) steps.push({ method: 'keyboard-interactive', make: async () => keyboardAuth(hop, prompts, ask) });
  if (prompts?.password) {
    steps.push({
      method: 'password',
      make: async () => {
        const p = await ask(() => prompts.password!(who));
        return p === undefined ? undefined : { type: 'password' as const, username: hop.user, password: p };
      },
    });
  }
  return steps;
}

/** One identity file as a publickey method (its passphrase asked if it has one); undefined = skipped, with why in the trail. */
async function keyAuth(file: string, hop: ResolvedHost, isTarget: boolean, o: SshConnectOptions, ask: Ask, trail: AuthTrail): Promise<AnyAuthMethod | undefined> {
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch (e) {
    // OpenSSH silently skips missing default identities; a key the user named is worth a word
    if (isTarget && o.identityFile === file) trail.skipped.push(msg('{0} cannot be read ({1})', file, String((e as NodeJS.ErrnoException).code ?? e)));
    return undefined;
  }
  let parsed = utils.parseKey(data);
  if (parsed instanceof Error && /encrypt|passphrase/i.test(parsed.message)) {
    if (!o.prompts?.passphrase) {
      o.log?.(`skipping encrypted key ${file}: no passphrase prompt available`);
      trail.skipped.push(msg('{0} is protected by a passphrase: load it into ssh-agent (ssh-add {0})', file));
      return undefined;
    }
    const pass = await ask(() => o.prompts!.passphrase!(file));
    if (pass === undefined) {
      trail.skipped.push(msg('{0}: no passphrase given', file));
      return undefined;
    }
    parsed = utils.parseKey(data, pass);
    if (parsed instanceof Error) {
      o.log?.(`key ${file}: wrong passphrase or unreadable key`);
      trail.skipped.push(msg('{0}: wrong passphrase', file));
      return undefined;
    }
    o.log?.(`trying key ${file}`);
    return { type: 'publickey' as const, username: hop.user, key: data, passphrase: pass };
  }
  if (parsed instanceof Error) {
    o.log?.(`skipping ${file}: ${parsed.message}`);
    return undefined;
  }
  o.log?.(`trying key ${file}`);
  return { type: 'publickey' as const, username: hop.user, key: data };
}

/** keyboard-interactive: the prompts' own answerer, or the password prompt for a single hidden question. */
function keyboardAuth(hop: ResolvedHost, prompts: NonNullable<SshConnectOptions['prompts']>, ask: Ask): AnyAuthMethod {
  const who = `${hop.user}@${hop.hostname}`;
  return {
    type: 'keyboard-interactive' as const,
    username: hop.user,
    prompt: (name: string, instructions: string, _lang: string, qs: { prompt: string; echo?: boolean }[], finish: (answers: string[]) => void) => {
      const list = qs.map((q) => ({ prompt: q.prompt, echo: !!q.echo }));
      const answer = prompts.keyboardInteractive
        ? () => prompts.keyboardInteractive!(name, instructions, list)
        : async () => {
            if (list.length !== 1 || list[0].echo) return undefined;
            const p = await prompts.password!(who);
            return p === undefined ? undefined : [p];
          };
      if (!list.length) return finish([]);
      void ask(answer).then(
        (a) => finish(a ?? []),
        () => finish([]),
      );
    },
  };
}

/** Maps an ssh2/socket error to a typed RunnerError. */
export function classifyError(e: Error & { level?: string; code?: string }, hop: ResolvedHost, trail?: AuthTrail): RunnerError {
  const where = `${hop.user}@${hop.hostname}:${hop.port}`;
  if (e instanceof RunnerError) return e;
  if (e.level === 'client-authentication' || /authentication methods failed/i.test(e.message)) return authFailure(where, trail);
  if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN' || e.code === 'EAI_NONAME') {
    return new RunnerError('UNREACHABLE', msg('cannot resolve host name {0} ({1})', hop.hostname, e.code), msg('Check the host name, DNS, or the HostName in ~/.ssh/config.'));
  }
  if (e.code === 'ECONNREFUSED') {
    return new RunnerError('UNREACHABLE', msg('connection refused by {0}:{1}', hop.hostname, hop.port), msg('Check the port and that sshd is running on the host.'));
  }
  if (e.code === 'EHOSTUNREACH' || e.code === 'ENETUNREACH' || e.code === 'ECONNRESET' || e.code === 'EPIPE') {
    return new RunnerError('UNREACHABLE', msg('{0}:{1} unreachable ({2})', hop.hostname, hop.port, e.code), msg('Check the network path (VPN, firewall) to the host.'));
  }
  if (/timed out/i.test(e.message)) return new RunnerError('CONNECT_TIMEOUT', msg('timed out connecting to {0}', where), msg('The host did not answer in time: check the network, VPN or firewall.'));
  return new RunnerError('UNREACHABLE', msg('cannot connect to {0}: {1}', where, e.message), msg('Check the host, port and network.'));
}

/** AUTH_FAILED naming what the server offered, what was tried and the keys that could not be used. */
function authFailure(where: string, trail?: AuthTrail): RunnerError {
  const offered = trail?.offered;
  const facts: Localized[] = [
    ...(offered ? [msg('the server offers: {0}', offered.join(', ') || msg('nothing'))] : []),
    ...(trail?.tried.length ? [msg('tried: {0}', [...new Set(trail.tried)].join(', '))] : []),
    ...(trail?.skipped ?? []),
  ];
  const text = facts.length ? msg('authentication failed for {0} ({1})', where, joined('; ', facts)) : msg('authentication failed for {0}', where);
  let advice = msg('Check the user name and that your public key is in ~/.ssh/authorized_keys on the host (or that ssh-agent holds the key).');
  // the skipped keys' messages that name a passphrase (by id, not by their rendered text)
  if (trail?.skipped.some((x) => x.message.includes('passphrase'))) advice = msg('Load the key into ssh-agent (ssh-add KEY), or run where its passphrase can be asked.');
  else if (offered && !offered.includes('publickey')) advice = msg('The server does not accept keys here (it offers {0}): use a password or keyboard-interactive login where that is allowed, or ask for key access.', offered.join(', ') || msg('nothing'));
  return new RunnerError('AUTH_FAILED', text, advice);
}

/** A plain TCP connection, for the side connection that fetches a host certificate. */
function tcp(host: string, port: number): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    const s = tcpConnect({ host, port }, () => resolve(s));
    s.once('error', reject);
  });
}

async function connectHop(hop: ResolvedHost, isTarget: boolean, o: SshConnectOptions, timer: Timer, sock: Duplex | undefined, openSide: () => Promise<Duplex>, registerAbort: (f: (e: RunnerError) => void) => void): Promise<Client> {
  const lookupHost = hop.hostname;
  const alias = hop.hostKeyAlias;
  const knownHostsFiles = o.knownHostsFiles ?? [...hop.userKnownHostsFiles, ...hop.globalKnownHostsFiles];
  const appendTo = (o.knownHostsFiles ?? hop.userKnownHostsFiles)[0] ?? `${process.env.HOME}/.ssh/known_hosts`;
  const where = { host: lookupHost, port: hop.port, alias, knownHostsFiles };
  const certificate = await lookupHostCertificate({ ...where, log: o.log }, openSide, o.connectTimeoutMs ?? 10000);
  const [hostVerifier, hostFailure] = makeHostVerifier({ ...where, appendTo, hashed: hop.hashKnownHosts, prompts: o.prompts, log: o.log, pauseTimer: (p) => timer.pause(p), certificate });
  const certAlgos = certifiedAlgorithms(certificate);
  const algos = certAlgos.length ? certAlgos : serverHostKeyAlgorithms(where);
  const trail: AuthTrail = { skipped: [], tried: [] };
  const steps = authSteps(hop, isTarget, o, timer, trail);
  return new Promise((resolve, reject) => {
    const client = new Client();
    let settled = false;
    const fail = (err: RunnerError) => {
      if (settled) return;
      settled = true;
      client.destroy();
      reject(err);
    };
    registerAbort(fail);
    const authHandler = (methodsLeft: string[] | null, _partial: boolean | null, next: (a: AnyAuthMethod | false) => void) => {
      if (methodsLeft) trail.offered = methodsLeft;
      const take = async (): Promise<AnyAuthMethod | false> => {
        while (steps.length) {
          const s = steps.shift()!;
          if (methodsLeft && !methodsLeft.includes(s.method)) continue;
          const a = await s.make();
          if (a) {
            trail.tried.push(s.method);
            return a;
          }
        }
        return false;
      };
      take().then(next, () => next(false));
    };
    const cfg: ConnectConfig = {
      host: hop.hostname,
      port: hop.port,
      username: hop.user,
      sock: sock as ConnectConfig['sock'],
      hostVerifier,
      authHandler: authHandler as unknown as ConnectConfig['authHandler'],
      readyTimeout: 2 ** 31 - 1, // our own pausable timer covers the handshake
      keepaliveInterval: o.keepaliveIntervalMs ?? 15000,
      keepaliveCountMax: 3,
      algorithms: {
        ...(algos.length ? { serverHostKey: algos as NonNullable<ConnectConfig['algorithms']>['serverHostKey'] } : {}),
        compress: compressFor(isTarget && sock === undefined),
      },
    };
    client.on('ready', () => {
      if (settled) return;
      settled = true;
      o.log?.(`authenticated to ${hop.user}@${hop.hostname}:${hop.port}`);
      resolve(client);
    });
    client.on('error', (e: Error & { level?: string; code?: string }) => {
      const hf = hostFailure();
      if (hf) return fail(hf);
      if (!settled) return fail(classifyError(e, hop, trail));
      o.log?.(`ssh error on ${hop.hostname}: ${e.message}`);
    });
    client.on('close', () => {
      const hf = hostFailure();
      fail(hf ?? new RunnerError('UNREACHABLE', msg('connection to {0}:{1} closed during handshake', hop.hostname, hop.port), msg('Check that the port is an SSH server.')));
    });
    o.log?.(`connecting to ${hop.user}@${hop.hostname}:${hop.port}${sock ? ' (through jump host)' : ''}`);
    try {
      client.connect(cfg);
      // small request/response exchanges: without this, Nagle + delayed ACK add ~40 ms per command
      client.setNoDelay(true);
    } catch (e) {
      fail(classifyError(e as Error, hop));
    }
  });
}

function forward(via: Client, host: string, port: number): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    via.forwardOut('127.0.0.1', 0, host, port, (err, stream) => {
      if (err) reject(new RunnerError('UNREACHABLE', msg('jump host could not reach {0}:{1}: {2}', host, port, err.message), msg('Check the target address as seen from the jump host.')));
      else resolve(stream);
    });
  });
}

/** Connects hop by hop (jump hosts first). Rejects with a typed RunnerError. */
export async function openConnection(hops: ResolvedHost[], o: SshConnectOptions): Promise<OpenConnection> {
  const ms = o.connectTimeoutMs ?? 10000;
  const chain: Client[] = [];
  let abortCurrent: ((e: RunnerError) => void) | undefined;
  let timedOut = false;
  const last = hops[hops.length - 1];
  const timer = pausableTimer(ms, () => {
    timedOut = true;
    abortCurrent?.(new RunnerError('CONNECT_TIMEOUT', msg('no SSH session with {0} after {1} ms', `${last.user}@${last.hostname}:${last.port}`, ms), msg('The host did not answer in time: check the network, VPN, firewall or jump host.')));
  });
  try {
    let sock: Duplex | undefined;
    for (let i = 0; i < hops.length; i++) {
      if (timedOut) throw new RunnerError('CONNECT_TIMEOUT', msg('no SSH session after {0} ms', ms));
      if (i > 0) sock = await forward(chain[i - 1], hops[i].hostname, hops[i].port);
      const via = chain[i - 1];
      const openSide = i > 0 ? () => forward(via, hops[i].hostname, hops[i].port) : () => tcp(hops[i].hostname, hops[i].port);
      const c = await connectHop(hops[i], i === hops.length - 1, o, timer, sock, openSide, (f) => (abortCurrent = f));
      chain.push(c);
    }
    return { client: chain[chain.length - 1], chain };
  } catch (e) {
    for (const c of chain.reverse()) c.end();
    throw e;
  } finally {
    timer.clear();
  }
}
