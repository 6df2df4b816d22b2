import type { MatchRouting } from './match.js'
import type { SlotServers, Weights } from './weights.js'

/**
 * One router in front of the two slots (or a group of routers that act as one). Every strategy
 * (blue-green, canary, rollback) is "read the weights, write new weights", so this is the whole
 * provider contract.
 */
export interface Router {
  /** Identity in records and summaries: the config's `name` (default "<type> <backend|upstream>"), never an admin address. */
  readonly name: string
  /** 'haproxy' | 'nginx' | 'kubernetes' | 'dns' | 'group' | 'memory' */
  readonly type: string
  /** For logs: "haproxy 127.0.0.1:9999 backend web". Never contains credentials. */
  describe(): string
  /** The router's real current state; never a cached value. */
  read(): Promise<Weights>
  /** Moves traffic to `target`, reads back to verify, and returns only when clients see it. */
  write(target: Weights): Promise<void>
  /** Each slot's servers as the router knows them: { name, address }. */
  servers(): Promise<SlotServers>
  /** Things an operator should know (servers left in maintenance, ...), for the job summary. */
  readonly notes: string[]
  /**
   * Optional: the header/cookie phase (match.ts). Present only on a router that can send the
   * requests carrying a header or cookie value to one slot (HAProxy with `match-map`, nginx with
   * `match-file`, a Kubernetes HTTPRoute, a group whose members all can); absent, a step that
   * needs it refuses before anything moves.
   */
  readonly match?: MatchRouting
  /**
   * Optional: what only the server can tell, checked before a write to `target` changes
   * anything (Unleash: the flag, environment and context fields exist). `write` runs it itself;
   * a group runs every member's first, so one member's refusal leaves the others untouched.
   */
  check?(target: Weights): Promise<void>
}

/** A router operation that failed: the message says what the router answered and where traffic is. */
export class RouterError extends Error {
  override name = 'RouterError'
}
