/** Report wording, English and French. */
export type Lang = 'en' | 'fr';

const T = {
  title: { en: 'Incident Lens — interrupted e-mail send', fr: "Incident Lens — envoi d'e-mails interrompu" },
  window: { en: 'Window', fr: 'Fenêtre' },
  target: { en: 'Target', fr: 'Cible' },
  verdict: { en: 'Verdict', fr: 'Verdict' },
  none: { en: 'none — nothing in the window explains an interrupted send', fr: "aucun — rien dans la fenêtre n'explique un envoi interrompu" },
  evidence: { en: 'Evidence', fr: 'Preuves' },
  causes: { en: 'Causes', fr: 'Causes' },
  confidence: { en: 'confidence', fr: 'confiance' },
  impact: { en: 'Impact', fr: 'Impact' },
  estimate: { en: 'estimate', fr: 'estimation' },
  exact: { en: 'from progress logs', fr: 'd’après les logs de progression' },
  sources: { en: 'Sources', fr: 'Sources' },
  command: { en: 'Command run', fr: 'Commande exécutée' },
  runbook: { en: 'Runbook command', fr: 'Commande du runbook' },
  status: { en: 'Status', fr: 'Statut' },
  excerpt: { en: 'Excerpt', fr: 'Extrait' },
  recommendations: { en: 'Recommendations', fr: 'Recommandations' },
  runbookStep: { en: 'runbook step', fr: 'étape du runbook' },
  code: { en: 'Code', fr: 'Code' },
  requestStart: { en: 'Request start', fr: 'Début de la requête' },
  requestEnd: { en: 'Request end', fr: 'Fin de la requête' },
  elapsed: { en: 'Elapsed', fr: 'Durée' },
  batchesSent: { en: 'Batches sent', fr: 'Lots envoyés' },
  recipientsSent: { en: 'Recipients sent', fr: 'Destinataires atteints' },
  recipientsUnsent: { en: 'Recipients not sent', fr: 'Destinataires non atteints' },
  noEvents: { en: '(no line in the window)', fr: '(aucune ligne dans la fenêtre)' },
  duration: { en: 'Diagnosis took', fr: 'Diagnostic effectué en' },
  unread: { en: 'Not read', fr: 'Non lues' },
  unreadNote: {
    en: 'the verdict only weighs what could be read: fix their access (see each source) and run again',
    fr: 'le verdict ne pèse que ce qui a pu être lu : corrigez leur accès (voir chaque source) et relancez',
  },
} as const;

export type Key = keyof typeof T;
export function tr(k: Key, lang: Lang): string {
  return T[k][lang];
}
