/** A diagnosis over several hosts: each host's own diagnosis, and what follows from reading them together. JSON data. */
import type { CauseAssessment, Diagnosis, Impact, Verdict } from '../model';
import type { Localized } from '../l10n';

/** What a host runs, from its probes: nginx (the front), the app's unit (an app host), both, or neither. */
export type HostRole = 'front' | 'app' | 'front+app' | 'other';

/** 'ok' = diagnosed; otherwise the host could not be reached or read, and the others still complete. */
export type FleetHostStatus = 'ok' | 'unreachable' | 'auth_failed' | 'error' | 'cancelled';

export interface FleetHost {
  /** As the user gave it: `user@host[:port]` or an ~/.ssh/config alias. */
  name: string;
  /** The connection (runner.describe()), when connected. */
  target?: string;
  /** The host's own name (`uname -n`). */
  hostname?: string;
  role: HostRole;
  status: FleetHostStatus;
  /** The runner's error code (UNREACHABLE, AUTH_FAILED, CONNECT_TIMEOUT…) when status is not ok. */
  code?: string;
  /**
   * Why the host was not diagnosed and what to do, as catalogue messages rendered where they are shown; the JSON
   * writes each as its English text (`error`, `advice`) beside the message (`errorText`, `adviceText`).
   */
  errorText?: Localized;
  adviceText?: Localized;
  /** Catalogue sources not run here because the host does not have what they read (nginx, the unit). */
  skippedSources?: string[];
  /** The front's view of its upstream servers' names: name → addresses. */
  resolved?: Record<string, string[]>;
  diagnosis?: Diagnosis;
}

export interface FleetEvidence {
  host: string;
  source: string;
  line: string;
  time?: string;
  lineNo?: number;
}

/** One failing POST of the send screen, followed from the front's logs to the app host that served it. */
export interface PostTrace {
  /** The front (fleet host name) whose access log holds the failure. */
  front: string;
  time: string;
  status: number;
  accessLine: string;
  /** The front's error-log line for the same request, naming the upstream. */
  errorLine?: string;
  /** `ip:port` (or `name:port`) of the upstream that served the POST. */
  upstream?: string;
  /** The `server` of the nginx upstream block that address is. */
  upstreamServer?: string;
  /** The fleet host that served the POST; absent when it is not in the list (see suggestedHosts). */
  host?: string;
  /** How the host was found: its address or name matches the upstream, or only its failure at the same moment. */
  how?: 'address' | 'time';
}

export interface FleetCause extends Omit<CauseAssessment, 'evidence'> {
  host: string;
  evidence: FleetEvidence[];
}

export interface FleetDiagnosis {
  fleet: true;
  window: Diagnosis['window'];
  hosts: FleetHost[];
  verdict: Verdict;
  /** Hosts where the send failed (the traced host first), each with its own cause ('none'/'unknown' when traced there but unexplained). */
  failedHosts: { host: string; cause: Verdict; confidence: number }[];
  /** Every host's causes with per-host evidence, strongest first; the verdict's own first. */
  causes: FleetCause[];
  traces: PostTrace[];
  /** The failing send as a whole: the front's timing, the serving host's progress lines when it logged them. */
  impact?: Impact;
  /** Upstream servers the front's nginx names that are not in the host list: offer to add them. */
  suggestedHosts: string[];
  durationMs?: number;
}
