/** Plain-words explanations of each cause, as catalogue messages (l10n/bundle.l10n.<lang>.json). */
import { msg, type Localized } from '../l10n';
import type { CauseId } from '../model';
import type { RuleContext } from './context';

type Data = Record<string, string | number | undefined>;

export function explain(id: CauseId, confidence: number, c: RuleContext, d: Data): Localized {
  const none = confidence < 0.2;
  const gt = d.gunicornTimeout;
  const pt = d.proxyReadTimeout;
  switch (id) {
    case 'http_timeout':
      if (none) return msg('No worker timeout, upstream timeout or over-long send request in the window.');
      if (typeof gt === 'number' && typeof pt === 'number' && pt < gt && d.upstreamTimeouts) {
        return msg('The send ran inside the web request. nginx stopped waiting after {0} s (proxy_read_timeout) and answered 504, while gunicorn allows {1} s: the worker may have gone on sending after the user saw the error, until it finished or gunicorn killed it. Move bulk sends out of the request.', pt, gt);
      }
      return msg('The send ran inside the web request. Gunicorn kills a worker that handles one request for longer than its timeout ({0} s here; nginx waits {1} s), so the loop of batches stopped when the request hit that limit. Gunicorn\'s "Perhaps out of memory?" after a WORKER TIMEOUT is only its SIGKILL escalation, not an OOM kill.', gt, pt);
    case 'smtp_rate_limit':
      if (none) return msg('No SMTP reply refusing mail for sending too much (421/450/451/452/554 with rate or quota wording) in the window.');
      return msg('The SMTP server ({0}) refused messages because too many were sent too fast (rate or quota limit). The exception was not caught in the batch loop, so the send stopped there.', c.profile.smtpHost);
    case 'smtp_connection_error':
      if (none) return msg('No failure to connect to, or lost connection with, the SMTP server in the window.');
      return msg('The app could not connect to, or lost its connection with, the SMTP server ({0}:{1}): refused, timed out, TLS/SSL error or disconnected. The exception was not caught in the batch loop, so the send stopped there.', c.profile.smtpHost, c.profile.smtpPort);
    case 'oom_kill':
      if (confidence >= 0.5) {
        return msg('The kernel ran out of memory and its OOM killer killed the process that was sending (kernel "Out of memory: Killed process" / "oom-kill" lines).');
      }
      if (d.oomHints) {
        return msg('Gunicorn wrote "Perhaps out of memory?", but it writes that after every forced kill of a worker (SIGKILL after a timeout). No kernel OOM line proves an out-of-memory kill of the app in the window.');
      }
      if (!none) return msg('The kernel OOM killer killed another process in the window: memory was short on the host, but the app was not the one killed.');
      return msg('No kernel OOM-killer line in the window.');
    case 'python_exception':
      if (none) return msg('No unhandled Python exception in the send request in the window (other than the timeout abort).');
      return msg('An unhandled Python exception stopped the view during the send: there is no try/except around email.send() in the batch loop, so the first error ends the whole send.');
  }
}
