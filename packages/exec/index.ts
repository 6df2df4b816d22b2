export {
  CommandFailed,
  execute,
  lastLines,
  run,
  type ExecOptions,
  type ExecResult,
} from './exec.js'
