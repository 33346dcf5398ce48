// What the extension's activate() returns: used by the integration tests (and by other extensions, read-only).
import type * as vscode from 'vscode';
import type { Diagnosis } from '../core/model';
import type { FleetDiagnosis } from '../core/fleet/types';

/**
 * Arguments of `incidentLens.diagnose`. Every field given skips its step of the input flow: with target (or root),
 * date and time given, the four steps are skipped; with `interactive: false` too, nothing at all is asked (an unknown
 * host key, a passphrase or a sudo password would otherwise still be asked) — for tests, tasks and keybindings.
 */
export interface DiagnoseArgs {
  /** `user@host[:port]` or an ~/.ssh/config alias. */
  target?: string;
  /** Several hosts diagnosed together (overrides incidentLens.hosts for this run). */
  targets?: string[];
  /** Read a bundle collected with `incident-lens collect` (or any folder laid out like /) instead of SSH. */
  root?: string;
  /** `YYYY-MM-DD`, in the host's zone (or `timezone`). */
  date?: string;
  /** `HH:MM` or `HH:MM:SS`. */
  time?: string;
  /** Minutes before/after, e.g. `5m`, `10m`. */
  before?: string;
  after?: string;
  /** Overrides of the settings for this run. */
  identityFile?: string;
  knownHostsFile?: string;
  timezone?: string;
  /** Read this app host's logs on the central log host `target` (overrides incidentLens.central.forHost). */
  centralFor?: string;
  /**
   * false: ask nothing at all while connecting and running — an unknown host key is refused, no passphrase,
   * password or sudo password is asked (root-only sources then show "denied" with advice). Default true.
   */
  interactive?: boolean;
}

/** One node of the Log Sources tree, as the tests see it. */
export interface TreeNodeInfo {
  kind: 'verdict' | 'cause' | 'evidence' | 'impact' | 'impactLine' | 'code' | 'codeLink' | 'source' | 'group' | 'event' | 'checks' | 'recommendations' | 'recommendation' | 'message'
    | 'fleetVerdict' | 'fleetCause' | 'fleetEvidence' | 'trace' | 'host';
  label: string;
  /** Source id for source/event/evidence nodes. */
  source?: string;
}

export interface IncidentLensApi {
  /** The last finished diagnosis, if any (with several hosts: the host where the send failed). */
  readonly diagnosis: Diagnosis | undefined;
  /** The last diagnosis over several hosts (incidentLens.hosts), if that is what is shown. */
  readonly fleet?: FleetDiagnosis;
  readonly onDidChangeDiagnosis: vscode.Event<Diagnosis | undefined>;
  /** The tree's data provider (`incidentLens.sources`). */
  readonly tree: vscode.TreeDataProvider<unknown>;
  /** Describes a tree node returned by `tree.getChildren`. */
  describe(node: unknown): TreeNodeInfo;
  /** The read-only document URI of a source's excerpt (scheme `incident-log`). */
  excerptUri(sourceId: string): vscode.Uri;
  /** Follow Live, as the tests see it. */
  readonly follow: {
    readonly following: boolean;
    /** The status-bar item's text, e.g. "$(pulse) Following aquademie-prod · 2 errors". */
    readonly statusText: string | undefined;
    /** The live document (scheme `incident-lens-follow`). */
    readonly documentUri: vscode.Uri | undefined;
    readonly errors: number;
  };
}
