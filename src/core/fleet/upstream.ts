/** nginx `upstream` blocks, the upstream address a log line names, and which fleet host a name or address is. */
import { splitByFile } from '../parse/text';
import type { FleetHost } from './types';

export interface UpstreamServer {
  group: string;
  /** Host part: a name, an IPv4 address or a bracket-less IPv6 address. */
  host: string;
  port?: number;
}

const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;
export const isIp = (s: string): boolean => IPV4.test(s) || /^[0-9a-f:]+$/i.test(s) && s.includes(':');

/** Splits `host:port`, `[v6]:port`, `host`; undefined for unix sockets. */
export function splitHostPort(addr: string): { host: string; port?: number } | undefined {
  const a = addr.trim().replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '');
  if (!a || /^unix:/i.test(a)) return undefined;
  const v6 = /^\[([0-9a-fA-F:.]+)\](?::(\d+))?$/.exec(a);
  if (v6) return { host: v6[1].toLowerCase(), ...(v6[2] ? { port: Number(v6[2]) } : {}) };
  const m = /^([A-Za-z0-9.-]+)(?::(\d+))?$/.exec(a);
  return m ? { host: m[1].toLowerCase(), ...(m[2] ? { port: Number(m[2]) } : {}) } : undefined;
}

/** Every `server` of every `upstream NAME { … }` block in nginx configuration text (file markers allowed). */
export function parseUpstreams(config: string): UpstreamServer[] {
  const files = splitByFile(config);
  const text = files.size ? [...files.values()].map((l) => l.join('\n')).join('\n') : config;
  const out: UpstreamServer[] = [];
  const clean = text.replace(/#[^\n]*/g, '');
  for (const m of clean.matchAll(/\bupstream\s+([A-Za-z0-9_.-]+)\s*\{([^}]*)\}/g)) {
    for (const s of m[2].matchAll(/(?:^|[;{\s])server\s+([^\s;]+)[^;]*;/g)) {
      const hp = splitHostPort(s[1]);
      if (hp) out.push({ group: m[1], ...hp });
    }
  }
  return out;
}

/** The upstream a front's log line names: nginx error `upstream: "http://ip:port/…"`, or an `$upstream_addr` in the access line. */
export function upstreamOf(line: string, fields?: Record<string, string | number>): string | undefined {
  const u = typeof fields?.upstream === 'string' ? fields.upstream : /\bupstream: "([^"]*)"/.exec(line)?.[1];
  if (u !== undefined) {
    const hp = splitHostPort(u);
    return hp ? `${hp.host.includes(':') ? `[${hp.host}]` : hp.host}${hp.port ? `:${hp.port}` : ''}` : undefined;
  }
  // an access log_format with $upstream_addr: after the request, `ip:port` not inside a URL; a retry lists several, the last served
  const afterRequest = line.replace(/^[^"]*"[^"]*"/, '');
  const addrs = [...afterRequest.matchAll(/(?<![/\w.:[])((?:\d{1,3}\.){3}\d{1,3}:\d{1,5}|\[[0-9a-fA-F:]+\]:\d{1,5})(?![\w.:/])/g)].map((x) => x[1]);
  return addrs.length ? addrs[addrs.length - 1] : undefined;
}

/** The host part of what the user typed: `user@host:port` → host; an alias stays itself. */
export function hostPartOf(name: string): string {
  return (splitHostPort(name.replace(/^[^@]*@/, ''))?.host ?? name).toLowerCase();
}

/** True when two host names denote the same machine: equal, or the same first label when one of them is a short name. */
export function sameName(a: string, b: string): boolean {
  const x = a.toLowerCase().replace(/\.$/, '');
  const y = b.toLowerCase().replace(/\.$/, '');
  if (x === y) return true;
  if (isIp(x) || isIp(y)) return false;
  if (x.includes('.') && y.includes('.')) return false;
  return x.split('.')[0] === y.split('.')[0];
}

/** The names a fleet host answers to: what the user typed, its connection's host, its own hostname. */
export function namesOf(h: FleetHost): string[] {
  const out = [hostPartOf(h.name)];
  if (h.target) out.push(hostPartOf(h.target));
  if (h.hostname) out.push(h.hostname.toLowerCase());
  return [...new Set(out)];
}

/** The fleet host an upstream server is (by name or by the address the user connects to), if any. */
export function hostForServer(server: string, hosts: FleetHost[]): FleetHost | undefined {
  const matches = hosts.filter((h) => namesOf(h).some((n) => sameName(n, server)));
  return matches.length === 1 ? matches[0] : undefined;
}
