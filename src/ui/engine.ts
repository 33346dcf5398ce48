// The engine (src/lazy/engine.ts: diagnosis, fleet, follow, SSH with ssh2) is required on its first use, not at
// activation: the built extension requires dist/engine.js beside it (scripts/build.mjs), tsx the source.
import type * as Engine from '../lazy/engine';

let loaded: typeof Engine | undefined;

/** The engine's API, loaded the first time a command needs it. */
export function engine(): typeof Engine {
  loaded ??= require('../lazy/engine') as typeof Engine;
  return loaded;
}
