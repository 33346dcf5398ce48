// The error classes both the extension bundle and its lazily loaded engine throw and test with `instanceof`:
// one copy (dist/base.js, see scripts/build.mjs), so an error from either side is recognised by the other.
export { RunnerError } from '../core/exec';
export { InputError } from '../core/errors';
