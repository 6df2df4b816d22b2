import type { Weights } from './weights.js'

/**
 * One router in front of the two slots. Every strategy (blue-green, canary, rollback) is
 * "read the weights, write new weights", so this is the whole provider contract.
 */
export interface Router {
  /** For logs: "haproxy 127.0.0.1:9999 backend web". Never contains credentials. */
  describe(): string
  /** The router's real current state; never a cached value. */
  read(): Promise<Weights>
  /** Moves traffic to `target` (atomic from clients' view where the router allows), then reads back to verify. */
  write(target: Weights): Promise<void>
}

/** A router operation that failed: the message says what the router answered. */
export class RouterError extends Error {
  override name = 'RouterError'
}
