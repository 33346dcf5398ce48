// What the Diagnose inputs accept (pure: unit-tested under plain node).
import { parseTarget } from '../transport/target';

export function isDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

export function isTime(s: string): boolean {
  return /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/.test(s);
}

/** `5m`, `1h30m`, `90s`, `20` (minutes), `10 min`. */
export function isDuration(s: string): boolean {
  return /^(\d+\s*(h|m|min|s)?\s*)+$/i.test(s) && /\d/.test(s);
}

/** A host typed in the first step: user@host[:port], [v6]:port or an alias; nothing a shell could read. */
export function isTypedHost(s: string): boolean {
  // the transport's own parser: user:password@host (which would be remembered and logged) is not a valid user
  try {
    parseTarget(s);
    return true;
  } catch {
    return false;
  }
}

/** Yesterday in the machine's local zone: the runbook's "22:20 hier". */
export function yesterday(now = new Date()): string {
  const d = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Relative candidates for a host path, longest first: app-relative when under appDir, then trailing segments with at least one folder. */
export function pathCandidates(hostPath: string, appDir: string): string[] {
  const out: string[] = [];
  const base = appDir.replace(/\/+$/, '') + '/';
  if (hostPath.startsWith(base)) out.push(hostPath.slice(base.length));
  const segs = hostPath.split('/').filter(Boolean);
  for (let i = 0; i < segs.length - 1; i++) {
    const rel = segs.slice(i).join('/');
    if (!out.includes(rel)) out.push(rel);
  }
  return out.filter((r) => r.includes('/'));
}
