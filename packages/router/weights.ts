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
import { formatWeights, sameWeights, SLOTS, type Slot, type Weights } from '../domain/index.js'

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

/**
 * Equal integer weights for every server of a slot such that the slots' totals split traffic
 * as `target` says: per-server weight = share × k / servers, with the smallest k that makes both
 * integral within 1..maxWeight. When no k fits (HAProxy's 256 with uneven server counts), the
 * closest split whose percentages still round to `target`. A slot at 0% gets weight 0.
 */
export function spreadWeights(
  target: Weights,
  servers: Record<Slot, number>,
  maxWeight: number,
): Record<Slot, number> {
  for (const slot of SLOTS) {
    if (target[slot] > 0 && servers[slot] < 1)
      throw new RangeError(`slot ${slot} has no server to take ${target[slot]}%`)
  }
  const perServer = (slot: Slot, k: number) => (target[slot] * k) / Math.max(1, servers[slot])
  for (let k = 1; ; k++) {
    const blue = perServer('blue', k)
    const green = perServer('green', k)
    if (blue > maxWeight || green > maxWeight) break
    if (Number.isInteger(blue) && Number.isInteger(green)) return { blue, green }
  }
  // No exact split fits: search every pair of per-server weights for the closest one.
  let best: { blue: number; green: number; error: number } | undefined
  const range = (slot: Slot) =>
    target[slot] === 0 ? [0] : [...Array(maxWeight).keys()].map((i) => i + 1)
  for (const blue of range('blue')) {
    for (const green of range('green')) {
      const totalBlue = blue * servers.blue
      const totalGreen = green * servers.green
      if (!sameWeights(toPercent(totalBlue, totalGreen), target)) continue
      const error = Math.abs((totalBlue * 100) / (totalBlue + totalGreen) - target.blue)
      if (!best || error < best.error) best = { blue, green, error }
    }
  }
  if (!best)
    throw new RangeError(
      `no weights up to ${maxWeight} split ${formatWeights(target)} over ${servers.blue} and ${servers.green} servers`,
    )
  return { blue: best.blue, green: best.green }
}
