// incident-lens command line: dispatches to the subcommands.
const USAGE = `usage: incident-lens <diagnose|collect|analyze|fix> [options]   (incident-lens help)`;

async function main(argv: string[]): Promise<number> {
  const [cmd] = argv;
  switch (cmd) {
    default:
      process.stderr.write(USAGE + '\n');
      return cmd === 'help' || cmd === '--help' ? 0 : 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`incident-lens: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
