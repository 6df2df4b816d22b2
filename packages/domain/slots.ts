/**
 * The domain every package speaks: two slots, the traffic shares between them, and the servers
 * behind each. Pure values and arithmetic only; every package may import this module.
 */

export const SLOTS = ['blue', 'green'] as const
export type Slot = (typeof SLOTS)[number]

/** Traffic shares in percent: whole numbers that add up to 100 (or 0 and 0: no traffic at all). */
export interface Weights {
  blue: number
  green: number
}

/**
 * One server of a slot, as the router knows it. HAProxy: the server's name in the backend and
 * the address HAProxy reports for it; nginx: host:port for both.
 */
export interface Server {
  name: string
  address: string
}

export type SlotServers = Record<Slot, Server[]>

export function otherSlot(slot: Slot): Slot {
  return slot === 'blue' ? 'green' : 'blue'
}

export function allOn(slot: Slot): Weights {
  return slot === 'blue' ? { blue: 100, green: 0 } : { blue: 0, green: 100 }
}

/** `weight`% on `slot`, the rest on the other. */
export function weightsFor(slot: Slot, weight: number): Weights {
  return slot === 'blue'
    ? { blue: weight, green: 100 - weight }
    : { blue: 100 - weight, green: weight }
}

/** The slot carrying all traffic, or undefined while traffic is split (or absent). */
export function liveSlot(weights: Weights): Slot | undefined {
  if (weights.blue === 100 && weights.green === 0) return 'blue'
  if (weights.green === 100 && weights.blue === 0) return 'green'
  return undefined
}

export function sameWeights(a: Weights, b: Weights): boolean {
  return a.blue === b.blue && a.green === b.green
}

export function formatWeights(w: Weights): string {
  return `blue ${w.blue}% / green ${w.green}%`
}
