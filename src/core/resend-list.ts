// The resend list of the per-recipient picture (impact.recipients) as a file, and the address mask of reports: light
// on purpose (the catalogue only) — VS Code's Export Resend List loads it at activation, the CLI's --resend-list too.
import { t, type Lang } from './l10n';
import type { RecipientsPicture } from './model';

export interface ResendListOptions {
  /** a***@example.org instead of the addresses (a list to look at or share, not to resend from). */
  mask?: boolean;
  /** The language of its comment lines (the catalogue's, l10n/bundle.l10n.<lang>.json). */
  lang?: Lang;
}

/** The resend list as a file: one address per line (deferred and bounced), with what it leaves out said on top. */
export function resendListText(p: RecipientsPicture, o: ResendListOptions = {}): string {
  const lang = o.lang ?? 'en';
  const head = [
    t(lang, '{0} recipient(s) Postfix did not deliver (deferred {1}, bounced {2}).', p.resend.length, p.deferred, p.bounced),
    t(lang, 'Deferred mail is still in the Postfix queue (retried for days): flush or delete it (postqueue -p / postsuper -d) before resending.'),
    ...(p.neverHandedOver ? [t(lang, '{0} recipient(s) were never handed to Postfix: their addresses are not in the logs (take them from the app).', p.neverHandedOver)] : []),
    ...(o.mask ? [t(lang, 'Addresses masked (incidentLens.report.redact): export the full addresses to resend.')] : []),
  ].map((x) => `# ${x}`);
  return [...head, ...p.resend.map((a) => (o.mask ? maskAddress(a) : a))].join('\n') + '\n';
}

/** a***@example.org: enough to recognise, not to copy. */
export function maskAddress(a: string): string {
  const at = a.lastIndexOf('@');
  return at > 0 ? `${a[0]}***${a.slice(at)}` : '***';
}
