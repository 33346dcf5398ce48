/**
 * OpenSSH host certificates (PROTOCOL.certkeys), checked as ssh(1) checks them (sshconnect.c check_host_cert):
 * a host certificate, signed by a key of a matching `@cert-authority` line with an algorithm OpenSSH's default
 * CASignatureAlgorithms allows, valid now, naming the host (or HostKeyAlias) among its principals (an empty list
 * names every host), no critical options, and neither the CA key nor the host key `@revoked`.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { msg, render, verbatim, type Localized } from '../core/l10n';
import type { KnownHostLine } from './knownHosts';

export interface HostCertificate {
  /** e.g. ssh-ed25519-cert-v01@openssh.com */
  certType: string;
  /** The plain key the certificate vouches for, in wire format (what ssh2 hands the host verifier). */
  key: Buffer;
  keyType: string;
  serial: bigint;
  /** 1 user, 2 host. */
  type: number;
  keyId: string;
  principals: string[];
  validAfter: bigint;
  validBefore: bigint;
  criticalOptions: number;
  signatureKey: Buffer;
  signature: Buffer;
  /** The bytes the CA signed: everything before the signature field. */
  signed: Buffer;
}

class Cursor {
  o = 0;
  constructor(readonly b: Buffer) {}
  string(): Buffer {
    if (this.o + 4 > this.b.length) throw new Error('truncated certificate');
    const n = this.b.readUInt32BE(this.o);
    if (this.o + 4 + n > this.b.length) throw new Error('truncated certificate');
    const v = this.b.subarray(this.o + 4, this.o + 4 + n);
    this.o += 4 + n;
    return v;
  }
  /** The next `count` strings as they are on the wire (length prefixes included). */
  raw(count: number): Buffer {
    const start = this.o;
    for (let i = 0; i < count; i++) this.string();
    return this.b.subarray(start, this.o);
  }
  u32(): number {
    const v = this.b.readUInt32BE(this.o);
    this.o += 4;
    return v;
  }
  u64(): bigint {
    const v = this.b.readBigUInt64BE(this.o);
    this.o += 8;
    return v;
  }
}

const sshString = (s: string) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(Buffer.byteLength(s, 'latin1'));
  return Buffer.concat([len, Buffer.from(s, 'latin1')]);
};

/** Key fields after the nonce, per certificate type, and the plain type they make. */
const CERT_KEYS: Record<string, { plain: string; fields: number; ecdsa?: boolean }> = {
  'ssh-ed25519-cert-v01@openssh.com': { plain: 'ssh-ed25519', fields: 1 },
  'ecdsa-sha2-nistp256-cert-v01@openssh.com': { plain: 'ecdsa-sha2-nistp256', fields: 2 },
  'ecdsa-sha2-nistp384-cert-v01@openssh.com': { plain: 'ecdsa-sha2-nistp384', fields: 2 },
  'ecdsa-sha2-nistp521-cert-v01@openssh.com': { plain: 'ecdsa-sha2-nistp521', fields: 2 },
  'ssh-rsa-cert-v01@openssh.com': { plain: 'ssh-rsa', fields: 2 },
};

/** Parses a certificate blob (K_S of a certificate key exchange). Throws on a malformed or unknown one. */
export function parseCertificate(blob: Buffer): HostCertificate {
  const c = new Cursor(blob);
  const certType = c.string().toString('latin1');
  const kind = CERT_KEYS[certType];
  if (!kind) throw new Error(`unsupported certificate type ${certType}`);
  c.string(); // nonce
  const key = Buffer.concat([sshString(kind.plain), c.raw(kind.fields)]);
  const serial = c.u64();
  const type = c.u32();
  const keyId = c.string().toString('utf8');
  const pc = new Cursor(c.string());
  const principals: string[] = [];
  while (pc.o < pc.b.length) principals.push(pc.string().toString('utf8'));
  const validAfter = c.u64();
  const validBefore = c.u64();
  const critical = new Cursor(c.string());
  let criticalOptions = 0;
  while (critical.o < critical.b.length) {
    critical.raw(2);
    criticalOptions++;
  }
  c.string(); // extensions
  c.string(); // reserved
  const signatureKey = Buffer.from(c.string());
  const signed = blob.subarray(0, c.o);
  const signature = Buffer.from(c.string());
  return { certType, key: Buffer.from(key), keyType: kind.plain, serial, type, keyId, principals, validAfter, validBefore, criticalOptions, signatureKey, signature, signed: Buffer.from(signed) };
}

const b64url = (b: Buffer) => b.toString('base64url');
const unsigned = (b: Buffer) => (b.length > 1 && b[0] === 0 ? b.subarray(1) : b);
const CURVES: Record<string, { crv: string; hash: string; size: number }> = {
  nistp256: { crv: 'P-256', hash: 'sha256', size: 32 },
  nistp384: { crv: 'P-384', hash: 'sha384', size: 48 },
  nistp521: { crv: 'P-521', hash: 'sha512', size: 66 },
};

