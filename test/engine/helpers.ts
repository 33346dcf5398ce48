/** Shared by the engine tests: fixtures, the built CLI, expected.json checks. */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import assert from 'node:assert/strict';
import { FIXTURES_ROOT } from '../host/testHost';
import { parseLocalTime } from '../../src/core/window';
import type { Diagnosis, SourceResult } from '../../src/core/index';
import { render } from '../../src/core/l10n';

/** A source's advice in English: the JSON's `advice`, or the model's message rendered (undefined without advice). */
export function adviceOf(s: SourceResult | undefined): string | undefined {
  const json = (s as (SourceResult & { advice?: string }) | undefined)?.advice;
  return typeof json === 'string' ? json : s?.adviceText && render(s.adviceText, 'en');
}

export const CLI = resolve(__dirname, '..', '..', 'dist', 'cli.js');

export interface Expected {
  at: string;
  before?: string;
  after?: string;
  tz: string;
  timezone?: string;
  verdict: string;
  evidence: string[];
  notCauses: string[];
  /** beforeLoop: the exception stopped the send before its first batch (impact.beforeLoop, 0 sent). */
  impact: { requestStart?: string; requestEnd?: string; sent?: number; unsent?: number; recipients?: number; exactFromLogs?: boolean; beforeLoop?: boolean };
}

export function fixtureNames(): string[] {
  // FIXTURES_ONLY=regex runs a subset while working on some hosts (the whole set runs otherwise)
  const only = process.env.FIXTURES_ONLY ? new RegExp(process.env.FIXTURES_ONLY) : undefined;
  return readdirSync(FIXTURES_ROOT).filter((d) => existsSync(join(FIXTURES_ROOT, d, 'expected.json')) && (!only || only.test(d))).sort();
}

export function expected(name: string): Expected {
  return JSON.parse(readFileSync(join(FIXTURES_ROOT, name, 'expected.json'), 'utf8'));
}

/** Builds dist/cli.js once per test process (the CLI under test is the shipped bundle). */
let built = false;
export function ensureBuilt(): void {
  if (built) return;
  const r = spawnSync(process.execPath, [resolve(__dirname, '..', '..', 'scripts', 'build.mjs')], { encoding: 'utf8' });
  assert.equal(r.status, 0, `build failed: ${r.stderr}`);
  built = true;
}

export function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000, stdio: ['ignore', 'pipe', 'pipe'] });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function windowArgs(e: Expected): string[] {
  return ['--at', e.at, ...(e.before ? ['--before', e.before] : []), ...(e.after ? ['--after', e.after] : [])];
}

/** The diagnosis matches the fixture's expected.json: verdict, cited evidence, causes ruled out, impact. */
export function checkDiagnosis(d: Diagnosis, e: Expected, how: string): void {
  assert.equal(d.verdict, e.verdict, `${how}: verdict (causes: ${d.causes.map((c) => `${c.id}=${c.confidence}`).join(' ')})`);
  const best = d.causes.find((c) => c.id === d.verdict);
  for (const s of e.evidence) {
    assert.ok(best?.evidence.some((ev) => ev.line.includes(s)), `${how}: evidence ${JSON.stringify(s)} not cited; got ${JSON.stringify(best?.evidence.map((x) => x.line))}`);
  }
  for (const id of e.notCauses) {
    const c = d.causes.find((x) => x.id === id)!;
    assert.ok(c.confidence < 0.5, `${how}: ${id} should be ruled out (confidence ${c.confidence})`);
  }
  const tz = d.window.tz;
  const im = e.impact;
  if (im.requestEnd) {
    assert.ok(d.impact.requestEnd, `${how}: no request end`);
    const diff = Math.abs(Date.parse(d.impact.requestEnd!) - parseLocalTime(im.requestEnd, tz).getTime());
    assert.ok(diff <= 2000, `${how}: request end ${d.impact.requestEnd} vs ${im.requestEnd}`);
  }
  if (im.requestStart) {
    assert.ok(d.impact.requestStart, `${how}: no request start`);
    const diff = Math.abs(Date.parse(d.impact.requestStart!) - parseLocalTime(im.requestStart, tz).getTime());
    assert.ok(diff <= 60_000, `${how}: request start ${d.impact.requestStart} vs ${im.requestStart}`);
  }
  if (im.exactFromLogs !== undefined) assert.equal(d.impact.estimate, !im.exactFromLogs, `${how}: estimate flag`);
  if (im.beforeLoop !== undefined) assert.equal(!!d.impact.beforeLoop, im.beforeLoop, `${how}: before the loop (${d.impact.summary})`);
  if (im.beforeLoop) assert.equal(d.impact.batchesSent, 0, `${how}: 0 batches before the loop`);
  if (im.exactFromLogs) {
    assert.equal(d.impact.recipientsSent, im.sent, `${how}: recipients sent`);
    assert.equal(d.impact.recipientsUnsent, im.unsent, `${how}: recipients unsent`);
  } else if (im.sent !== undefined) {
    assert.ok(typeof d.impact.recipientsSent === 'number', `${how}: an estimate of recipients sent ${JSON.stringify(d.impact)}`);
  }
}

/** Two diagnoses of the same host and window found the same events in every source, and the same verdict and evidence. */
export function assertSameEvents(a: Diagnosis, b: Diagnosis, how: string): void {
  const ev = (d: Diagnosis, id: string) => (d.sources.find((s) => s.id === id)?.events ?? []).map((x) => ({ time: x.time, line: x.line, kind: x.kind, detail: x.detail }));
  for (const s of b.sources) {
    assert.deepEqual(ev(a, s.id), ev(b, s.id), `${how}: events of ${s.id}`);
    // live host checks (connections, memory) may change between the runs; logs may not
    if (!s.id.startsWith('host_')) assert.equal(a.sources.find((x) => x.id === s.id)?.status, s.status, `${how}: status of ${s.id}`);
  }
  assert.equal(a.verdict, b.verdict, `${how}: verdict`);
  const cite = (d: Diagnosis) => d.causes.map((c) => [c.id, c.confidence, c.evidence.map((x) => x.line)]);
  assert.deepEqual(cite(a), cite(b), `${how}: causes and evidence`);
}
