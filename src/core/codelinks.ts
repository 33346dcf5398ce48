/** Traceback frames inside the app folder → links into the project's code. */
import type { CodeLink, LogEvent } from './model';
import { eventFrames } from './parse/interpret';
import { LIBRARY_PATH } from './parse/traceback';
import type { Profile } from './profile';

export function codeLinks(events: LogEvent[], profile: Profile): CodeLink[] {
  const root = profile.appDir.replace(/\/+$/, '') + '/';
  const out: CodeLink[] = [];
  const seen = new Set<string>();
  for (const e of events) {
    if (e.kind !== 'traceback') continue;
    for (const f of eventFrames(e)) {
      if (!f.file.startsWith(root) || LIBRARY_PATH.test(f.file.slice(root.length - 1))) continue;
      const file = f.file.slice(root.length);
      const k = `${file}:${f.line}`;
      if (seen.has(k)) continue;
      seen.add(k);
      out.push({ file, line: f.line, ...(f.function ? { function: f.function } : {}), source: e.source });
    }
  }
  return out;
}
