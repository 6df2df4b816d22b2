/**
 * The main entry of metrics-gate: dist/metrics-gate/index.js runs it (then exits), and @github/local-action
 * imports this file and calls run().
 */
import { runEntry } from '../../packages/action-kit/action.js'
import { main } from './main.js'

export const run = (): Promise<void> => runEntry(main)
