/** Fleet report wording, English and French. */
import type { Lang } from './i18n';

const F = {
  title: { en: 'Incident Lens — interrupted e-mail send, several hosts', fr: "Incident Lens — envoi d'e-mails interrompu, plusieurs hôtes" },
  hosts: { en: 'Hosts', fr: 'Hôtes' },
  failedOn: { en: 'Failed on', fr: 'En échec sur' },
  trace: { en: 'The failing POST, front → upstream', fr: 'Le POST en échec, frontal → amont' },
  servedBy: { en: 'served by', fr: 'servi par' },
  notListed: { en: 'not in the host list', fr: 'absent de la liste des hôtes' },
  byAddress: { en: 'upstream address', fr: "adresse de l'amont" },
  byTime: { en: 'same moment only', fr: 'même instant seulement' },
  suggested: { en: "The front's upstream block names hosts not in the list: add them", fr: "Le bloc upstream du frontal nomme des hôtes absents de la liste : ajoutez-les" },
  host: { en: 'Host', fr: 'Hôte' },
  role: { en: 'role', fr: 'rôle' },
  skipped: { en: 'not run here (the host does not have what they read)', fr: "non lancées ici (l'hôte n'a pas ce qu'elles lisent)" },
  notReached: { en: 'not diagnosed', fr: 'non diagnostiqué' },
} as const;

export function ftr(k: keyof typeof F, lang: Lang): string {
  return F[k][lang];
}
