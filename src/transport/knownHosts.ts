/**
 * known_hosts lookup the way OpenSSH does it: plain and hashed (|1|salt|hash, HMAC-SHA1) host
 * patterns, `[host]:port` for non-22 ports, comma lists, `*`/`?` wildcards, `!` negation,
 * `@revoked` lines. `@cert-authority` lines are recognised but never match a plain host key
 * (this transport does not do host certificates).
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface KnownHostLine {
  file: string;
  line: number;
  marker?: 'revoked' | 'cert-authority';
  keyType: string;
  key: string; // base64 wire-format blob
}

export type HostKeyVerdict =
  | { status: 'ok'; entry: KnownHostLine }
  | { status: 'revoked'; entry: KnownHostLine }
  | { status: 'mismatch'; entry: KnownHostLine; expectedFingerprint: string }
  | { status: 'unknown'; otherTypes: KnownHostLine[]; certAuthorities: KnownHostLine[] };

/** The name OpenSSH looks up: `host` on port 22, `[host]:port` otherwise. Lower-cased. */
export function knownHostsName(host: string, port: number): string {
  const h = host.toLowerCase();
  return port === 22 ? h : `[${h}]:${port}`;
}

/** SHA256 fingerprint as OpenSSH prints it: "SHA256:" + unpadded base64. */
export function fingerprint(keyBlob: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '');
}

/** The key type string at the start of an SSH wire-format public key blob. */
export function keyTypeOf(keyBlob: Buffer): string {
  if (keyBlob.length < 4) return 'unknown';
  const n = keyBlob.readUInt32BE(0);
  return keyBlob.subarray(4, 4 + n).toString('latin1');
}

