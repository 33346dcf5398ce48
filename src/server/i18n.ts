// Lens, diagnostic and code action titles in English and French (locale from InitializeParams.locale).
import type { EvidenceSummary } from './evidence';

export type Lang = 'en' | 'fr';

export function langOf(locale: string | undefined): Lang {
  return locale?.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

const T = {
  en: {
    diagnose: 'Incident Lens: diagnose mail incident',
    noEvidence: 'Incident Lens: no evidence for this send in the last diagnosis · diagnose again',
    fixLens: 'Fix: survive a failed batch (try/except)',
    fixTitles: {
      'background-task': 'Fix: Move the send out of the request (background job)',
      'rate-limit': 'Fix: retry refused batches after a pause (SMTP rate limit)',
      reconnect: 'Fix: reconnect and retry the batch (SMTP connection)',
      'try-except': 'Fix: survive a failed batch (try/except)',
      progress: 'Fix: log one progress line per batch',
      logging: 'Fix: add LOGGING to settings.py',
    } as Record<string, string>,
    fixBackground: 'Move the send out of the request: the view queues a background job and answers at once (preview)',
    fixRateLimit: 'Retry a batch refused with a 4xx after a growing pause; batch size and pauses from settings',
    fixReconnect: 'Reconnect and retry the batch on an SMTP connection error (one connection reused)',
    unprotected: (details: string) => `E-mail send inside a batch loop${details} with no exception handling: one SMTP error (e.g. 450 rate limit) stops every following batch.`,
    silent: 'fail_silently=True hides every SMTP error: failed batches leave no trace in the logs.',
    fixTry: 'Wrap the send in try/except: log the failed batch and continue with the next one',
    fixLogging: 'Add a LOGGING configuration to settings.py (console + rotating file in logs/)',
    fixProgress: 'Log one progress line per batch ("batch k/n sent to m recipients")',
    batchOf: (n: string) => ` (batches of ${n}`,
    pause: (p: string) => `, pause ${p}s`,
  },
  fr: {
    diagnose: "Incident Lens : diagnostiquer l'incident d'envoi",
    noEvidence: 'Incident Lens : aucune preuve pour cet envoi dans le dernier diagnostic · relancer',
    fixLens: 'Corriger : survivre à un lot en échec (try/except)',
    fixTitles: {
      'background-task': "Corriger : sortir l'envoi de la requête (tâche de fond)",
      'rate-limit': 'Corriger : réessayer les lots refusés après une pause (limite SMTP)',
      reconnect: 'Corriger : se reconnecter et réessayer le lot (connexion SMTP)',
      'try-except': 'Corriger : survivre à un lot en échec (try/except)',
      progress: 'Corriger : une ligne de progression par lot',
      logging: 'Corriger : ajouter LOGGING à settings.py',
    } as Record<string, string>,
    fixBackground: "Sortir l'envoi de la requête : la vue met une tâche de fond en file et répond aussitôt (aperçu)",
    fixRateLimit: 'Réessayer un lot refusé (4xx) après une pause croissante ; taille des lots et pauses lues dans settings',
    fixReconnect: 'Se reconnecter et réessayer le lot sur erreur de connexion SMTP (une connexion réutilisée)',
    unprotected: (details: string) => `Envoi d'e-mails dans une boucle par lots${details} sans gestion d'exception : une erreur SMTP (ex. limite 450) arrête tous les lots suivants.`,
    silent: "fail_silently=True masque toutes les erreurs SMTP : les lots en échec ne laissent aucune trace dans les journaux.",
    fixTry: "Entourer l'envoi d'un try/except : journaliser le lot en échec et passer au suivant",
    fixLogging: 'Ajouter une configuration LOGGING à settings.py (console + fichier tournant dans logs/)',
    fixProgress: 'Journaliser une ligne de progression par lot ("batch k/n sent to m recipients")',
    batchOf: (n: string) => ` (lots de ${n}`,
    pause: (p: string) => `, pause ${p} s`,
  },
};

export function t(lang: Lang): (typeof T)['en'] {
  return T[lang];
}

/** "2 SMTP errors · worker timeout 22:20:02" / "2 erreurs SMTP · timeout du worker 22:20:02". */
export function evidenceTitle(s: EvidenceSummary, lang: Lang): string | undefined {
  const fr = lang === 'fr';
  const parts: string[] = [];
  if (s.smtpErrors) parts.push(fr ? `${s.smtpErrors} erreur${s.smtpErrors > 1 ? 's' : ''} SMTP` : `${s.smtpErrors} SMTP error${s.smtpErrors > 1 ? 's' : ''}`);
  if (s.tracebacks) parts.push(fr ? `${s.tracebacks} traceback${s.tracebacks > 1 ? 's' : ''}` : `${s.tracebacks} traceback${s.tracebacks > 1 ? 's' : ''}`);
  if (s.workerTimeout) parts.push(fr ? `timeout du worker ${s.workerTimeout}` : `worker timeout ${s.workerTimeout}`);
  if (s.oomKill) parts.push(fr ? `tué par l'OOM killer ${s.oomKill}` : `OOM kill ${s.oomKill}`);
  else if (s.workerKilled && !s.workerTimeout) parts.push(fr ? `worker tué ${s.workerKilled}` : `worker killed ${s.workerKilled}`);
  const http = s.httpErrors[0];
  if (http) parts.push(`HTTP ${http.status} ${http.time}`);
  if (s.progress) parts.push(fr ? `dernier lot ${s.progress}` : `last batch ${s.progress}`);
  return parts.length ? parts.join(' · ') : undefined;
}
