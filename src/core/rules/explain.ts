/** Plain-words explanations of each cause, in English and French. */
import type { CauseId } from '../model';
import type { RuleContext } from './context';

type Data = Record<string, string | number | undefined>;

export function explain(id: CauseId, confidence: number, c: RuleContext, d: Data): { en: string; fr: string } {
  const none = confidence < 0.2;
  const gt = d.gunicornTimeout;
  const pt = d.proxyReadTimeout;
  switch (id) {
    case 'http_timeout':
      if (none) return { en: 'No worker timeout, upstream timeout or over-long send request in the window.', fr: "Aucun dépassement de délai (worker gunicorn, upstream nginx) ni requête d'envoi trop longue dans la fenêtre." };
      if (typeof gt === 'number' && typeof pt === 'number' && pt < gt && d.upstreamTimeouts) {
        return {
          en: `The send ran inside the web request. nginx stopped waiting after ${pt} s (proxy_read_timeout) and answered 504, while gunicorn allows ${gt} s: the worker may have gone on sending after the user saw the error, until it finished or gunicorn killed it. Move bulk sends out of the request.`,
          fr: `L'envoi tournait dans la requête web. nginx a cessé d'attendre après ${pt} s (proxy_read_timeout) et a répondu 504, alors que gunicorn accorde ${gt} s : le worker a pu continuer d'envoyer après l'erreur affichée, jusqu'à la fin ou jusqu'au timeout gunicorn. Sortir les envois de masse de la requête.`,
        };
      }
      return {
        en: `The send ran inside the web request. Gunicorn kills a worker that handles one request for longer than its timeout (${gt} s here; nginx waits ${pt} s), so the loop of batches stopped when the request hit that limit. Gunicorn's "Perhaps out of memory?" after a WORKER TIMEOUT is only its SIGKILL escalation, not an OOM kill.`,
        fr: `L'envoi tournait dans la requête web. Gunicorn tue un worker qui traite une requête plus longtemps que son timeout (${gt} s ici ; nginx attend ${pt} s) : la boucle des lots s'est arrêtée quand la requête a atteint cette limite. Le « Perhaps out of memory? » de gunicorn après un WORKER TIMEOUT n'est que l'escalade en SIGKILL, pas un OOM.`,
      };
    case 'smtp_rate_limit':
      if (none) return { en: 'No SMTP reply refusing mail for sending too much (421/450/451/452/554 with rate or quota wording) in the window.', fr: "Aucune réponse SMTP de refus pour envoi trop fréquent (421/450/451/452/554 avec mention de limite ou de quota) dans la fenêtre." };
      return {
        en: `The SMTP server (${c.profile.smtpHost}) refused messages because too many were sent too fast (rate or quota limit). The exception was not caught in the batch loop, so the send stopped there.`,
        fr: `Le serveur SMTP (${c.profile.smtpHost}) a refusé des messages parce que trop ont été envoyés trop vite (limite de débit ou quota). L'exception n'était pas gérée dans la boucle des lots : l'envoi s'est arrêté là.`,
      };
    case 'smtp_connection_error':
      if (none) return { en: 'No failure to connect to, or lost connection with, the SMTP server in the window.', fr: 'Aucun échec de connexion au serveur SMTP, ni connexion perdue, dans la fenêtre.' };
      return {
        en: `The app could not connect to, or lost its connection with, the SMTP server (${c.profile.smtpHost}:${c.profile.smtpPort}): refused, timed out, TLS/SSL error or disconnected. The exception was not caught in the batch loop, so the send stopped there.`,
        fr: `L'application n'a pas pu se connecter au serveur SMTP (${c.profile.smtpHost}:${c.profile.smtpPort}) ou a perdu la connexion : refus, délai dépassé, erreur TLS/SSL ou déconnexion. L'exception n'était pas gérée dans la boucle : l'envoi s'est arrêté là.`,
      };
    case 'oom_kill':
      if (confidence >= 0.5) {
        return {
          en: 'The kernel ran out of memory and its OOM killer killed the process that was sending (kernel "Out of memory: Killed process" / "oom-kill" lines).',
          fr: 'Le noyau a manqué de mémoire et son OOM killer a tué le processus qui envoyait (lignes noyau « Out of memory: Killed process » / « oom-kill »).',
        };
      }
      if (d.oomHints) {
        return {
          en: 'Gunicorn wrote "Perhaps out of memory?", but it writes that after every forced kill of a worker (SIGKILL after a timeout). No kernel OOM line proves an out-of-memory kill of the app in the window.',
          fr: "Gunicorn a écrit « Perhaps out of memory? », mais il l'écrit après chaque worker tué de force (SIGKILL après un timeout). Aucune ligne du noyau ne prouve un OOM de l'application dans la fenêtre.",
        };
      }
      if (!none) return { en: 'The kernel OOM killer killed another process in the window: memory was short on the host, but the app was not the one killed.', fr: "L'OOM killer du noyau a tué un autre processus dans la fenêtre : la mémoire manquait, mais ce n'est pas l'application qui a été tuée." };
      return { en: 'No kernel OOM-killer line in the window.', fr: "Aucune ligne de l'OOM killer du noyau dans la fenêtre." };
    case 'python_exception':
      if (none) return { en: 'No unhandled Python exception in the send request in the window (other than the timeout abort).', fr: "Aucune exception Python non gérée dans la requête d'envoi dans la fenêtre (hors arrêt sur timeout)." };
      return {
        en: 'An unhandled Python exception stopped the view during the send: there is no try/except around email.send() in the batch loop, so the first error ends the whole send.',
        fr: "Une exception Python non gérée a arrêté la vue pendant l'envoi : il n'y a pas de try/except autour de email.send() dans la boucle, la première erreur arrête tout l'envoi.",
      };
  }
}
