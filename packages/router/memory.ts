/**
 * A Router that lives in memory, for unit tests of the strategies: it keeps its weights, records
 * every write, and can be told to fail reads or writes (before or after applying the change), so
 * tests can build disagreeing pairs and partial failures without a real server.
 */
import type { Router } from './router.js'
import { RouterError } from './router.js'
import { assertWritable, type SlotServers, type Weights } from './weights.js'

export interface MemoryRouterOptions {
  name?: string
  weights?: Weights
  servers?: SlotServers
}

export class MemoryRouter implements Router {
  readonly type = 'memory'
  readonly name: string
  readonly notes: string[] = []
  /** The state clients would see. Tests may set it directly (an operator's change). */
  weights: Weights
  servers_: SlotServers
  /** Every target write() was asked for, in order, failed ones included. */
  readonly writes: Weights[] = []
  /** Makes write() fail: always (an Error), or when the function returns one for that target. */
  failWrite?: Error | ((target: Weights) => Error | undefined)
  /** With failWrite: apply the target first, then fail (a router that half-did it). */
  applyBeforeFailing = false
  /** Makes read() fail. */
  failRead?: Error

  constructor(options: MemoryRouterOptions = {}) {
    this.name = options.name ?? 'memory'
    this.weights = { ...(options.weights ?? { blue: 100, green: 0 }) }
    this.servers_ = options.servers ?? {
      blue: [{ name: 'blue-1', address: 'blue-1' }],
      green: [{ name: 'green-1', address: 'green-1' }],
    }
  }

  describe(): string {
    return `memory router ${this.name}`
  }

  async read(): Promise<Weights> {
    if (this.failRead) throw this.failRead
    return { ...this.weights }
  }

  async write(target: Weights): Promise<void> {
    assertWritable(target)
    this.writes.push({ ...target })
    const error = typeof this.failWrite === 'function' ? this.failWrite(target) : this.failWrite
    if (error) {
      if (this.applyBeforeFailing) this.weights = { ...target }
      throw error instanceof RouterError ? error : new RouterError(error.message)
    }
    this.weights = { ...target }
  }

  async servers(): Promise<SlotServers> {
    return { blue: [...this.servers_.blue], green: [...this.servers_.green] }
  }
}
