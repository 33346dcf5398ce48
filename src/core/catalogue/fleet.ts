/** The fleet's own read-only commands: a host's name, and the front's view of the names its nginx upstream block lists. */
import { assertSafe, HOST_RE, shq } from '../shell';
import { msg } from '../l10n';

/** The host's own name (`uname -n`), to match it with the front's upstream servers. */
export const HOST_NAME_COMMAND = 'uname -n';

/** Resolves upstream server names as the front does (/etc/hosts, DNS); one `ADDRESS NAME…` line per name found. */
export function resolveNamesCommand(names: string[]): string {
  if (!names.length) throw new Error('no names to resolve');
  for (const n of names) assertSafe(msg('upstream server name'), n, HOST_RE);
  return `getent hosts ${names.map(shq).join(' ')}`;
}
