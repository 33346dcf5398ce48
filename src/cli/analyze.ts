// `incident-lens analyze` — placeholder until implemented.
export async function runAnalyze(_argv: string[]): Promise<number> {
  process.stderr.write('incident-lens analyze: not implemented yet\n');
  return 2;
}
