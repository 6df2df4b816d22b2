/** Weights as routers need them: what may be written, and raw server weights as percentages. */

export {
  SLOTS,
  allOn,
  formatWeights,
  liveSlot,
  otherSlot,
  sameWeights,
  weightsFor,
  type Server,
  type Slot,
  type SlotServers,
  type Weights,
} from '../domain/index.js'
import { formatWeights, SLOTS, type Weights } from '../domain/index.js'

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