/** Glob match with `*` and `?`, case-insensitive, as OpenSSH's match_pattern. */
export function globMatch(name: string, pattern: string): boolean {
  const re = new RegExp('^' + pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$', 'i');
  return re.test(name);
}

function hashedMatch(names: string[], field: string): boolean {
  const parts = field.split('|'); // ['', '1', salt, hash]
  if (parts.length !== 4 || parts[1] !== '1') return false;
  const salt = Buffer.from(parts[2], 'base64');
  return names.some((n) => createHmac('sha1', salt).update(n).digest('base64') === parts[3]);
}

/** Does a host-pattern field (comma list, may be hashed or negated) match any of the names? */
export function hostFieldMatches(field: string, names: string[]): boolean {
  if (field.startsWith('|')) return hashedMatch(names, field);
  let positive = false;
  for (const raw of field.split(',')) {
    const negated = raw.startsWith('!');
    const pat = negated ? raw.slice(1) : raw;
    if (!pat) continue;
    if (names.some((n) => globMatch(n, pat))) {
      if (negated) return false; // a negated match excludes the line outright
      positive = true;
    }
  }
  return positive;
}

/** All lines of the given files that name this host (any key type). Missing files are skipped. */
export function findHostLines(files: string[], names: string[]): KnownHostLine[] {
  const out: KnownHostLine[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    text.split('\n').forEach((raw, i) => {
      const line = raw.trim();
      if (!line || line.startsWith('#')) return;
      const fields = line.split(/\s+/);
      let marker: KnownHostLine['marker'];
      if (fields[0].startsWith('@')) {
        const m = fields.shift()!;
        if (m === '@revoked') marker = 'revoked';
        else if (m === '@cert-authority') marker = 'cert-authority';
        else return;
      }
      if (fields.length < 3) return;
      const [hosts, keyType, key] = fields;
      // @revoked lines may use "*" for every host, like any other pattern
      if (!hostFieldMatches(hosts, names)) return;
      out.push({ file, line: i + 1, marker, keyType, key });
    });
  }
  return out;
}

/** Compares the presented key with every matching known_hosts line. */
export function checkHostKey(files: string[], names: string[], keyBlob: Buffer): HostKeyVerdict {
  const lines = findHostLines(files, names);
  const presented = keyBlob.toString('base64');
  const type = keyTypeOf(keyBlob);
  const revoked = lines.find((l) => l.marker === 'revoked' && l.key === presented);
  if (revoked) return { status: 'revoked', entry: revoked };
  const plain = lines.filter((l) => !l.marker);
  const same = plain.find((l) => l.keyType === type && l.key === presented);
  if (same) return { status: 'ok', entry: same };
  // same type with another key, or (the host's key TYPE changed) only keys of other types: OpenSSH says
  // "REMOTE HOST IDENTIFICATION HAS CHANGED" for both
  const revokedKeys = new Set(lines.filter((l) => l.marker === 'revoked').map((l) => l.key));
  const differing = plain.find((l) => l.keyType === type) ?? plain.find((l) => !revokedKeys.has(l.key));
  if (differing) {
    return { status: 'mismatch', entry: differing, expectedFingerprint: fingerprint(Buffer.from(differing.key, 'base64')) };
  }
  return { status: 'unknown', otherTypes: plain, certAuthorities: lines.filter((l) => l.marker === 'cert-authority') };
}

/**
 * Key types recorded for the host (plain lines only) whose known key is not @revoked, for the host key
 * algorithms offered first — as OpenSSH, a revoked key of one type leaves the host's other, valid key to be used.
 */
export function knownKeyTypes(files: string[], names: string[]): string[] {
  const lines = findHostLines(files, names);
  const revoked = new Set(lines.filter((l) => l.marker === 'revoked').map((l) => l.key));
  return [...new Set(lines.filter((l) => !l.marker && !revoked.has(l.key)).map((l) => l.keyType))];
}

/** Key types of the @revoked lines that name the host (or every host): never preferred, never offered after the known ones. */
export function revokedKeyTypes(files: string[], names: string[]): string[] {
  return [...new Set(findHostLines(files, names).filter((l) => l.marker === 'revoked').map((l) => l.keyType))];
}

/** `|1|salt|hash` form of a host name, as `ssh-keygen -H` and HashKnownHosts write it. */
export function hashHostName(name: string, salt: Buffer = randomBytes(20)): string {
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
}

/**
 * Appends `name keytype base64` to the file, creating it (0600) when missing. The name is hashed
 * when `hashed` (ssh -G's HashKnownHosts), plain otherwise.
 */
export function appendKnownHost(file: string, name: string, keyBlob: Buffer, hashed = false): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  let prefix = '';
  if (existsSync(file)) {
    const cur = readFileSync(file, 'utf8');
    if (cur.length && !cur.endsWith('\n')) prefix = '\n';
  }
  appendFileSync(file, `${prefix}${hashed ? hashHostName(name) : name} ${keyTypeOf(keyBlob)} ${keyBlob.toString('base64')}\n`, { mode: 0o600 });
}

/** ssh2 host key algorithm names that produce a key of the given known_hosts key type. */
export function algorithmsForKeyTypes(types: string[]): string[] {
  const out: string[] = [];
  for (const t of types) {
    if (t === 'ssh-rsa') out.push('rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa');
    else if (SSH2_HOST_KEY_ALGORITHMS.includes(t)) out.push(t);
  }
  return out;
}

/**
 * The host key algorithms to offer, as OpenSSH orders them: the known (not revoked) types first, so a host that
 * still has that key presents it; then ssh2's other defaults, without revoked types, so a host whose key TYPE
 * changed presents its new key and is reported as a changed host key (not a failed handshake). Empty = nothing
 * known: ssh2's defaults.
 */
export function offeredHostKeyAlgorithms(known: string[], revoked: string[]): string[] {
  const first = algorithmsForKeyTypes(known);
  if (!first.length) return [];
  const dropped = new Set(algorithmsForKeyTypes(revoked));
  return [...first, ...SSH2_DEFAULT_HOST_KEY_ALGORITHMS.filter((a) => !first.includes(a) && !dropped.has(a))];
}

/** Host key algorithms ssh2 1.x supports (others, e.g. security-key types, are not restricted to). */
const SSH2_HOST_KEY_ALGORITHMS = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa', 'ssh-dss'];
/** ssh2's default offer (ssh-dss only when known_hosts names it). */
const SSH2_DEFAULT_HOST_KEY_ALGORITHMS = SSH2_HOST_KEY_ALGORITHMS.filter((a) => a !== 'ssh-dss');
