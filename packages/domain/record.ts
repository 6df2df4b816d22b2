/**
 * The deployment record's payload: what cutover writes on every GitHub Deployment it creates,
 * and reads back for history and rollback. Versioned; readers check `schema`. Never credentials,
 * never a router's admin address unless the user asked for it.
 */
import type { Slot, Weights } from './slots.js'

export const PAYLOAD_SCHEMA = 2

export type Strategy = 'blue-green' | 'canary' | 'rollback'

export interface RecordPayload {
  tool: 'cutover'
  schema: typeof PAYLOAD_SCHEMA
  /** The application this record is about (default: the repository's name). */
  service: string
  strategy: Strategy
  /** The router's identity: its `name` (default: type and backend/upstream), never its address. */
  router: { type: string; name: string; address?: string }
  /** The slot this deployment puts its release on. */
  slot: Slot
  /** The release's image (by digest where known); without it a record cannot prove what a slot holds. */
  image?: string
  /** The weights this deployment aims for (a held canary: its last step). */
  weights: Weights
  /** Where traffic was before, and the deployment that was live then. */
  previous: { slot: Slot | 'split'; deployment_id?: number; image?: string }
  /** canary: the slot that stays stable during the walk. */
  stable?: Slot
  /** rollback: the deployment it undid and the one it went back to. */
  rolled_back_id?: number
  restored_deployment_id?: number
  /** rollback: routers of a list it could not move, each with what it held at its last read. */
  unreached?: { router: string; error: string; last_read?: Weights; last_read_at?: string }[]
  reason?: string
}

/** The deployment `task` that carries the service, so GitHub filters by service on its side. */
export function taskFor(service: string): string {
  return `deploy:${service}`
}
