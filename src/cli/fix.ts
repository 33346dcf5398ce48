// `incident-lens fix` — placeholder until implemented.
export async function runFix(_argv: string[]): Promise<number> {
  process.stderr.write('incident-lens fix: not implemented yet\n');
  return 2;
}
