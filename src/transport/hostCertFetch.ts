/**
 * Fetches a host's OpenSSH certificate the way `ssh-keyscan -c` does: a side connection that goes as far as the
 * server's key-exchange reply (which carries K_S, the certificate) and closes. ssh2 1.x cannot negotiate the
 * `*-cert-v01@openssh.com` host key algorithms on the real connection, so the certificate is fetched here and
 * checked (hostCert.ts); the real connection then accepts only the very key the certificate vouches for, and
 * ssh2 verifies that the server holds its private key (the exchange-hash signature). Nothing fetched here is
 * trusted by itself: the certificate is only as good as its CA's signature.
 */
import { createECDH, generateKeyPairSync, getDiffieHellman, randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';

/** Certificate host key algorithms asked for, best first (CASignatureAlgorithms-era OpenSSH order). */
export const CERT_HOST_KEY_ALGORITHMS = [
  'ssh-ed25519-cert-v01@openssh.com',
  'ecdsa-sha2-nistp256-cert-v01@openssh.com',
  'ecdsa-sha2-nistp384-cert-v01@openssh.com',
  'ecdsa-sha2-nistp521-cert-v01@openssh.com',
  'rsa-sha2-512-cert-v01@openssh.com',
  'rsa-sha2-256-cert-v01@openssh.com',
];

/** Key exchanges this fetch can start (it never finishes one: only the client's public value is needed). */
const KEX: Record<string, () => Buffer> = {
  'curve25519-sha256': x25519Public,
  'curve25519-sha256@libssh.org': x25519Public,
  'ecdh-sha2-nistp256': () => createECDH('prime256v1').generateKeys(),
  'ecdh-sha2-nistp384': () => createECDH('secp384r1').generateKeys(),
  'ecdh-sha2-nistp521': () => createECDH('secp521r1').generateKeys(),
  'diffie-hellman-group16-sha512': () => mpint(getDiffieHellman('modp16').generateKeys()),
  'diffie-hellman-group14-sha256': () => mpint(getDiffieHellman('modp14').generateKeys()),
  'diffie-hellman-group14-sha1': () => mpint(getDiffieHellman('modp14').generateKeys()),
};

function x25519Public(): Buffer {
  const der = generateKeyPairSync('x25519').publicKey.export({ type: 'spki', format: 'der' });
  return der.subarray(der.length - 32);
}

/** mpint body of a positive big-endian number (a leading zero when the high bit is set). */
function mpint(b: Buffer): Buffer {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  const v = b.subarray(i);
  return v[0] & 0x80 ? Buffer.concat([Buffer.alloc(1), v]) : v;
}

const str = (b: Buffer | string) => {
  const body = typeof b === 'string' ? Buffer.from(b, 'latin1') : b;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  return Buffer.concat([len, body]);
};

/** One unencrypted binary packet (RFC 4253 §6), before any NEWKEYS. */
function packet(payload: Buffer): Buffer {
  let pad = 8 - ((5 + payload.length) % 8);
  if (pad < 4) pad += 8;
  const head = Buffer.alloc(5);
  head.writeUInt32BE(1 + payload.length + pad);
  head[4] = pad;
  return Buffer.concat([head, payload, randomBytes(pad)]);
}

/** The server's KEXINIT name-lists we use: [kex, hostkey, enc c2s, enc s2c, mac c2s, mac s2c, comp c2s, comp s2c]. */
function readKexInit(p: Buffer): string[][] {
  const lists: string[][] = [];
  let o = 17; // msg byte + 16-byte cookie
  for (let i = 0; i < 10; i++) {
    const n = p.readUInt32BE(o);
    lists.push(p.subarray(o + 4, o + 4 + n).toString('latin1').split(',').filter(Boolean));
    o += 4 + n;
  }
  return lists;
}

function clientKexInit(kex: string, hostKey: string, server: string[][]): Buffer {
  // the cipher, MAC and compression lists are the server's own: they always match, and are never used
  const lists = [kex, hostKey, ...server.slice(2, 8).map((l) => l.join(',')), '', ''];
  return Buffer.concat([Buffer.from([20]), randomBytes(16), ...lists.map((l) => str(l)), Buffer.from([0, 0, 0, 0, 0])]);
}

export type FetchedCert =
  | { cert: Buffer; algorithm: string }
  | { cert?: undefined; offered: string[] }; // the server offers no certificate host key algorithm

/** Splits the incoming bytes into the banner line, then packets. */
class Reader {
  private buf = Buffer.alloc(0);
  private banner = false;
  constructor(private readonly onBanner: (line: string) => void, private readonly onPacket: (payload: Buffer) => void) {}
  push(chunk: Buffer): void {
    this.buf = Buffer.concat([this.buf, chunk]);
    while (!this.banner) {
      const nl = this.buf.indexOf(0x0a);
      if (nl < 0) return;
      const line = this.buf.subarray(0, nl).toString('latin1').replace(/\r$/, '');
      this.buf = this.buf.subarray(nl + 1);
      if (line.startsWith('SSH-')) {
        this.banner = true;
        this.onBanner(line);
      }
    }
    while (this.buf.length >= 5) {
      const len = this.buf.readUInt32BE(0);
      if (len > 256 * 1024) throw new Error(`packet of ${len} bytes`);
      if (this.buf.length < 4 + len) return;
      const pad = this.buf[4];
      const payload = this.buf.subarray(5, 4 + len - pad);
      this.buf = this.buf.subarray(4 + len);
      this.onPacket(payload);
    }
  }
}

/**
 * Reads the host's certificate over `sock` (a TCP socket, or a channel forwarded by a jump host), then closes it.
 * Rejects on a protocol error or after `timeoutMs`.
 */
export function fetchHostCertificate(sock: Duplex, timeoutMs: number): Promise<FetchedCert> {
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (e: Error | undefined, v?: FetchedCert) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      if (e) reject(e);
      else resolve(v!);
    };
    const timer = setTimeout(() => finish(new Error(`no key-exchange reply after ${timeoutMs} ms`)), timeoutMs);
    let algorithm = '';
    const reader = new Reader(
      (line) => {
        if (!/^SSH-(2\.0|1\.99)-/.test(line)) finish(new Error(`not an SSH-2 server: ${line.slice(0, 60)}`));
      },
      (p) => {
        if (p[0] === 20) {
          const server = readKexInit(p);
          algorithm = CERT_HOST_KEY_ALGORITHMS.find((a) => server[1].includes(a)) ?? '';
          const kex = Object.keys(KEX).find((k) => server[0].includes(k));
          if (!algorithm) return finish(undefined, { offered: server[1] });
          if (!kex) return finish(new Error(`no common key exchange (the server offers ${server[0].join(', ')})`));
          sock.write(packet(clientKexInit(kex, algorithm, server)));
          sock.write(packet(Buffer.concat([Buffer.from([30]), str(KEX[kex]())])));
        } else if (p[0] === 31) {
          const n = p.readUInt32BE(1);
          finish(undefined, { cert: Buffer.from(p.subarray(5, 5 + n)), algorithm });
        } else if (p[0] === 1) {
          finish(new Error('the server closed the key exchange'));
        } // 2 IGNORE, 4 DEBUG and others: skipped
      },
    );
    sock.on('data', (d: Buffer) => {
      try {
        reader.push(d);
      } catch (e) {
        finish(e as Error);
      }
    });
    sock.on('error', (e: Error) => finish(e));
    sock.on('close', () => finish(new Error('connection closed before the key-exchange reply')));
    sock.write('SSH-2.0-IncidentLens_certfetch\r\n');
  });
}
