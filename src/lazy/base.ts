// What the extension bundle and its lazily loaded engine must share as ONE copy (dist/base.js, see
// scripts/build.mjs): the error classes both throw and test with `instanceof`, and the catalogue, whose tx() records
// (in this module's state) the templates of the engine's English errors that the UI's translateText turns back into
// the display language.
export { RunnerError } from '../core/exec';
export { InputError } from '../core/errors';
export * from '../core/l10n';
