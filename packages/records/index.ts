export type {
  ApiLimits,
  GitHubContext,
  RecordScope,
  RecordSettings,
  RouterIdentity,
} from './settings.js'
export { GITHUB_LIMITS } from './settings.js'
export { afterTraffic } from './budget.js'
export type {
  ContinueOptions,
  DeploymentHistory,
  DeploymentRecord,
  DeploymentWriter,
  Outcome,
  RecordDraft,
  RecordState,
  StartOptions,
} from './types.js'
export { GitHubError, type GitHubErrorKind } from './errors.js'
export { readPayload, inScope, UNKNOWN_ROUTER } from './payload.js'
export {
  openDeploymentHistory,
  openDeploymentWriter,
  openWalkWatch,
  requestWalkAbort,
  GitHubHistory,
  WATCH_LIMITS,
  type AbortRequest,
  type OpenOptions,
  type WalkWatch,
} from './github.js'
export {
  ABORT_MARKER,
  ABORT_POLL_MS,
  abortDescription,
  isAbortRequest,
  walkInProgress,
  walkStop,
  type WalkStop,
} from './abort.js'
export { MemoryApi, MemoryRecords, type MemoryRecordsOptions } from './memory.js'
export type { DeploymentsApi } from './deployments-api.js'
export { wholeResponse } from './api.js'
