/**
 * Putting the release onto a slot, where the router itself can (Kubernetes: the slot's
 * Deployment gets the image and becomes available). Done before any health check or traffic.
 */
import { ConfigurationError, type Log } from '../action-kit/index.js'
import type { Slot } from '../domain/index.js'
import { canRollSlots, type Router, type SlotRoller } from '../router/index.js'

export interface SlotRollout {
  image: string
  /** The container to set the image on (when the pod has several). */
  container?: string
  timeoutMs: number
}

/** A router and, for a group, its members. */
function members(router: Router): Router[] {
  const group = (router as { routers?: unknown }).routers
  return Array.isArray(group) ? (group as Router[]) : [router]
}

/** Rolls `slot` on every router that can; false when none can (the release was deployed by other means). */
export async function rollSlot(
  router: Router,
  slot: Slot,
  rollout: SlotRollout,
  log: Log,
): Promise<boolean> {
  const rollers = members(router).filter((r): r is Router & SlotRoller => canRollSlots(r))
  for (const roller of rollers) {
    log.info(`rolling ${slot} to ${rollout.image} on ${roller.describe()}`)
    await roller.rollSlot(slot, rollout.image, {
      ...(rollout.container ? { container: rollout.container } : {}),
      timeoutMs: rollout.timeoutMs,
      log,
    })
  }
  return rollers.length > 0
}

/** A canary needs a router that can split traffic; a Service selector cannot. */
export function requireSplit(router: Router): void {
  const unable = members(router).find((r) => (r as { canSplit?: boolean }).canSplit === false)
  if (unable)
    throw new ConfigurationError(
      `Input 'router': ${unable.describe()} cannot split traffic (it moves all of it at once), so it cannot carry a canary; use a router that can, e.g. a Kubernetes route: { httproute: ... }, or blue-green-switch.`,
    )
}
