/**
 * The one way strategies change weights: write, and if that fails, say where traffic is now.
 * moveTraffic is for moves away from stable (it refuses unless every router reads);
 * moveTowardSafety is for moves back to the known-good slot.
 */
import { errorMessage, type Log } from '../action-kit/index.js'
import { formatWeights, type Weights } from '../domain/index.js'
import { SmokeFailed, smokeFailureOutputs } from './smoke.js'
import {
  GroupRouter,
  RouterError,
  RoutersPutBack,
  unreachedText,
  type Router,
  type UnreachedRouter,
} from '../router/index.js'

export async function moveTraffic(router: Router, target: Weights, log: Log): Promise<Weights> {
  try {
    await router.write(target)
  } catch (e) {
    // A list that took part of the change and was put back says where each router is.
    if (e instanceof RoutersPutBack) throw e
    let where: string
    try {
      where = `traffic is now ${formatWeights(await router.read())}`
    } catch (readError) {
      where = `the router could not be read afterwards either (${errorMessage(readError)}): check ${router.describe()} by hand`
    }
    const message = errorMessage(e)
    // Providers often say where traffic is already; say it once.
    throw new RouterError(
      /traffic (is now|stays at)/.test(message) ? message : `${message}; ${where}`,
    )
  }
  const after = await router.read()
  log.info(`traffic now: ${formatWeights(after)}`)
  return after
}

/** What a move toward the known-good slot did: the weights of the routers it moved, and the others. */
export interface SafetyMove {
  /** The weights every moved router reads (the target). */
  after: Weights
  /** Routers of a list that were not moved, each with what it held at its last read. */
  unreached: UnreachedRouter[]
}

/**
 * The one way back to the known-good slot (rollback, a canary's automatic rollback, the post step
 * of an interrupted walk, an abort). On a router list it goes ahead on every router that answers
 * and returns the ones that did not, each with its last read, instead of refusing; the caller must
 * then fail the step (so alerts fire) while still saying traffic was rolled back. On one router it
 * is moveTraffic. Throws when no router took the change. Moves away from stable use moveTraffic.
 */
export async function moveTowardSafety(
  router: Router,
  target: Weights,
  log: Log,
): Promise<SafetyMove> {
  if (!(router instanceof GroupRouter))
    return { after: await moveTraffic(router, target, log), unreached: [] }
  let move: SafetyMove
  try {
    move = await router.writeReachable(target)
  } catch (e) {
    const where = await router.whereTrafficIs()
    throw new RouterError(`${errorMessage(e)}. Traffic now: ${where.join('; ')}`)
  }
  const total = router.routers.length
  const moved = total - move.unreached.length
  log.info(
    `traffic now: ${formatWeights(move.after)}${move.unreached.length > 0 ? ` on ${moved} of ${total} routers` : ''}`,
  )
  for (const u of move.unreached) log.warning(`not moved: ${unreachedText(u)}`)
  return move
}

/**
 * Where a move toward safety starts from: the weights the routers that answer agree on, and the
 * routers that did not answer (a warning each). On one router: its read.
 */
export async function readTowardSafety(router: Router, log: Log): Promise<SafetyMove> {
  if (!(router instanceof GroupRouter)) return { after: await router.read(), unreached: [] }
  const read = await router.readReachable()
  for (const u of read.unreached) log.warning(`cannot read ${unreachedText(u)}`)
  return read
}

/**
 * The failure of a step that moved traffic back but not on every router: names each router not
 * moved, what it held at its last read, and what to do. Pure.
 */
export function unreachedMessage(
  done: string,
  unreached: readonly UnreachedRouter[],
  target: Weights,
): string {
  return `${done}, but not on every router: ${unreached.length} of the list did not take it: ${unreached.map(unreachedText).join('; ')}. Put ${formatWeights(target)} on ${unreached.length === 1 ? 'it' : 'them'} as soon as ${unreached.length === 1 ? 'it answers' : 'they answer'} (rollback with to: ${target.blue === 100 ? 'blue' : 'green'}), or take ${unreached.length === 1 ? 'it' : 'them'} out of service.`
}

/** A step that ended with traffic put back on the known-good slot says so, and why, in its outputs. */
export function rolledBackOutputs(
  rolledBack: boolean,
  reason: string,
): { 'rolled-back': 'true' | 'false'; reason: string } {
  return rolledBack
    ? { 'rolled-back': 'true', reason: reason.replace(/\s*\n\s*/g, ' ') }
    : { 'rolled-back': 'false', reason: '' }
}

/**
 * The rolled-back/reason outputs of a step that threw: set when the change had started and
 * every router was put back where it was (a router list that refused part of it), and for a
 * failed smoke test (phase smoke, rolled-back false, the reason naming the server); otherwise
 * none (a step that failed before traffic moved sets no outputs, as before).
 */
export function rolledBackOnFailure(
  e: unknown,
):
  | ReturnType<typeof rolledBackOutputs>
  | ReturnType<typeof smokeFailureOutputs>
  | Record<string, never> {
  if (e instanceof SmokeFailed) return smokeFailureOutputs(e)
  return e instanceof RoutersPutBack
    ? rolledBackOutputs(true, `the change failed part-way and was undone: ${errorMessage(e)}`)
    : {}
}
