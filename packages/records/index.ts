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
  GitHubHistory,
  type OpenOptions,
} from './github.js'
export { MemoryApi, MemoryRecords, type MemoryRecordsOptions } from './memory.js'
export type { DeploymentsApi } from './deployments-api.js'
