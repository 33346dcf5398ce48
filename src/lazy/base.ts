// What the extension bundle and its lazily loaded engine must share as ONE copy (dist/base.js, see
// scripts/build.mjs): the error classes both throw and test with `instanceof`, and the catalogue, whose state (the
// catalogue folder and the bundles loaded from it) the UI and the engine share.
export { RunnerError } from '../core/exec';
export { InputError } from '../core/errors';
export * from '../core/l10n';
