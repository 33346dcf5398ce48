// `incident-lens diagnose` — placeholder until implemented.
export async function runDiagnose(_argv: string[]): Promise<number> {
  process.stderr.write('incident-lens diagnose: not implemented yet\n');
  return 2;
}
