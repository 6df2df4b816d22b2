/**
 * The one bundle every action shares. Each dist/<action>/index.js is a tiny entry that calls
 * `run` with its name; the action's own code is a separate chunk loaded on demand, so an action
 * does not pay start-up time for the others' dependencies.
 */
import { runAction, type ActionIO } from '../packages/action-kit/action.js'

type Entry = (io: ActionIO) => Promise<void>
interface ActionModule {
  main: Entry
  post?: Entry
}

const actions: Record<string, () => Promise<ActionModule>> = {
  'blue-green-switch': () => import('./blue-green-switch/main.js'),
  'metrics-gate': () => import('./metrics-gate/main.js'),
  'canary-step': () => import('./canary-step/main.js'),
  rollback: () => import('./rollback/main.js'),
  'build-image': () => import('./build-image/main.js'),
  'push-registry': () => import('./push-registry/main.js'),
}

export async function run(name: string, phase: 'main' | 'post' = 'main'): Promise<never> {
  const load = actions[name]
  if (!load) throw new Error(`unknown action ${name}`)
  const module = await load()
  const entry = module[phase]
  if (!entry) throw new Error(`action ${name} has no ${phase} entry`)
  return runAction(entry)
}
