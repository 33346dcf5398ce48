/** The playbook catalogue: data, one entry per runbook source or check. */
import type { Profile } from '../profile';
import type { IncidentWindow } from '../window';
import { centralHostsSource, centralSources, centralZoneSource } from './central';
import { checkSources } from './checks';
import { logSources } from './logs';
import { spanSource } from './spans';
import type { CatalogueInput, CatalogueOptions, CentralOptions, PlaybookSource, SourceDef } from './types';
import { assertSafe, PATH_RE } from '../shell';
import { InputError } from '../errors';
import { parseOutput } from '../source-run';
import { msg } from '../l10n';

export type { PlaybookSource, CatalogueOptions, CentralOptions, GatewayQuery, SourceFormat, BundleKind } from './types';
export { validateCentral, parseCentralHosts, centralHostsSource, DEFAULT_JOURNAL_DIR, DEFAULT_TREE_LAYOUT, DEFAULT_GATEWAY_PORT, TREE_ROOTS } from './central';
export type { CentralHostsListing } from './central';

/** On a central log host: the log host's zone, the hosts it holds, then the app host's sources read there. */
function centralDefs(input: CatalogueInput, c: CentralOptions): SourceDef[] {
  const tz = checkSources(input).filter((s) => s.id === 'host_tz');
  return [...tz, centralHostsSource(c), centralZoneSource(c), ...centralSources(input, c)];
}

export function catalogue(profile: Profile, window: IncidentWindow, options: CatalogueOptions = {}): PlaybookSource[] {
  const root = options.root ? options.root.replace(/\/+$/, '') : undefined;
  const input = { profile, window, options: { ...options, root } };
  if (root !== undefined) assertSafe(msg('bundle folder'), root, PATH_RE);
  // a bundle is read as the local user: no sudo
  if (root !== undefined && options.central) throw new InputError(msg('a bundle folder and a central log host cannot be read together'));
  const defs = options.central ? centralDefs(input, options.central) : [...logSources(input), ...checkSources(input), spanSource(input)];
  const all: PlaybookSource[] = defs.map((d) => {
    const s = { ...d, ...(root ? { sudo: false } : {}) } as PlaybookSource;
    s.parse = (output: string, w: IncidentWindow) => parseOutput(s, output, { window: w, requestSlackMs: 0, isSendPost: () => false });
    return s;
  });
  const order = ['host_tz', 'unit_file', 'nginx_site'];
  return all.sort((a, b) => (a.phase === b.phase ? 0 : a.phase === 'probe' ? -1 : 1) || order.indexOf(a.id) - order.indexOf(b.id));
}
