/**
 * Builds ssh2's hostVerifier for one hop: always set (ssh2's accept-anything default is never
 * reached), checks known_hosts BEFORE authentication, asks the injected prompt for unknown hosts
 * and appends only on an explicit yes.
 */
import type { Duplex } from 'node:stream';
import { RunnerError } from '../core/exec';
import { joined, msg, type Localized } from '../core/l10n';
import { checkHostCertificate, parseCertificate, type CertVerdict, type HostCertificate } from './hostCert';
import { fetchHostCertificate } from './hostCertFetch';
import { algorithmsForKeyTypes, appendKnownHost, checkHostKey, findHostLines, fingerprint, keyTypeOf, knownHostsName, knownKeyTypes, offeredHostKeyAlgorithms, revokedKeyTypes } from './knownHosts';
import type { Prompts } from './types';

export interface HostCheckContext {
  /** Host name as shown and looked up in known_hosts. */
  host: string;
  port: number;
  /** HostKeyAlias: then known_hosts is searched for this name as-is (no [host]:port), as OpenSSH does. */
  alias?: string;
  knownHostsFiles: string[];
  /** Where an accepted key is appended (the first user known_hosts file). */
  appendTo: string;
  /** Write the accepted host name hashed (HashKnownHosts yes). */
  hashed?: boolean;
  prompts?: Prompts;
  log?: (line: string) => void;
  /** Pauses the connect timeout while a person answers. */
  pauseTimer: (paused: boolean) => void;
  /** The host's certificate, when a @cert-authority line names the host (lookupHostCertificate). */
  certificate?: CertLookup;
}

/** What a @cert-authority host's certificate says: checked, or why there is none to check. */
export type CertLookup = { cert: HostCertificate; verdict: CertVerdict; note?: undefined } | { note: Localized; cert?: undefined };

/**
 * When only @cert-authority lines (no plain key) name the host, fetches its certificate on a side connection
 * (`openSide`) and checks it as OpenSSH does. undefined when no CA line applies.
 */
export async function lookupHostCertificate(
  ctx: Pick<HostCheckContext, 'host' | 'port' | 'alias' | 'knownHostsFiles' | 'log'>,
  openSide: () => Promise<Duplex>,
  timeoutMs: number,
): Promise<CertLookup | undefined> {
  const lines = findHostLines(ctx.knownHostsFiles, [lookupName(ctx)]);
  if (!lines.some((l) => l.marker === 'cert-authority') || lines.some((l) => !l.marker)) return undefined;
  try {
    const got = await fetchHostCertificate(await openSide(), timeoutMs);
    if (!got.cert) return { note: msg('a @cert-authority line names this host, but the host presents no certificate (its host key algorithms: {0})', got.offered.join(', ')) };
    const cert = parseCertificate(got.cert);
    const verdict = checkHostCertificate(cert, (ctx.alias ?? ctx.host).toLowerCase(), lines, Date.now() / 1000);
    ctx.log?.(`host certificate ${cert.certType} key id "${cert.keyId}" serial ${cert.serial}: ${verdict.ok ? `signed by the CA of ${verdict.ca.file}:${verdict.ca.line}` : verdict.reason}`);
    return { cert, verdict };
  } catch (e) {
    return { note: msg('a @cert-authority line names this host, but its certificate could not be read ({0})', (e as Error).message) };
  }
}

/** Host key algorithms for a certified host: the certified key's type only (empty = no usable certificate). */
export function certifiedAlgorithms(c: CertLookup | undefined): string[] {
  return c?.cert && c.verdict.ok ? algorithmsForKeyTypes([c.cert.keyType]) : [];
}

/** Host key algorithms to offer: the known, not revoked, types first, then the rest (empty = let ssh2 choose). */
export function serverHostKeyAlgorithms(ctx: Pick<HostCheckContext, 'host' | 'port' | 'alias' | 'knownHostsFiles'>): string[] {
  const names = [lookupName(ctx)];
  if (!ctx.alias && ctx.port !== 22) names.push(ctx.host.toLowerCase());
  return offeredHostKeyAlgorithms(knownKeyTypes(ctx.knownHostsFiles, names), revokedKeyTypes(ctx.knownHostsFiles, names));
}

