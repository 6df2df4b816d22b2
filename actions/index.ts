/**
 * The one bundle every action shares. Each dist/<action>/index.js (or post.js) is a tiny entry
 * that calls `run` with its name and phase; the action's own code is a separate chunk loaded on
 * demand, so an action does not pay start-up time for the others' dependencies.
 *
 * The chunk is the action's entry module (actions/<action>/index.ts, post.ts), which exports
 * `run()`: what @github/local-action calls. `run()` returns with `process.exitCode` set on a
 * failure; only this runner-side wrapper ends the process.
 */
import { exitWithStatus } from '../packages/action-kit/action.js'

interface EntryModule {
  run(): Promise<void>
}
type Phases = { main: () => Promise<EntryModule>; post?: () => Promise<EntryModule> }

const actions: Record<string, Phases> = {
  'blue-green-switch': { main: () => import('./blue-green-switch/index.js') },
  'metrics-gate': { main: () => import('./metrics-gate/index.js') },
  'canary-step': {
    main: () => import('./canary-step/index.js'),
    post: () => import('./canary-step/post.js'),
  },
  rollback: { main: () => import('./rollback/index.js') },
  'build-image': { main: () => import('./build-image/index.js') },
  'push-registry': {
    main: () => import('./push-registry/index.js'),
    post: () => import('./push-registry/post.js'),
  },
}

export async function run(name: string, phase: 'main' | 'post' = 'main'): Promise<never> {
  const phases = actions[name]
  if (!phases) throw new Error(`unknown action ${name}`)
  const load = phases[phase]
  if (!load) throw new Error(`action ${name} has no ${phase} entry`)
  await (await load()).run()
  return exitWithStatus()
}
