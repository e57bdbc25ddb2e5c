export { followBinlog, type FollowInput, type FollowReport } from './follow-binlog.ts';
export { prepareFollow, defaultServerId, type FollowPreparation, type PrepareFollowInput } from './follow-step.ts';
export { checkFollowPreconditions, requiredRetentionSeconds } from './preconditions.ts';
export { FollowStateStore, type FollowState, type CutoverState } from './follow-state.ts';
export type { FollowProgress } from './follow-progress.ts';
export { comparePositions, formatPosition, type BinlogPosition } from './binlog-position.ts';
