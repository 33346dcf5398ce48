// Several app hosts read on a central log host (incidentLens.central.forHost = "*" or several names): one SSH
// connection to the log host, the hosts it holds listed (or the ones named), one diagnosis per host read there, merged
// and shown as a fleet — the verdict naming the host, one tree level per host, a timeline lane per host, a report
// section per host — as when the app hosts themselves are diagnosed (incidentLens.hosts).
import type { CentralRunOptions } from '../core/central-run';
import type { FleetDiagnosis } from '../core/fleet/types';
import { engine } from './engine';
import type { Ctx } from '../ctx';
import { hostOpener, type FleetRunInput } from './fleetCommand';
import { raceAbort, stageText } from './runHelpers';
import { uiLang } from './settings';
import type { DiagnosisStore } from './store';
import { sourceLabel } from './tree/items';
import { statusText } from './tree/labels';
import { joined } from '../core/l10n';

export interface CentralFleetInput extends Omit<FleetRunInput, 'targets'> {
  /** The central log host. */
  target: string;
  /** App hosts to read; undefined = every host the store holds. */
  forHosts: string[] | undefined;
  options: CentralRunOptions;
}

export async function runCentralFleetDiagnosis(ctx: Ctx, store: DiagnosisStore, i: CentralFleetInput): Promise<FleetDiagnosis> {
  const opener = hostOpener(ctx, i);
  const opening = opener.open(i.target);
  // cancelled while connecting: the connection that still opens is closed, not left behind
  const runner = await raceAbort(opening, i.signal).catch((e: unknown) => {
    void opening.then((r) => r.close(), () => undefined);
    throw e;
  });
  let host = '';
  try {
    const r = await engine().diagnoseCentral(runner, i.target, { ...i.options, ...(i.forHosts ? { forHosts: i.forHosts } : {}) }, i.req, {
      signal: i.signal,
      lang: uiLang(),
      maxParallel: i.settings.maxParallel,
      onHostStart: (h) => (host = h),
      onStage: (m, info) => {
        const text = host ? `${host}: ${stageText(m, info)}` : stageText(m, info);
        i.report(text);
        if (i.current()) store.stage(text, info?.id === 'run' ? info.tz : undefined);
      },
      onSource: (r) => {
        i.report(`${host}: ${sourceLabel(r)}: ${statusText(r.status)}`);
        if (i.current()) store.source({ ...r, label: joined(' · ', [host, r.label]) });
      },
    });
    await opener.commit();
    ctx.log.info(`central log host ${i.target}: ${r.hosts.map((h) => `${h.host} ${h.verdict}`).join(', ')}`);
    // a store listing one host still gives a fleet (present); named hosts always number two or more here
    return r.fleet!;
  } finally {
    void runner.close();
  }
}
