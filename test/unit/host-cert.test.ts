// Host certificates made by the real ssh-keygen, parsed and checked as OpenSSH checks them: every CA key type's
// signature verifies; a changed byte, a SHA-1 (ssh-rsa) CA signature, a user certificate and a validity window
// are refused. (The network side, against a real sshd with a HostCertificate, is test/transport/hostCert.test.ts.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkHostCertificate, parseCertificate } from '../../src/transport/hostCert';
import type { KnownHostLine } from '../../src/transport/knownHosts';

const dir = mkdtempSync(join(tmpdir(), 'il-cert-unit-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
let n = 0;

function key(type: string[]): { priv: string; blob: string } {
  const priv = join(dir, `k${n++}`);
  execFileSync('ssh-keygen', ['-q', ...type, '-N', '', '-f', priv]);
  return { priv, blob: readFileSync(`${priv}.pub`, 'utf8').split(' ')[1] };
}

function sign(ca: string, host: string, args: string[]): Buffer {
  execFileSync('ssh-keygen', ['-q', '-s', ca, '-I', 'unit', ...args, `${host}.pub`]);
  return Buffer.from(readFileSync(`${host}-cert.pub`, 'utf8').split(' ')[1], 'base64');
}

const caLine = (blob: string): KnownHostLine => ({ file: 'kh', line: 1, marker: 'cert-authority', keyType: 'x', key: blob });
const now = Date.now() / 1000;

test('every CA key type: the signature verifies and the certified key is the host key', () => {
  const host = key(['-t', 'ed25519']);
  for (const t of [['-t', 'ed25519'], ['-t', 'ecdsa', '-b', '256'], ['-t', 'ecdsa', '-b', '384'], ['-t', 'ecdsa', '-b', '521'], ['-t', 'rsa', '-b', '2048']]) {
    const ca = key(t);
    const cert = parseCertificate(sign(ca.priv, host.priv, ['-h', '-n', 'web1.example']));
    assert.equal(cert.key.toString('base64'), host.blob);
    assert.deepEqual(cert.principals, ['web1.example']);
    const v = checkHostCertificate(cert, 'web1.example', [caLine(ca.blob)], now);
    assert.equal(v.ok, true, `${t.join(' ')}: ${JSON.stringify(v)}`);
  }
  // an ECDSA host key, certified
  const ecHost = key(['-t', 'ecdsa']);
  const ca = key(['-t', 'ed25519']);
  const cert = parseCertificate(sign(ca.priv, ecHost.priv, ['-h']));
  assert.equal(cert.key.toString('base64'), ecHost.blob);
  assert.deepEqual(cert.principals, []); // no principals: valid for every name, as OpenSSH
  assert.equal(checkHostCertificate(cert, 'any.example', [caLine(ca.blob)], now).ok, true);
});

test('refused: a changed byte, an ssh-rsa (SHA-1) CA signature, a user certificate, outside its validity', () => {
  const host = key(['-t', 'ed25519']);
  const ca = key(['-t', 'rsa', '-b', '2048']);
  const blob = sign(ca.priv, host.priv, ['-h', '-n', 'h']);
  const tampered = Buffer.from(blob);
  const at = tampered.indexOf(Buffer.from([0, 0, 0, 1, 0x68])) + 4; // the principal "h"
  tampered[at] = 'i'.charCodeAt(0);
  const t = checkHostCertificate(parseCertificate(tampered), 'i', [caLine(ca.blob)], now);
  assert.deepEqual([t.ok, !t.ok && t.reason], [false, 'its certificate is not valid: its CA signature does not verify']);
  const sha1 = checkHostCertificate(parseCertificate(sign(ca.priv, host.priv, ['-h', '-n', 'h', '-t', 'ssh-rsa'])), 'h', [caLine(ca.blob)], now);
  assert.match(!sha1.ok ? sha1.reason : '', /signed with ssh-rsa, which OpenSSH refuses/);
  const user = checkHostCertificate(parseCertificate(sign(ca.priv, host.priv, ['-n', 'h'])), 'h', [caLine(ca.blob)], now);
  assert.match(!user.ok ? user.reason : '', /not a host certificate/);
  const future = checkHostCertificate(parseCertificate(sign(ca.priv, host.priv, ['-h', '-V', '+1d:+2d'])), 'h', [caLine(ca.blob)], now);
  assert.match(!future.ok ? future.reason : '', /not valid yet/);
  // trap: a certificate valid from yesterday to tomorrow is accepted
  const window = checkHostCertificate(parseCertificate(sign(ca.priv, host.priv, ['-h', '-V', '-1d:+1d'])), 'h', [caLine(ca.blob)], now);
  assert.equal(window.ok, true);
});
