/**
 * Flag routers: a feature flag walked like a canary (docs/architecture.md, "A flag is a router
 * kind"). The two slots are the flag's states, `blue` = off (its stable state) and `green` = on;
 * the weight of green is the rollout percentage. A flag router's `servers()` names each slot by
 * the variant label the application puts on its metrics (`variants: { off, on }`, default
 * "off"/"on"), one "server" per slot, so the gate's {{canary}} and {{stable}} can be bound to the
 * labels instead of the slots' names (`gateSlotNames`).
 */
import { ConfigurationError, quote } from '../action-kit/index.js'
import type { Router } from './router.js'
import { SLOTS, type Slot, type SlotServers } from './weights.js'

/** The router kinds whose slots are a flag's off and on states. */
export const FLAG_ROUTER_TYPES = ['unleash', 'flagd'] as const
export type FlagRouterType = (typeof FLAG_ROUTER_TYPES)[number]

/** The variant labels when the config gives none. */
export const DEFAULT_VARIANTS = { off: 'off', on: 'on' } as const

/** Which state each slot is: blue is the flag off, green the flag on. */
export const FLAG_SLOT_STATE: Readonly<Record<Slot, 'off' | 'on'>> = { blue: 'off', green: 'on' }

export function isFlagRouterType(type: string): type is FlagRouterType {
  return (FLAG_ROUTER_TYPES as readonly string[]).includes(type)
}

/**
 * What a flag router's `servers()` answers: each slot one entry named by its variant label.
 * `address` says where the flag lives (for logs and `idle-servers`), never a credential.
 */
export function flagServers(variants: { off: string; on: string }, address: string): SlotServers {
  return {
    blue: [{ name: variants.off, address }],
    green: [{ name: variants.on, address }],
  }
}

/**
 * The router kind of a `router` input: `traffic` (every entry moves requests between servers) or
 * `flag` (every entry is a flag). A list mixing both is refused: its members would be asked to
 * agree on weights that mean different things, and the gate could not name one label per slot.
 */
export function routerKind(types: readonly string[], input = 'router'): 'traffic' | 'flag' {
  const flags = types.filter(isFlagRouterType)
  if (flags.length === 0) return 'traffic'
  if (flags.length === types.length) return 'flag'
  const others = [...new Set(types.filter((t) => !isFlagRouterType(t)))]
  throw new ConfigurationError(
    `Input '${input}' lists flag routers (${[...new Set(flags)].join(', ')}) together with traffic routers (${others.join(', ')}); allowed: a list of flag routers only (${FLAG_ROUTER_TYPES.join(', ')}) or of traffic routers only. Walk the flag and the traffic in separate steps.`,
  )
}

/**
 * The names the gate's {{canary}} and {{stable}} stand for. A traffic router: the slots' names
 * (`blue`, `green`). A flag router: the variant label its `servers()` gives each slot; every
 * router of a list must give the same one label per slot, or the gate could judge the wrong
 * users (an error before anything moves).
 */
export function gateSlotNames(
  kind: 'traffic' | 'flag',
  servers: SlotServers,
): Readonly<Record<Slot, string>> {
  if (kind === 'traffic') return { blue: 'blue', green: 'green' }
  const names = {} as Record<Slot, string>
  for (const slot of SLOTS) {
    const labels = [...new Set(servers[slot].map((s) => s.name))]
    const [label] = labels
    if (labels.length !== 1 || label === undefined || label === '')
      throw new ConfigurationError(
        `The flag router's ${FLAG_SLOT_STATE[slot]} state (slot ${slot}) has ${labels.length === 0 ? 'no variant label' : `the variant labels ${labels.map((l) => quote(l)).join(', ')}`}; the gate's {{canary}}/{{stable}} need exactly one: give every router of the list the same 'variants: { off: <label>, on: <label> }'.`,
      )
    names[slot] = label
  }
  if (names.blue === names.green)
    throw new ConfigurationError(
      `The flag router's off and on states have the same variant label ${quote(names.blue)}; the gate could not tell the users apart: give 'variants' two different labels.`,
    )
  return names
}

/** A router (or a group of them) whose slots are a flag's states: every member is a flag. */
export function isFlagRouter(router: Pick<Router, 'type'>): boolean {
  const group = (router as { routers?: unknown }).routers
  const members = Array.isArray(group) ? (group as Pick<Router, 'type'>[]) : [router]
  return members.length > 0 && members.every((r) => isFlagRouterType(r.type))
}

/** What stands in for a health check on a flag: there is no slot of servers to ask. */
export const FLAG_NO_HEALTH =
  'a feature flag: no health URL applies (its states are not servers); the gate judges its users'
