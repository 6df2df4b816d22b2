export {
  ConfigurationError,
  DeploymentFailed,
  elide,
  errorMessage,
  fetchFailure,
  quote,
  QUOTE_LIMIT,
} from './errors.js'
export type { AnnotationOptions, Log } from './log.js'
export { consoleLog, neutraliseCommands, silentLog } from './log.js'
export {
  Inputs,
  formatDuration,
  MAX_YAML_ALIASES,
  MAX_YAML_BYTES,
  MAX_YAML_VALUES,
  parseYamlInput,
  type RawInput,
} from './inputs.js'
export * from './parse.js'
export * from './util.js'
export * as markdown from './markdown.js'
