/** Several hosts, one diagnosis (nginx front + app hosts): run, trace the failing POST, merge per-host verdicts. */
export * from './types';
export { diagnoseFleet } from './run';
export type { FleetHooks, OpenHost } from './run';
export { mergeFleet } from './merge';
export type { MergeOptions } from './merge';
export { traceAll, tracePost, failingPosts, missingUpstreams, upstreamServers } from './trace';
export { parseUpstreams, upstreamOf, sameName, splitHostPort, hostPartOf } from './upstream';
export { roleFromProbes, sourcesForRole } from './roles';
