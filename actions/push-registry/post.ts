/**
 * The post entry of push-registry: dist/push-registry/post.js runs it (then exits), and @github/local-action
 * imports this file and calls run() (`--post post.ts`).
 */
import { runEntry } from '../../packages/action-kit/action.js'
import { post } from './main.js'

export const run = (): Promise<void> => runEntry(post)