function lookupName(ctx: Pick<HostCheckContext, 'host' | 'port' | 'alias'>): string {
  return ctx.alias ? ctx.alias.toLowerCase() : knownHostsName(ctx.host, ctx.port);
}

/** What known_hosts says about a presented key: accept, refuse with a reason, or unknown (ask, or refuse). */
type Known = { accept: true } | { accept: false; failure: RunnerError } | { accept: 'unknown'; unknown: () => RunnerError };

function checkKnown(ctx: HostCheckContext, name: string, key: Buffer, keyType: string, presented: string): Known {
  const v = checkHostKey(ctx.knownHostsFiles, [name], key);
  if (v.status === 'ok') {
    ctx.log?.(`host key ${keyType} ${presented} matches ${v.entry.file}:${v.entry.line}`);
    return { accept: true };
  }
  if (v.status === 'revoked') {
    return {
      accept: false,
      failure: new RunnerError(
        'HOST_KEY_REVOKED',
        msg('the host key of {0} ({1}) is marked @revoked in {2}', name, `${keyType} ${presented}`, `${v.entry.file}:${v.entry.line}`),
        msg('This key was revoked on purpose: do not connect. Ask the host administrator for the current host key.'),
      ),
    };
  }
  if (v.status === 'mismatch' && v.entry.keyType !== keyType) {
    return {
      accept: false,
      failure: new RunnerError(
        'HOST_KEY_MISMATCH',
        msg(
          'HOST KEY CHANGED for {0}: known_hosts holds its {1} key {2} ({3}), but the server no longer presents it: it presented a key of another type, {4}',
          name, v.entry.keyType, v.expectedFingerprint, `${v.entry.file}:${v.entry.line}`, `${keyType} ${presented}`,
        ),
        msg(
          'The host key TYPE changed: the host was reinstalled or reconfigured, or someone is intercepting the connection. Verify the new fingerprint with the host administrator through another channel, then remove line {0} of {1} (ssh-keygen -R).',
          v.entry.line, v.entry.file,
        ),
      ),
    };
  }
  if (v.status === 'mismatch') {
    return {
      accept: false,
      failure: new RunnerError(
        'HOST_KEY_MISMATCH',
        msg(
          'HOST KEY MISMATCH for {0}: known_hosts expects {1} ({2}) but the server presented {3}',
          name, `${v.entry.keyType} ${v.expectedFingerprint}`, `${v.entry.file}:${v.entry.line}`, `${keyType} ${presented}`,
        ),
        msg(
          'Someone may be intercepting the connection, or the host was reinstalled. Verify the new fingerprint with the host administrator through another channel, then remove line {0} of {1} (ssh-keygen -R).',
          v.entry.line, v.entry.file,
        ),
      ),
    };
  }
  const byCert = certified(ctx, key, keyType, presented);
  if (byCert) return byCert;
  if (!ctx.alias && ctx.port !== 22) {
    // like OpenSSH: an unknown [host]:port is accepted when the plain host's entry holds this very key
    const plain = checkHostKey(ctx.knownHostsFiles, [ctx.host.toLowerCase()], key);
    if (plain.status === 'ok') {
      ctx.log?.(`host key ${keyType} ${presented} matches ${plain.entry.file}:${plain.entry.line} (entry without port, accepted as OpenSSH does)`);
      return { accept: true };
    }
  }
  const notes: Localized[] = [];
  if (v.otherTypes.length) notes.push(msg('keys of other types are known ({0})', [...new Set(v.otherTypes.map((l) => l.keyType))].join(', ')));
  const c = ctx.certificate;
  if (c?.note) notes.push(c.note);
  else if (c?.cert && !c.verdict.ok) notes.push(msg('a @cert-authority line names this host, but {0}', c.verdict.why));
  else if (c?.cert) notes.push(msg('its certificate vouches for another key ({0})', `${c.cert.keyType} ${fingerprint(c.cert.key)}`));
  else if (v.certAuthorities.length) notes.push(msg('a @cert-authority line names this host, but its certificate was not fetched'));
  const unknown = () =>
    new RunnerError(
      'HOST_KEY_UNKNOWN',
      joined('; ', [msg('{0} is not in known_hosts ({1}); it presented {2}', name, ctx.knownHostsFiles.join(', '), `${keyType} ${presented}`), ...notes]),
      msg('Verify the fingerprint with the host administrator, then accept it when asked, or add it yourself (ssh-keyscan -p {0} {1} >> {2}).', ctx.port, ctx.host, ctx.appendTo),
    );
  return { accept: 'unknown', unknown };
}

