/**
 * Follows each failing POST of the send screen from the front's access log to the upstream that served it:
 * the error-log line of the same request names the upstream address; the front's nginx `upstream` block and its
 * own name resolution say which server that is; the fleet host with that name served it. When no line names
 * the upstream, a host whose worker failed at that very moment is taken, and marked as found by time.
 */
import type { LogEvent } from '../model';
import type { Profile } from '../profile';
import { isSendPath, pathOf } from '../rules/context';
import { hostForServer, parseUpstreams, splitHostPort, upstreamOf, type UpstreamServer } from './upstream';
import type { FleetHost, PostTrace } from './types';

/** nginx writes the access line when the request ends; its error line for the same request is within a second or two. */
const SAME_REQUEST_MS = 2_000;
/** A worker's death and the front's 502 are the same moment, give or take clock skew between hosts. */
const SAME_MOMENT_MS = 5_000;
const FAILURE_KINDS = new Set(['oom_kill', 'worker_killed', 'worker_timeout', 'traceback', 'exception']);

const ms = (e: LogEvent) => Date.parse(e.time);

function eventsOf(h: FleetHost, source: string): LogEvent[] {
  return h.diagnosis?.sources.filter((s) => s.id === source).flatMap((s) => s.events) ?? [];
}

/** The front's failing POSTs of the send screen (status ≥ 500, or 499 when the client gave up). */
export function failingPosts(front: FleetHost, profile: Profile): LogEvent[] {
  return eventsOf(front, 'nginx_access').filter(
    (e) => e.fields?.method === 'POST' && isSendPath(pathOf(e), profile) && Number(e.fields?.status) >= 499,
  );
}

/** The front's upstream servers (from its nginx site probe). */
export function upstreamServers(front: FleetHost): UpstreamServer[] {
  const site = front.diagnosis?.sources.find((s) => s.id === 'nginx_site');
  return site?.excerpt ? parseUpstreams(site.excerpt) : [];
}

/** The upstream server an address is: the same literal, or a name the front resolves to it. */
function serverFor(addr: string, servers: UpstreamServer[], resolved: Record<string, string[]>): UpstreamServer | undefined {
  const hp = splitHostPort(addr);
  if (!hp) return undefined;
  const samePort = (s: UpstreamServer) => s.port === undefined || hp.port === undefined || s.port === hp.port;
  return (
    servers.find((s) => s.host === hp.host && samePort(s)) ??
    servers.find((s) => samePort(s) && (resolved[s.host] ?? []).some((ip) => ip.toLowerCase() === hp.host))
  );
}

function byTime(post: LogEvent, hosts: FleetHost[]): FleetHost | undefined {
  const t = ms(post);
  const failed = hosts.filter((h) =>
    h.diagnosis?.sources.some((s) => s.events.some((e) => FAILURE_KINDS.has(e.kind) && Math.abs(ms(e) - t) <= SAME_MOMENT_MS)),
  );
  return failed.length === 1 ? failed[0] : undefined;
}

export function tracePost(front: FleetHost, post: LogEvent, hosts: FleetHost[]): PostTrace {
  const t = ms(post);
  const path = pathOf(post);
  const errorLine = eventsOf(front, 'nginx_error').find(
    (e) => e.fields?.method === 'POST' && pathOf(e) === path && Math.abs(ms(e) - t) <= SAME_REQUEST_MS && upstreamOf(e.line, e.fields),
  );
  const upstream = upstreamOf(post.line) ?? (errorLine ? upstreamOf(errorLine.line, errorLine.fields) : undefined);
  const trace: PostTrace = { front: front.name, time: post.time, status: Number(post.fields?.status), accessLine: post.line, ...(errorLine ? { errorLine: errorLine.line } : {}) };
  const others = hosts.filter((h) => h !== front && h.status === 'ok');
  if (upstream) {
    trace.upstream = upstream;
    const server = serverFor(upstream, upstreamServers(front), front.resolved ?? {});
    if (server) trace.upstreamServer = `${server.host}${server.port ? `:${server.port}` : ''}`;
    const host = (server && hostForServer(server.host, others)) ?? hostForServer(splitHostPort(upstream)?.host ?? '', others);
    if (host) return { ...trace, host: host.name, how: 'address' };
  }
  const host = byTime(post, others);
  return host ? { ...trace, host: host.name, how: 'time' } : trace;
}

/** Every failing send POST on every front, traced. */
export function traceAll(hosts: FleetHost[], profile: Profile): PostTrace[] {
  const fronts = hosts.filter((h) => h.status === 'ok' && (h.role === 'front' || h.role === 'front+app'));
  return fronts.flatMap((f) => failingPosts(f, profile).map((p) => tracePost(f, p, hosts)));
}

/** Upstream servers the fronts name that no listed host is: the user may add them. */
export function missingUpstreams(hosts: FleetHost[]): string[] {
  const listed = hosts;
  const out = new Set<string>();
  for (const f of hosts.filter((h) => h.role === 'front' || h.role === 'front+app')) {
    for (const s of upstreamServers(f)) {
      if (!listed.some((h) => h !== f && hostForServer(s.host, [h]))) {
        const names = Object.entries(f.resolved ?? {}).filter(([, ips]) => ips.includes(s.host)).map(([n]) => n);
        out.add(names[0] ?? s.host);
      }
    }
  }
  return [...out];
}
