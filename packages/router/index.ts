export * from './weights.js'
export * from './router.js'
export * from './config.js'
export {
  HaproxyRouter,
  haproxyWeights,
  parseServersState,
  planHaproxyWrite,
  type HaproxyPlan,
  type HaproxyServerState,
  type HaproxySlotState,
} from './haproxy.js'
export {
  NginxRouter,
  parseProcesses,
  reloadFinished,
  renderUpstream,
  upstreamFileFor,
} from './nginx.js'
export {
  GroupRouter,
  agreed,
  judgeSafetyWrite,
  unreachedText,
  RoutersPutBack,
  type MemberOutcome,
  type PartialWrite,
  type UnreachedRouter,
} from './group.js'
export { MemoryRouter } from './memory.js'
export { openRouter } from './open.js'
export {
  KubernetesRouter,
  canRollSlots,
  ConcurrentEdit,
  RolloutFailed,
  type RolloutOptions,
  type RolloutReport,
  type SlotRoller,
} from './kubernetes.js'
