// THE other ids Incident Lens shares with package.json and VS Code, beside the command ids (commands.ts): its view,
// webview and status item, the context keys package.json's `when` clauses read, and the keys of its stored state.
// Ids change here or nowhere (test/unit/commands.test.ts checks package.json names the same view and context keys).

/** The Log Sources tree (package.json `contributes.views`) and the timeline webview. */
export const Views = {
  sources: 'incidentLens.sources',
  timeline: 'incidentLens.timeline',
} as const;

/** Context keys set with `setContext`, read by package.json's `when` clauses. */
export const ContextKeys = {
  /** 'empty' | 'running' | 'done' | 'failed' */
  state: 'incidentLens.state',
  /** true while Follow Live runs */
  following: 'incidentLens.following',
} as const;

/** The status bar item of Follow Live. */
export const StatusItems = {
  follow: 'incidentLens.follow',
} as const;

/** Keys of the extension's stored state (globalState / workspaceState). */
export const StateKeys = {
  lastInput: 'incidentLens.lastInput',
  recentHosts: 'incidentLens.recentHosts',
  storedSecrets: 'incidentLens.storedSecrets',
} as const;
