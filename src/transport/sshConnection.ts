/**
 * One SSH connection per resolved target, shared by every runner that asks for the same target
 * (a small pool with reference counts). Reconnects on the next use after a drop; in-flight commands
 * of a dropped connection fail with CONNECTION_LOST.
 */
import type { Client, ClientChannel } from 'ssh2';
import { RunnerError } from '../core/exec';
import { msg } from '../core/l10n';
import { ChannelGate } from './channelGate';
import { openConnection, type OpenConnection } from './connect';
import type { ResolvedHost } from './target';
import type { SshConnectOptions } from './types';

interface Live {
  conn: OpenConnection;
  lost?: RunnerError;
  /** Commands running on this connection, by their failure callback. */
  inflight: Map<(e: RunnerError) => void, () => number | undefined>;
}

const pool = new Map<string, SharedConnection>();

export function poolKey(hops: ResolvedHost[], o: SshConnectOptions): string {
  // interactive and non-interactive callers never share a connection (its reconnects would prompt or not)
  return JSON.stringify([hops.map((h) => [h.user, h.hostname, h.port, h.hostKeyAlias ?? '']), o.identityFile ?? '', o.knownHostsFiles ?? [], o.sshConfigFile ?? '', Boolean(o.prompts), o.maxChannels ?? 10]);
}

/** Returns the pooled connection for these hops, creating it when absent. */
export function acquireShared(hops: ResolvedHost[], o: SshConnectOptions): SharedConnection {
  const key = poolKey(hops, o);
  let s = pool.get(key);
  if (!s || s.closed) {
    s = new SharedConnection(key, hops, o);
    pool.set(key, s);
  }
  s.refs++;
  return s;
}

export class SharedConnection {
  refs = 0;
  closed = false;
  readonly gate: ChannelGate;
  private live?: Live;
  /** The connection attempt in progress: concurrent callers share it and its failure. */
  private connecting?: Promise<Live>;

  constructor(
    private readonly key: string,
    readonly hops: ResolvedHost[],
    readonly options: SshConnectOptions,
  ) {
    this.gate = new ChannelGate(Math.max(1, options.maxChannels ?? 10));
  }

  get target(): ResolvedHost {
    return this.hops[this.hops.length - 1];
  }

  /** The current connection, (re)connecting when needed. */
  async get(): Promise<Live> {
    if (this.closed) throw new RunnerError('CONNECTION_LOST', msg('connection to {0} was closed', this.describe()));
    if (this.live && !this.live.lost) return this.live;
    if (!this.connecting) {
      this.connecting = this.connect().then(
        (l) => {
          this.connecting = undefined;
          this.live = l;
          return l;
        },
        (e: unknown) => {
          this.connecting = undefined;
          throw e;
        },
      );
    }
    return this.connecting;
  }

  private async connect(): Promise<Live> {
    const conn = await openConnection(this.hops, this.options);
    const live: Live = { conn, inflight: new Map() };
    const onGone = (why: string) => {
      if (live.lost) return;
      live.lost = new RunnerError('CONNECTION_LOST', msg('connection to {0} lost ({1})', this.describe(), why), msg('The SSH connection dropped; the next command reconnects. Check the network or the host.'));
      this.options.log?.(`connection to ${this.describe()} lost: ${why}`);
      for (const f of [...live.inflight.keys()]) f(live.lost);
      live.inflight.clear();
      for (const c of conn.chain) c.end();
    };
    for (const c of conn.chain) {
      c.on('close', () => onGone('closed'));
      c.on('end', () => onGone('ended'));
      c.on('error', (e: Error) => onGone(e.message));
    }
    return live;
  }

  /** Opens an exec channel; rejects with the raw ssh2 error (caller handles "open failed"). */
  exec(client: Client, line: string): Promise<ClientChannel> {
    return new Promise((resolve, reject) => client.exec(line, (err, ch) => (err ? reject(err) : resolve(ch))));
  }

  describe(): string {
    const t = this.target;
    return `${t.user}@${t.hostname}:${t.port}`;
  }

  async release(): Promise<void> {
    if (--this.refs > 0) return;
    this.closed = true;
    if (pool.get(this.key) === this) pool.delete(this.key);
    const l = this.live ?? (await this.connecting?.catch(() => undefined));
    if (l) {
      l.lost ??= new RunnerError('CONNECTION_LOST', msg('connection to {0} closed by the caller', this.describe()));
      for (const f of [...l.inflight.keys()]) f(l.lost);
      l.inflight.clear();
      // commands still running see their stdin close with the connection: their watchdog ends them
      for (const c of [...l.conn.chain].reverse()) c.end();
    }
  }
}

export type { Live };
