/** Files for the window reader's unit tests (run by the local perl): a temporary folder, and a block-boundary log. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Runs `fn` with a new temporary folder, removed afterwards. */
export function inTempDir(prefix: string, fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  try {
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Lines 1..1200 of `line(i)`, each cut or padded with `~` to exactly 128 bytes (ASCII lines), and after line 512 a
 * continuation line: the reader's first block from the file's start is its first 512 lines (65,536 bytes), so the
 * continuation opens the second block and must follow line 512's keep.
 */
export function continuationAtBlockStart(line: (i: number) => string): string {
  const sized = (l: string) => l.slice(0, 127).padEnd(127, '~') + '\n';
  let text = '';
  for (let i = 1; i <= 512; i++) text += sized(line(i));
  text += sized('  continuation of line 512, which did not travel');
  for (let i = 513; i <= 1200; i++) text += sized(line(i));
  return text;
}
