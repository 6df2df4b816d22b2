/**
 * The main entry of push-registry: dist/push-registry/index.js runs it (then exits), and @github/local-action
 * imports this file and calls run().
 */
import { runEntry } from '../../packages/action-kit/action.js'
import { main } from './main.js'

export const run = (): Promise<void> => runEntry(main)
