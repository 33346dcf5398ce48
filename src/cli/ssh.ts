/** Opens the SSH runner for --host/--ssh (src/transport). Host keys checked against known_hosts first. */
import type { CommandRunner } from '../core/index';
import { RunnerError } from '../core/index';
import type { CliOptions } from './args';

export async function openSsh(o: CliOptions, _progress: (line: string) => void): Promise<CommandRunner> {
  throw new RunnerError('BAD_TARGET', `SSH transport not available in this build (target ${o.host ?? o.ssh})`);
}
