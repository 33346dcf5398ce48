// The diagnosis the UI shows: the finished one, or the one being built source by source.
import * as vscode from 'vscode';
import type { Diagnosis, SourceResult } from '../core/model';
import type { FleetDiagnosis } from '../core/fleet/types';
import { fleetSource } from './fleetIds';
import type { DiagnoseArgs } from './api';

export type RunState = 'empty' | 'running' | 'done' | 'failed';

export interface RunInfo {
  /** What was asked (target or root, moment). Never holds a secret. */
  args: DiagnoseArgs;
  /** `deploy@host:22` or `bundle: /path`. */
  label: string;
  stage?: string;
  /** The window's zone once the host said it: times of the sources shown while running. */
  tz?: string;
  /** Sources finished so far (while running). */
  partial: SourceResult[];
  /** Why the run stopped (connection refused, host key mismatch…), with advice. */
  error?: { message: string; advice?: string; cancelled?: boolean };
}

export class DiagnosisStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly finished = new vscode.EventEmitter<Diagnosis | undefined>();
  /** Fires on every change (stage, source, result): the tree refreshes. */
  readonly onDidChange = this.changed.event;
  /** Fires when a diagnosis is finished or cleared: lenses, timeline, context keys. */
  readonly onDidChangeDiagnosis = this.finished.event;

  state: RunState = 'empty';
  run: RunInfo | undefined;
  diagnosis: Diagnosis | undefined;
  /** Several hosts diagnosed together; `diagnosis` is then the host where the send failed (or the first host's). */
  fleet: FleetDiagnosis | undefined;
  /** Bumps on each new diagnosis: excerpt documents of the previous one are refreshed. */
  generation = 0;

  /** A source of the diagnosis shown, or of the run in progress. */
  findSource(id: string): SourceResult | undefined {
    return fleetSource(this.fleet, id) ?? this.diagnosis?.sources.find((s) => s.id === id) ?? this.run?.partial.find((s) => s.id === id);
  }

  start(args: DiagnoseArgs, label: string): void {
    this.state = 'running';
    this.run = { args, label, partial: [] };
    this.changed.fire();
  }

  stage(message: string, tz?: string): void {
    if (!this.run) return;
    this.run.stage = message;
    if (tz) this.run.tz = tz;
    this.changed.fire();
  }

  source(result: SourceResult): void {
    if (!this.run) return;
    this.run.partial.push(result);
    this.changed.fire();
  }

  finish(d: Diagnosis, fleet?: FleetDiagnosis): void {
    this.fleet = fleet;
    this.state = 'done';
    this.diagnosis = d;
    this.generation++;
    if (this.run) this.run.stage = undefined;
    this.changed.fire();
    this.finished.fire(d);
  }

  /** Replaces one source's result in the finished diagnosis (Re-run Source). */
  replace(d: Diagnosis): void {
    this.diagnosis = d;
    this.generation++;
    this.changed.fire();
    this.finished.fire(d);
  }

  fail(message: string, advice?: string, cancelled = false): void {
    this.state = this.diagnosis ? 'done' : 'failed';
    if (this.run) {
      this.run.error = { message, advice, ...(cancelled ? { cancelled } : {}) };
      this.run.stage = undefined;
    }
    this.changed.fire();
  }

  clear(): void {
    this.state = 'empty';
    this.run = undefined;
    this.diagnosis = undefined;
    this.fleet = undefined;
    this.generation++;
    this.changed.fire();
    this.finished.fire(undefined);
  }

  dispose(): void {
    this.changed.dispose();
    this.finished.dispose();
  }
}
