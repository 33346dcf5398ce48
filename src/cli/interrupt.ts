/**
 * SIGINT, SIGTERM and SIGHUP: the commands in flight are cancelled, the SSH connections closed (the
 * host-side watchdog of every command then ends it), and the CLI exits 128 + the signal's number.
 * A second signal exits at once.
 */
const SIGNALS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

const controller = new AbortController();
let exitCode: number | undefined;

/** 128 + the signal's number once interrupted (the signal handler exits with it), else undefined. */
export function interruptedExit(): number | undefined {
  return exitCode;
}
const closers = new Set<() => Promise<void>>();

/** Aborted when the CLI is interrupted: pass it to the engine. */
export const interruptSignal: AbortSignal = controller.signal;

/** Registers something to close on interrupt (an SSH runner); returns the function that unregisters it. */
export function onInterrupt(close: () => Promise<void>): () => void {
  closers.add(close);
  return () => closers.delete(close);
}

export function installSignalHandlers(message: (signal: string) => string): void {
  for (const [name, num] of Object.entries(SIGNALS)) {
    process.on(name as NodeJS.Signals, () => {
      // a command with its own handling of this signal (follow: Ctrl+C ends it normally) decides
      if (process.listenerCount(name) > 1) return;
      const code = 128 + num;
      if (controller.signal.aborted) process.exit(code);
      exitCode = code;
      controller.abort();
      process.stderr.write(message(name) + '\n');
      const closing = Promise.allSettled([...closers].map((c) => c()));
      const bound = new Promise((r) => setTimeout(r, 3000).unref());
      void Promise.race([closing, bound]).then(() => process.exit(code));
    });
  }
}
