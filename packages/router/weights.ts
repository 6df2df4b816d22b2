/** Slots, weights and the small amount of arithmetic every strategy shares. */

export const SLOTS = ['blue', 'green'] as const
export type Slot = (typeof SLOTS)[number]

/** Traffic shares in percent: whole numbers that add up to 100 (or 0 and 0: no traffic at all). */
export interface Weights {
  blue: number
  green: number
}

export function otherSlot(slot: Slot): Slot {
  return slot === 'blue' ? 'green' : 'blue'
}

export function allOn(slot: Slot): Weights {
  return slot === 'blue' ? { blue: 100, green: 0 } : { blue: 0, green: 100 }
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

/** A target a router may be asked to write: whole percentages adding up to 100. */
export function assertWritable(target: Weights): void {
  for (const slot of SLOTS) {
    const w = target[slot]
    if (!Number.isInteger(w) || w < 0 || w > 100) {
      throw new RangeError(`weight of ${slot} must be a whole number from 0 to 100, got ${w}`)
    }
  }
  if (target.blue + target.green !== 100) {
    throw new RangeError(`weights must add up to 100, got ${formatWeights(target)}`)
  }
}

/** Turns raw server weights (any scale) into percentages that add up to 100. */
export function toPercent(rawBlue: number, rawGreen: number): Weights {
  const total = rawBlue + rawGreen
  if (total <= 0) return { blue: 0, green: 0 }
  const blue = Math.round((rawBlue * 100) / total)
  return { blue, green: 100 - blue }
}

export function formatWeights(w: Weights): string {
  return `blue ${w.blue}% / green ${w.green}%`
}
