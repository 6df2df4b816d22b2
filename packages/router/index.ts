export * from './weights.js'
export * from './router.js'
export * from './config.js'
export * from './match.js'
export {
  HaproxyRouter,
  haproxyWeights,
  parseShowMap,
  parseServersState,
  planHaproxyWrite,
  type HaproxyPlan,
  type HaproxyServerState,
  type HaproxySlotState,
} from './haproxy.js'
export {
  NginxRouter,
  matchVariable,
  parseMatchFile,
  renderMatchFile,
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
export {
  DnsRouter,
  desiredRecords,
  describeRecords,
  formatObserved,
  luaWeights,
  slotAnswered,
  splitAnswer,
  splitRefusal,
  type Observed,
  type RecordSet,
} from './dns.js'
export {
  DNS_KEYS,
  DNS_PROVIDERS,
  dnsSecrets,
  domainName,
  inZone,
  parseDnsConfig,
  parseDnsServer,
  parseDnsSlot,
  type DnsConfig,
  type DnsProvider,
  type DnsServer,
  type DnsSlot,
} from './dns-config.js'
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
export {
  DEFAULT_VARIANTS,
  FLAG_ROUTER_TYPES,
  FLAG_NO_HEALTH,
  FLAG_SLOT_STATE,
  flagServers,
  gateSlotNames,
  isFlagRouter,
  isFlagRouterType,
  routerKind,
  type FlagRouterType,
} from './flag.js'
export {
  FlagdRouter,
  ConcurrentChange,
  FlagdRefusal,
  FLAGD_CHECK_KEYS,
  FLAGD_CHECK_TOLERANCE,
  evaluateSplit,
  flagState,
  fractionalRule,
  indentOf,
  ruleWeights,
  withWeights,
  type FlagState,
} from './flagd.js'
export {
  FLAGD_KEYS,
  flagdDescribe,
  flagdWhere,
  parseFlagdConfig,
  type FlagdConfig,
  type FlagdSource,
} from './flagd-config.js'
export {
  UnleashRouter,
  UnleashRefusal,
  UNLEASH_STRATEGY_TITLE,
  describeState,
  flagState as unleashFlagState,
  parseRollout,
  planUnleashWrite,
  servedShape,
  type AdminEnvironment,
  type AdminStrategy,
  type UnleashFlagState,
  type UnleashPlan,
} from './unleash.js'
export {
  UNLEASH_KEYS,
  UNLEASH_OPERATORS,
  describeConstraint,
  parseUnleashConfig,
  unleashDescribe,
  unleashSecrets,
  type UnleashConfig,
  type UnleashConstraint,
} from './unleash-config.js'
