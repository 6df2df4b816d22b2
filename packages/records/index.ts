export * from './records.js'
export type { GitHubContext, RetryPolicy } from './github.js'
