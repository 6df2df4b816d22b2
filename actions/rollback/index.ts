/**
 * The main entry of rollback: dist/rollback/index.js runs it (then exits), and @github/local-action
 * imports this file and calls run().
 */
import { runEntry } from '../../packages/action-kit/action.js'
import { notifying } from '../common/notify.js'
import { main } from './main.js'

export const run = (): Promise<void> => runEntry(notifying(main))
