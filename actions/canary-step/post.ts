/**
 * The post entry of canary-step: dist/canary-step/post.js runs it (then exits), and @github/local-action
 * imports this file and calls run() (`--post post.ts`).
 */
import { runEntry } from '../../packages/action-kit/action.js'
import { notifying } from '../common/notify.js'
import { post } from './main.js'

export const run = (): Promise<void> => runEntry(notifying(post))
