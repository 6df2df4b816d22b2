export {
  CommandFailed,
  execute,
  failure,
  lastLines,
  MAX_LINE,
  run,
  type ExecOptions,
  type ExecResult,
} from './exec.js'
