export {
  ConfigurationError,
  DeploymentFailed,
  errorMessage,
  fetchFailure,
  quote,
} from './errors.js'
export type { Log } from './log.js'
export { consoleLog, silentLog } from './log.js'
export { Inputs, formatDuration, type RawInput } from './inputs.js'
export * from './parse.js'
export * as markdown from './markdown.js'
