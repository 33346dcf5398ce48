/** What a follow command's stderr line means: tail -F's file messages, journalctl's, permission errors. */
import { msg, type Localized } from '../l10n';
import type { FollowNotice, FollowStatus } from './types';

export interface StderrMeaning {
  status?: FollowStatus;
  notice?: FollowNotice['kind'];
  message: Localized;
}

export function stderrMeaning(line: string): StderrMeaning | undefined {
  const l = line.trim();
  if (!l) return undefined;
  if (/has been replaced;\s+following new file|file truncated/.test(l)) return { notice: 'rotated', message: msg('log rotated, following the new file') };
  if (/has (appeared|become accessible);\s+following new file|has become accessible/.test(l)) return { status: 'following', notice: 'rotated', message: msg('the log appeared, following it') };
  if (/Permission denied|Operation not permitted|Access denied/i.test(l)) return { status: 'denied', notice: 'denied', message: msg('permission denied ({0})', l.slice(0, 200)) };
  if (/No such file or directory|cannot open|has become inaccessible|No journal files were found/i.test(l)) {
    return { status: 'waiting', notice: 'waiting', message: msg('waiting: the log does not exist (yet) on the host ({0})', l.slice(0, 200)) };
  }
  return undefined;
}
