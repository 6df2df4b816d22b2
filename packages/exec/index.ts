export {
  CommandFailed,
  execute,
  failure,
  lastLines,
  run,
  type ExecOptions,
  type ExecResult,
} from './exec.js'
