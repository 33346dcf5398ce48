// The diagnosis engine as the extension loads it on first use (dist/engine.js, see scripts/build.mjs): the
// playbook runs (one host, a fleet, a re-run, Follow Live) and the transports with ssh2. Activation never loads it;
// src/ui/engine.ts requires it when the first command needs it.
export { checkRequest, diagnose, rerunInDiagnosis } from '../core/diagnose';
export { diagnoseFleet } from '../core/fleet/run';
export { diagnoseCentral } from '../core/central-run';
export { followDiagnosis } from '../core/follow/diagnosis';
export { startFollow } from '../core/follow/start';
export { connectSsh, LocalRunner } from '../transport/index';
