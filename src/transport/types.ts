/** Public option and prompt types of the SSH transport. */

export interface Prompts {
  /** Unknown host: show the SHA256 fingerprint; only `true` may append it to known_hosts. */
  confirmHostKey(info: { host: string; port: number; keyType: string; fingerprint: string; knownHostsFile: string }): Promise<boolean>;
  passphrase?(keyFile: string): Promise<string | undefined>;
  password?(userAtHost: string): Promise<string | undefined>;
  keyboardInteractive?(name: string, instructions: string, prompts: { prompt: string; echo: boolean }[]): Promise<string[] | undefined>;
  sudoPassword?(userAtHost: string): Promise<string | undefined>;
}

export interface SshConnectOptions {
  /** "user@host[:port]" or an ~/.ssh/config alias. */
  target: string;
  /** Overrides ssh -G's IdentityFile. */
  identityFile?: string;
  /** Overrides ssh -G's UserKnownHostsFile/GlobalKnownHostsFile (the first gets accepted keys). */
  knownHostsFiles?: string[];
  /** Absent = non-interactive: unknown host refused, no password asked. */
  prompts?: Prompts;
  /** Never receives a secret. */
  log?: (line: string) => void;
  /** Covers TCP + handshake + authentication (time spent in prompts excluded). Default 10000. */
  connectTimeoutMs?: number;
  /** Default 15000. */
  keepaliveIntervalMs?: number;
  /** Default per command when RunOptions.timeoutMs is absent. */
  commandTimeoutMs?: number;
  /** Upper bound on parallel channels; default 10, shrinks on "open failed". */
  maxChannels?: number;
  /** For tests: ssh -F FILE. */
  sshConfigFile?: string;
  /** Default: true when SSH_AUTH_SOCK is set. */
  useAgent?: boolean;
}