/** A key that the host's checked certificate vouches for is accepted; a revoked CA or certified key refuses. */
function certified(ctx: HostCheckContext, key: Buffer, keyType: string, presented: string): Known | undefined {
  const c = ctx.certificate;
  if (!c?.cert) return undefined;
  if (!c.verdict.ok && c.verdict.revoked) {
    const failure = new RunnerError(
      'HOST_KEY_REVOKED',
      msg('the host certificate of {0} ({1}, key id "{2}") cannot be trusted: {3}', lookupName(ctx), `${keyType} ${presented}`, c.cert.keyId, c.verdict.why),
      msg('This key or CA was revoked on purpose: do not connect. Ask the host administrator for a current certificate.'),
    );
    return { accept: false, failure };
  }
  if (!c.verdict.ok || !c.cert.key.equals(key)) return undefined;
  const ca = c.verdict.ca;
  ctx.log?.(`host key ${keyType} ${presented} is vouched for by its certificate (key id "${c.cert.keyId}"), signed by the @cert-authority of ${ca.file}:${ca.line}`);
  return { accept: true };
}

/** Asks the person about an unknown key (the connect timer paused meanwhile); appends it to known_hosts on yes. */
function askToTrust(ctx: HostCheckContext, name: string, key: Buffer, keyType: string, presented: string, unknown: () => RunnerError, done: (failure?: RunnerError) => void): void {
  ctx.pauseTimer(true);
  ctx.prompts!.confirmHostKey!({ host: ctx.host, port: ctx.port, keyType, fingerprint: presented, knownHostsFile: ctx.appendTo }).then(
    (yes) => {
      ctx.pauseTimer(false);
      if (yes !== true) return done(unknown());
      try {
        appendKnownHost(ctx.appendTo, name, key, ctx.hashed);
        ctx.log?.(`added ${name} ${keyType} ${presented} to ${ctx.appendTo}`);
        done();
      } catch (e) {
        done(new RunnerError('HOST_KEY_UNKNOWN', msg('cannot write {0}: {1}', ctx.appendTo, (e as Error).message)));
      }
    },
    (e: unknown) => {
      ctx.pauseTimer(false);
      ctx.log?.(`host key prompt failed: ${(e as Error)?.message ?? e}`);
      done(unknown());
    },
  );
}

/**
 * Returns [hostVerifier, failure()] — failure() yields the RunnerError that explains a refusal
 * (ssh2 itself only says "Host denied").
 */
export function makeHostVerifier(ctx: HostCheckContext): [(key: Buffer, verify: (ok: boolean) => void) => void, () => RunnerError | undefined] {
  let failure: RunnerError | undefined;
  const name = lookupName(ctx);
  const verifier = (key: Buffer, verify: (ok: boolean) => void): void => {
    const presented = fingerprint(key);
    const keyType = keyTypeOf(key);
    const known = checkKnown(ctx, name, key, keyType, presented);
    if (known.accept === true) return verify(true);
    if (known.accept === false) {
      failure = known.failure;
      return verify(false);
    }
    if (!ctx.prompts?.confirmHostKey) {
      failure = known.unknown();
      return verify(false);
    }
    askToTrust(ctx, name, key, keyType, presented, known.unknown, (f) => {
      failure = f;
      verify(!f);
    });
  };
  return [verifier, () => failure];
}
