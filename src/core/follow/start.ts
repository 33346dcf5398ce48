/** Starts a follow: the diagnosis's probes (host zone, unit file, nginx site), then the picked follow commands. */
import { followSources, HOSTNAME_COMMAND, pickFollowSources } from '../catalogue/follow';
import { HOST_RE } from '../shell';
import { prepare } from '../diagnose';
import { InputError } from '../errors';
import type { CommandRunner } from '../exec';
import type { Profile } from '../profile';
import { checkZone } from '../time';
import { FollowSession } from './session';
import { msg } from '../l10n';

export interface StartFollowRequest {
  profile: Profile;
  /** Source ids to follow; absent or empty = the default set. Unknown ids are refused. */
  sources?: string[];
  /** Absent = the host's own zone (probed). */
  tz?: string;
  capacity?: number;
  signal?: AbortSignal;
  log?: (line: string) => void;
}

/** Probes the host, checks the request, and returns a session that is not started yet (attach listeners, then start()). */
export async function startFollow(runner: CommandRunner, req: StartFollowRequest): Promise<FollowSession> {
  const all = followSources(req.profile);
  const unknown = (req.sources ?? []).filter((id) => !all.some((s) => s.id === id));
  if (unknown.length) throw new InputError(msg('unknown follow source {0} (known: {1})', unknown.map((u) => JSON.stringify(u)).join(', '), all.map((s) => s.id).join(', ')));
  if (req.tz !== undefined) checkZone(req.tz);
  const now = Date.now();
  const prep = await prepare(runner, { profile: req.profile, window: { since: new Date(now - 60_000), until: new Date(now), tz: req.tz ?? 'UTC' } }, { signal: req.signal });
  const tz = req.tz ?? prep.facts.tz ?? 'UTC';
  // the unit file may name another gunicorn log or app folder: follow what the diagnosis would read
  const sources = pickFollowSources(followSources(prep.profile), req.sources);
  const hostName = await runner
    .run(HOSTNAME_COMMAND, { timeoutMs: 5000, maxBytes: 4096, signal: req.signal })
    .then((r) => r.stdout.trim().split('\n')[0])
    .catch(() => undefined);
  return new FollowSession({ runner, sources, profile: prep.profile, facts: prep.facts, tz, capacity: req.capacity, log: req.log, ...(hostName && HOST_RE.test(hostName) ? { hostName } : {}) });
}
