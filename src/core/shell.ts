/** Shell quoting for the catalogue's commands (src/core may not import src/transport). */
import { InputError } from './errors';
import { msg, type Arg } from './l10n';

/** POSIX single-quote quoting: the result is always one literal word. */
export function shq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Characters that never appear in a unit name, a path or a URL path we accept. */
const META = /[;&|`$<>(){}\\!*?[\]"'\s#~\n\r\t\0]/;

export function assertSafe(what: Arg, value: string, pattern: RegExp): string {
  if (typeof value !== 'string' || value.length === 0) throw new InputError(msg('{0} is empty', what));
  if (value.length > 512) throw new InputError(msg('{0} is too long', what));
  if (META.test(value.replace(/\*/g, '')) || !pattern.test(value)) {
    throw new InputError(msg('{0} {1} contains characters that are not allowed (shell metacharacters, spaces or quotes)', what, JSON.stringify(value)));
  }
  return value;
}

export const UNIT_RE = /^[A-Za-z0-9:_.@-]+$/;
export const PATH_RE = /^\/[A-Za-z0-9._/@+-]*$/;
/** A path that may contain `*` in its last component (log globs). */
export const GLOB_RE = /^\/[A-Za-z0-9._/@+-]*\/[A-Za-z0-9._@+*-]+$/;
export const URLPATH_RE = /^\/[A-Za-z0-9._/~%@+-]*$/;
export const HOST_RE = /^[A-Za-z0-9.-]+$/;
