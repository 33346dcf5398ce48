/** The cancel signal the commands of a run listen to. */
import { setMaxListeners } from 'node:events';

/**
 * A controller aborted with `outer` (one listener on it), whose signal every command in flight listens to: a
 * diagnosis runs ~20 commands at once, a fleet hosts × that, each with its own listener while it runs — not a leak,
 * and Node's warning past 10 listeners would reach the user's terminal. `done()` takes the listener off `outer`.
 */
export function followed(outer?: AbortSignal): { ctl: AbortController; done: () => void } {
  const ctl = new AbortController();
  setMaxListeners(0, ctl.signal);
  if (!outer) return { ctl, done: () => undefined };
  const onAbort = () => ctl.abort();
  if (outer.aborted) ctl.abort();
  else outer.addEventListener('abort', onAbort, { once: true });
  return { ctl, done: () => outer.removeEventListener('abort', onAbort) };
}
