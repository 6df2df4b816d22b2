import { AsyncLocalStorage } from 'node:async_hooks'

/**
 * The time an action may spend in GitHub calls, all calls together. Only time inside calls
 * counts (a canary walk may hold for an hour between two calls); once spent, its signal aborts
 * every request in flight and every later call fails at once.
 */

export class BudgetSpent extends Error {
  override name = 'BudgetSpent'
}

export class Budget {
  private readonly controller = new AbortController()
  /** Aborts when the budget is spent. */
  readonly signal = this.controller.signal
  private remainingMs: number
  private active = 0
  private since = 0
  private timer: ReturnType<typeof setTimeout> | undefined

  constructor(readonly totalMs: number) {
    this.remainingMs = totalMs
  }

  /** What is left now, counting the calls in flight. */
  leftMs(): number {
    const running = this.active > 0 ? Date.now() - this.since : 0
    return Math.max(0, this.remainingMs - running)
  }

  /** Runs `work`, rejecting with BudgetSpent as soon as the budget runs out, even mid-wait. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.signal.aborted) throw new BudgetSpent('the time budget for GitHub calls is spent')
    this.enter()
    let stop: (() => void) | undefined
    try {
      const spent = new Promise<never>((_, reject) => {
        stop = () => reject(new BudgetSpent('the time budget for GitHub calls is spent'))
        this.signal.addEventListener('abort', stop, { once: true })
      })
      const working = work()
      // A retry wait may still be pending when the budget ends: its late failure is not news.
      working.catch(() => {})
      return await Promise.race([working, spent])
    } finally {
      if (stop) this.signal.removeEventListener('abort', stop)
      this.leave()
    }
  }

  private enter(): void {
    if (this.active++ > 0) return
    this.since = Date.now()
    this.timer = setTimeout(() => this.controller.abort(), this.remainingMs)
    this.timer.unref?.()
  }

  private leave(): void {
    if (--this.active > 0) return
    clearTimeout(this.timer)
    this.remainingMs = Math.max(0, this.remainingMs - (Date.now() - this.since))
    if (this.remainingMs === 0) this.controller.abort()
  }
}

/**
 * Whether the calls running now come after traffic moved. Before (the default: opening the
 * record, reading history to decide), a request that got no answer is not asked again: the
 * traffic change must not wait on GitHub. After, the record is worth retrying within what is
 * left of the budget.
 */
const trafficMoved = new AsyncLocalStorage<boolean>()

/** Runs `work` as after traffic moved: its timed-out requests may be retried. */
export function afterTraffic<T>(work: () => Promise<T>): Promise<T> {
  return trafficMoved.run(true, work)
}

export function isAfterTraffic(): boolean {
  return trafficMoved.getStore() === true
}
