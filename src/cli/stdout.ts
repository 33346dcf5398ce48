/**
 * Writing to stdout so that pipes get everything: the exit waits until the text reached the pipe
 * (a slow reader included), and a reader that stops early (`| head`) ends the CLI quietly.
 */

import { closeSync, openSync, writeSync } from 'node:fs';

/** Exit status when the reader of stdout went away (EPIPE): quiet success, like other Unix filters. */
export const EXIT_READER_GONE = 0;

let installed = false;

/** Makes EPIPE on stdout a quiet exit instead of an uncaught error. */
export function quietOnEpipe(): void {
  if (installed) return;
  installed = true;
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(EXIT_READER_GONE);
    throw e;
  });
}

/** Resolves once everything written to stdout and stderr so far has been handed to the OS. */
export function drained(): Promise<void> {
  const flush = (s: NodeJS.WriteStream) => new Promise<void>((resolve) => (s.writableLength ? s.write('', () => resolve()) : resolve()));
  return Promise.all([flush(process.stdout), flush(process.stderr)]).then(() => undefined);
}

/** Writes text given in chunks to a file, or to stdout waiting for the reader between chunks (memory stays flat). */
export async function writeChunks(chunks: Iterable<string>, path?: string): Promise<void> {
  if (path) {
    const fd = openSync(path, 'w');
    try {
      for (const c of chunks) writeSync(fd, c);
    } finally {
      closeSync(fd);
    }
    return;
  }
  for (const c of chunks) if (!process.stdout.write(c)) await new Promise((resolve) => process.stdout.once('drain', resolve));
}
