// The command line's language. Its sentences are catalogue messages (their English text is the id; other languages
// in l10n/bundle.l10n.<lang>.json), printed in English: the JSON report and the tests read that English, and no
// option picks another language yet (one would set this from it).
import type { Lang } from '../core/l10n';

export const CLI_LANG: Lang = 'en';
