// Run in Terminal's command line (pure: tested against the real sshd under plain node).
import type { SourceResult } from '../core/model';
import { shq } from '../core/shell';

/** What the user would type to run this source by hand: with sudo when the diagnosis needed root for it. */
export function terminalCommand(source: Pick<SourceResult, 'sudo' | 'command'>): string {
  return source.sudo ? `sudo sh -c ${shq(source.command)}` : source.command;
}

/** A remote command that shows `command` pre-filled at a `$ ` prompt (bash readline) and runs it on Enter. */
export function prefilled(command: string): string {
  const script = 'read -r -e -i "$1" -p "$ " c && { history -s "$c"; eval "$c"; }; exec "${SHELL:-/bin/bash}" -l';
  return `exec bash -c ${shq(script)} incident-lens ${shq(command)}`;
}