/** A node KeyObject for an SSH wire-format public key (the CA's). */
function publicKeyOf(blob: Buffer): { type: string; key: KeyObject; curve?: (typeof CURVES)[string] } {
  const c = new Cursor(blob);
  const type = c.string().toString('latin1');
  if (type === 'ssh-ed25519') return { type, key: createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: b64url(c.string()) }, format: 'jwk' }) };
  if (type === 'ssh-rsa') {
    const e = unsigned(c.string());
    const n = unsigned(c.string());
    return { type, key: createPublicKey({ key: { kty: 'RSA', n: b64url(n), e: b64url(e) }, format: 'jwk' }) };
  }
  const curve = CURVES[type.replace('ecdsa-sha2-', '')];
  if (curve) {
    c.string(); // curve name
    const q = c.string(); // 0x04 | X | Y
    const x = q.subarray(1, 1 + curve.size);
    const y = q.subarray(1 + curve.size);
    return { type, curve, key: createPublicKey({ key: { kty: 'EC', crv: curve.crv, x: b64url(x), y: b64url(y) }, format: 'jwk' }) };
  }
  throw new Error(`unsupported CA key type ${type}`);
}

/** OpenSSH's default CASignatureAlgorithms (no ssh-rsa, i.e. SHA-1, since 8.2). */
const CA_SIGNATURE_ALGORITHMS = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-512', 'rsa-sha2-256'];

/** Verifies the CA's signature over the certificate. Returns why not, or undefined when it holds. */
export function signatureProblem(cert: HostCertificate): Localized | undefined {
  const s = new Cursor(cert.signature);
  const sigType = s.string().toString('latin1');
  const sig = s.string();
  if (!CA_SIGNATURE_ALGORITHMS.includes(sigType)) return msg('it is signed with {0}, which OpenSSH refuses for certificates (CASignatureAlgorithms)', sigType);
  let ca: ReturnType<typeof publicKeyOf>;
  try {
    ca = publicKeyOf(cert.signatureKey);
  } catch (e) {
    return verbatim((e as Error).message);
  }
  let ok: boolean;
  if (ca.type === 'ssh-ed25519') ok = sigType === 'ssh-ed25519' && verify(null, cert.signed, ca.key, sig);
  else if (ca.type === 'ssh-rsa') ok = sigType.startsWith('rsa-sha2-') && verify(sigType === 'rsa-sha2-512' ? 'sha512' : 'sha256', cert.signed, ca.key, sig);
  else {
    const curve = ca.curve!;
    const rs = new Cursor(sig);
    const pad = (b: Buffer) => Buffer.concat([Buffer.alloc(Math.max(0, curve.size - unsigned(b).length)), unsigned(b)]);
    const p1363 = Buffer.concat([pad(rs.string()), pad(rs.string())]);
    ok = sigType === ca.type && verify(curve.hash, cert.signed, { key: ca.key, dsaEncoding: 'ieee-p1363' }, p1363);
  }
  return ok ? undefined : msg('its CA signature does not verify');
}

export type CertVerdict =
  | { ok: true; ca: KnownHostLine }
  | { ok: false; revoked?: KnownHostLine; reason: string; why: Localized };

/** A refusal: its English reason (logs, tests) and the same as a catalogue message. */
const refuse = (why: Localized, revoked?: KnownHostLine): CertVerdict => ({ ok: false, ...(revoked ? { revoked } : {}), reason: render(why, 'en'), why });

const when = (t: bigint) => (t >= 0xffffffffffffffffn ? 'forever' : new Date(Number(t) * 1000).toISOString().replace('.000Z', 'Z'));

/**
 * Checks a fetched host certificate for `name` (the host name, or HostKeyAlias) against the known_hosts lines
 * that match the host: its `@cert-authority` and `@revoked` lines. `nowSeconds`: the check's time.
 */
export function checkHostCertificate(cert: HostCertificate, name: string, lines: KnownHostLine[], nowSeconds: number): CertVerdict {
  const caB64 = cert.signatureKey.toString('base64');
  const revoked = lines.filter((l) => l.marker === 'revoked');
  const revokedCa = revoked.find((l) => l.key === caB64);
  if (revokedCa) return refuse(msg('the CA key that signed its certificate is @revoked ({0})', `${revokedCa.file}:${revokedCa.line}`), revokedCa);
  const revokedKey = revoked.find((l) => l.key === cert.key.toString('base64'));
  if (revokedKey) return refuse(msg('its certified key is @revoked ({0})', `${revokedKey.file}:${revokedKey.line}`), revokedKey);
  const ca = lines.find((l) => l.marker === 'cert-authority' && l.key === caB64);
  if (!ca) return refuse(msg('its certificate (key id "{0}") is signed by a CA that no @cert-authority line for this host names', cert.keyId));
  if (cert.type !== 2) return refuse(msg('its certificate is not a host certificate'));
  const bad = signatureProblem(cert);
  if (bad) return refuse(msg('its certificate is not valid: {0}', bad));
  const now = BigInt(Math.floor(nowSeconds));
  if (now < cert.validAfter) return refuse(msg('its certificate is not valid yet (from {0})', when(cert.validAfter)));
  if (now >= cert.validBefore) return refuse(msg('its certificate expired (valid until {0})', when(cert.validBefore)));
  if (cert.principals.length && !cert.principals.includes(name)) {
    return refuse(msg('its certificate does not name {0} among its principals ({1})', name, cert.principals.join(', ')));
  }
  if (cert.criticalOptions) return refuse(msg('its certificate has critical options, which host certificates may not have'));
  return { ok: true, ca };
}
