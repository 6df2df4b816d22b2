/** Which slot is live, which is idle and what servers the idle one has: what a pipeline deploys to. */
import { liveSlot, otherSlot, type Server, type Slot, type Weights } from '../domain/index.js'
import type { Router } from '../router/index.js'

export interface SlotView {
  /** The slot carrying 100%, or 'split'. */
  live: Slot | 'split'
  /** The slot carrying nothing while the other carries all, or 'none' while traffic is split. */
  idle: Slot | 'none'
  /** The idle slot's servers as the router knows them ([] when none is idle). */
  idleServers: Server[]
}

/** Pure part: live and idle from the weights. */
export function liveAndIdle(weights: Weights): Pick<SlotView, 'live' | 'idle'> {
  const live = liveSlot(weights)
  return live ? { live, idle: otherSlot(live) } : { live: 'split', idle: 'none' }
}

export async function viewSlots(router: Router, weights: Weights): Promise<SlotView> {
  const { live, idle } = liveAndIdle(weights)
  const idleServers = idle === 'none' ? [] : (await router.servers())[idle]
  return { live, idle, idleServers }
}
