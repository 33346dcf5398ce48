// THE command ids of Incident Lens: the extension registers them, the tree and the lenses call them, package.json
// contributes them (test/unit/commands.test.ts keeps the table and package.json in step). Ids change here or nowhere.
export const Commands = {
  /** Runs a diagnosis; argument: DiagnoseArgs (every field given skips its step). */
  diagnose: 'incidentLens.diagnose',
  diagnoseBundle: 'incidentLens.diagnoseBundle',
  openExcerpt: 'incidentLens.openExcerpt',
  copyCommand: 'incidentLens.copyCommand',
  rerunSource: 'incidentLens.rerunSource',
  runInTerminal: 'incidentLens.runInTerminal',
  exportReport: 'incidentLens.exportReport',
  /** Writes the resend list of the local Postfix's picture to a file; argument: ExportResendArgs. */
  exportResendList: 'incidentLens.exportResendList',
  showTimeline: 'incidentLens.showTimeline',
  /** Reveals one evidence item in the tree and opens its excerpt; argument: RevealEvidenceArgs. */
  revealEvidence: 'incidentLens.revealEvidence',
  clear: 'incidentLens.clear',
  forgetSecrets: 'incidentLens.forgetSecrets',
  showLog: 'incidentLens.showLog',
  openCodeLink: 'incidentLens.openCodeLink',
  /** Applies a quick fix from a lens; argument: ApplyFixArgs. Executed by the language server (workspace/applyEdit). */
  applyFix: 'incidentLens.applyFix',
  /** Follow Live; argument: FollowArgs (target, sources, identityFile, knownHostsFile, interactive). */
  followLive: 'incidentLens.followLive',
  /** Follow Live from the Impact node, the sources that held evidence preselected; argument: FollowArgs. */
  followResend: 'incidentLens.followResend',
  stopFollow: 'incidentLens.stopFollow',
  followReconnect: 'incidentLens.followReconnect',
  followShow: 'incidentLens.followShow',
  /** The followed lines as a diagnosis of their own. */
  followDiagnose: 'incidentLens.followDiagnose',
} as const;

export type CommandId = (typeof Commands)[keyof typeof Commands];

/** Commands the language server registers (executeCommandProvider), not contributed by package.json. */
export const SERVER_COMMANDS: readonly CommandId[] = [Commands.applyFix];
