/** Follow Live: the runbook's `journalctl -f` / `tail -F`, merged in time order and classified as lines arrive. */
export { FollowSession, MAX_KEPT_EVIDENCE } from './session';
export type { FollowOptions } from './session';
export { TimeRing, DEFAULT_RING_CAPACITY } from './ring';
export { LineSplitter, LiveInterpreter, MAX_LINE_CHARS } from './lines';
export { LiveClassifier, progressOf } from './classify';
export { Reorder } from './merge';
export { formatLine, formatNotice, EVIDENCE_MARK, LINE_MARK, NOTICE_RULE } from './format';
export { followDiagnosis } from './diagnosis';
export { followSources, pickFollowSources, TAIL_POLL_SECONDS } from '../catalogue/follow';
export type { FollowSourceDef } from '../catalogue/follow';
export { startFollow } from './start';
export type { StartFollowRequest } from './start';
export type * from './types';
