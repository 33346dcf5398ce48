/** The repository's own files, for the unit tests that read sources and catalogue files. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..', '..');
export const read = (f: string): string => readFileSync(join(ROOT, f), 'utf8');
/** A message's placeholders ({0}, {1}…), sorted: the same set must appear in every translation. */
export const placeholders = (s: string): string[] => [...s.matchAll(/\{\d+\}/g)].map((m) => m[0]).sort();

/** Every .ts file under `dir` (repository-relative paths). */
export function tsFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((n) => {
    const rel = `${dir}/${n}`;
    return statSync(join(ROOT, rel)).isDirectory() ? tsFiles(rel) : n.endsWith('.ts') ? [rel] : [];
  });
}
