// `incident-lens collect` — placeholder until implemented.
export async function runCollect(_argv: string[]): Promise<number> {
  process.stderr.write('incident-lens collect: not implemented yet\n');
  return 2;
}
