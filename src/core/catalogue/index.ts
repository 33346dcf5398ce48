/** The playbook catalogue: data, one entry per runbook source or check. */
import type { Profile } from '../profile';
import type { IncidentWindow } from '../window';
import { checkSources } from './checks';
import { logSources } from './logs';
import { spanSource } from './spans';
import type { CatalogueOptions, PlaybookSource } from './types';
import { assertSafe, PATH_RE } from '../shell';
import { parseOutput } from '../source-run';

export type { PlaybookSource, CatalogueOptions, SourceFormat, BundleKind } from './types';

export function catalogue(profile: Profile, window: IncidentWindow, options: CatalogueOptions = {}): PlaybookSource[] {
  const root = options.root ? options.root.replace(/\/+$/, '') : undefined;
  const input = { profile, window, options: { ...options, root } };
  if (root !== undefined) assertSafe('bundle folder', root, PATH_RE);
  // a bundle is read as the local user: no sudo
  const all: PlaybookSource[] = [...logSources(input), ...checkSources(input), spanSource(input)].map((d) => {
    const s = { ...d, ...(root ? { sudo: false } : {}) } as PlaybookSource;
    s.parse = (output: string, w: IncidentWindow) => parseOutput(s, output, { window: w, requestSlackMs: 0, isSendPost: () => false });
    return s;
  });
  const order = ['host_tz', 'unit_file', 'nginx_site'];
  return all.sort((a, b) => (a.phase === b.phase ? 0 : a.phase === 'probe' ? -1 : 1) || order.indexOf(a.id) - order.indexOf(b.id));
}
