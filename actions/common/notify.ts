/**
 * The `notify` input of the traffic actions (blue-green-switch, canary-step, rollback) and the
 * events they send. The input is read and validated with the other inputs, before anything is
 * contacted, and every value is masked first. Sending never blocks traffic: `send` starts the
 * deliveries and returns; the entry (`notifying`) waits for them after main, each bounded by its
 * deadline, so the step ends once they answered or gave up.
 */
import type { ActionIO } from '../../packages/action-kit/action.js'
import { errorMessage } from '../../packages/action-kit/index.js'
import { formatWeights, type Weights } from '../../packages/domain/index.js'
import type { Measurement } from '../../packages/gate/index.js'
import {
  Notifier,
  parseNotify,
  type Figure,
  type NotifyEvent,
  type NotifyEventKind,
  type RouterTraffic,
} from '../../packages/notify/index.js'
import {
  GroupRouter,
  RoutersPutBack,
  type Router,
  type UnreachedRouter,
} from '../../packages/router/index.js'
import type { RecordSettings } from '../../packages/records/index.js'
import type {
  CanaryResult,
  CanaryStep,
  RollbackResult,
  SwitchResult,
} from '../../packages/traffic/index.js'
import { githubContext } from './records-inputs.js'

/** Every notifier of this process, so the entry can wait for their deliveries. */
const notifiers = new Set<Notifier>()

/** Runs an action's main, then waits for its notifications (each bounded by its deadline). */
export function notifying(main: (io: ActionIO) => Promise<void>): (io: ActionIO) => Promise<void> {
  return async (io) => {
    try {
      await main(io)
    } finally {
      for (const n of notifiers) await n.settle()
    }
  }
}

export interface NotifyFacts {
  summary: string
  verdict?: string
  reason?: string
  measurements?: readonly Measurement[]
  /** Where traffic is: the router, the weights every member that answered holds, the members that did not. */
  traffic?: { router: Router; after: Weights; unreached?: readonly UnreachedRouter[] }
}

export class ActionNotify {
  constructor(
    private readonly notifier: Notifier,
    private readonly base: Omit<NotifyEvent, 'kind' | 'summary' | 'figures' | 'traffic'>,
  ) {}

  get enabled(): boolean {
    return this.notifier.enabled
  }

  /** Starts the deliveries of one event and returns at once. */
  send(kind: NotifyEventKind, facts: NotifyFacts): void {
    if (!this.notifier.enabled) return
    this.notifier.send(this.event(kind, facts))
  }

  /**
   * A step that threw: `rollback` when a router list was put back where it was, else `fail`.
   * Where traffic is comes from one read of the router after the failure, made inside the
   * delivery (so the step never waits for it beyond the router's own deadline).
   */
  failed(e: unknown, router: Router): void {
    if (!this.notifier.enabled) return
    const putBack = e instanceof RoutersPutBack ? e : undefined
    const reason = errorMessage(e)
    this.notifier.sendLater(
      (putBack ? Promise.resolve(putBack.restored) : router.read()).then(
        (after) =>
          this.event(putBack ? 'rollback' : 'fail', {
            summary: putBack
              ? `the change failed part-way and every router was put back (${formatWeights(after)})`
              : `${this.base.action} failed`,
            reason,
            traffic: { router, after },
          }),
        (readError: unknown) => ({
          ...this.event('fail', { summary: `${this.base.action} failed`, reason }),
          traffic: [{ router: router.name, note: `unknown: ${errorMessage(readError)}` }],
        }),
      ),
    )
  }

  /** blue-green-switch's end: passed (switched or already there), or the bake put the old slot back. */
  switched(result: SwitchResult, router: Router): void {
    if (result.dryRun) return
    const bake = result.bake
    if (bake?.rolledBack) {
      this.send('rollback', {
        summary: `the bake judged ${result.target} ${bake.verdict}; ${result.previous} is live again`,
        verdict: bake.verdict,
        reason: bake.reason,
        measurements: bake.measurements,
        traffic: { router, after: bake.after, unreached: bake.unreached },
      })
      return
    }
    this.send('pass', {
      summary: result.switched
        ? `switched ${result.previous} → ${result.active}${bake ? `; the bake passed` : ''}`
        : `${result.target} already carried 100%: nothing moved`,
      ...(bake ? { verdict: bake.verdict, measurements: bake.measurements } : {}),
      traffic: { router, after: bake?.after ?? result.after },
    })
  }

  /** canary-step's hook: each step that passed (a failing one is told by the walk's end). */
  step(router: Router): (step: CanaryStep, index: number, total: number, weights: Weights) => void {
    return (step, index, total, weights) => {
      if (step.verdict !== 'pass') return
      this.send('step', {
        summary:
          step.phase === 'header'
            ? `header phase passed: matched requests go to the canary, the rest by weight (${step.reason})`
            : `step ${index + 1}/${total}: canary at ${step.weight}% passed (${step.reason})`,
        verdict: step.verdict,
        measurements: step.measurements,
        traffic: { router, after: weights },
      })
    }
  }

  /** canary-step's end: rolled back, failed and held, passed, or held as asked. */
  walked(result: CanaryResult, router: Router, waiting: string): void {
    if (result.dryRun) return
    const measurements = result.steps[result.steps.length - 1]?.measurements ?? []
    const traffic = { router, after: result.after, unreached: result.unreached }
    if (result.rolledBack) {
      this.send('rollback', {
        summary: `canary ${result.canary} rolled back at ${result.steps[result.steps.length - 1]?.weight ?? result.weight}%: stable ${result.stable} carries 100%`,
        verdict: result.verdict,
        reason: result.reason,
        measurements,
        traffic,
      })
      return
    }
    if (result.verdict !== 'pass') {
      this.send('fail', {
        summary: `canary ${result.canary} ${result.verdict}; traffic held at ${result.weight}%`,
        verdict: result.verdict,
        reason: result.reason,
        measurements,
        traffic,
      })
      return
    }
    this.send('pass', {
      summary:
        result.weight === 100
          ? `canary ${result.canary} passed every step and carries 100%`
          : `canary ${result.canary} passed and holds at ${result.weight}%`,
      verdict: result.verdict,
      measurements,
      traffic,
    })
    if (waiting && result.weight < 100)
      this.send('waiting', {
        summary: `waiting for approval before ${waiting}`,
        traffic,
      })
  }

  /** rollback's end: traffic is back (it moved before this is sent), or nothing needed to move. */
  rolledBack(result: RollbackResult, router: Router, reason: string): void {
    if (result.dryRun || !result.switched) return
    this.send('rollback', {
      summary: `rolled back to ${result.target}${result.restored ? ` (deployment ${result.restored.id})` : ''}: it carries 100%`,
      reason: reason || result.decision.why,
      traffic: { router, after: result.after, unreached: result.unreached },
    })
  }

  private event(kind: NotifyEventKind, facts: NotifyFacts): NotifyEvent {
    return {
      ...this.base,
      kind,
      summary: facts.summary,
      ...(facts.verdict ? { verdict: facts.verdict } : {}),
      ...(facts.reason ? { reason: facts.reason } : {}),
      figures: figuresOf(facts.measurements ?? []),
      traffic: facts.traffic
        ? trafficOf(facts.traffic.router, facts.traffic.after, facts.traffic.unreached ?? [])
        : [],
    }
  }
}

/**
 * Reads `notify` (masking every value before it is parsed) and returns the action's notifier.
 * `release` is the image input; `service`/`environment` the record settings'.
 */
export function readNotify(
  io: Pick<ActionIO, 'inputs' | 'secret' | 'log' | 'env'>,
  action: string,
  records: Pick<RecordSettings, 'service' | 'environment' | 'image'>,
  options: { dryRun?: boolean } = {},
): ActionNotify {
  const targets = parseNotify('notify', io.inputs.string('notify'), (v) => io.secret(v, 'notify'))
  // A dry run (a pipeline's plan) moves nothing: nothing to tell.
  const notifier = new Notifier(options.dryRun ? [] : targets, io.log)
  if (notifier.enabled) notifiers.add(notifier)
  return new ActionNotify(notifier, {
    action,
    service: records.service,
    environment: records.environment,
    release: records.image ?? '',
    runUrl: githubContext(io.env).runUrl,
  })
}

/** Each check's last look: the figures that decided the verdict. Pure. */
export function figuresOf(measurements: readonly Measurement[]): Figure[] {
  const last = new Map<string, Measurement>()
  for (const m of measurements) if (m.outcome !== 'waiting') last.set(m.check, m)
  return [...last.values()].map((m) => ({
    check: m.check,
    ...(m.value === undefined ? {} : { value: m.value }),
    ...(m.baseline === undefined ? {} : { baseline: m.baseline }),
    ...(m.samples === undefined ? {} : { samples: m.samples }),
    bound: m.bound,
    outcome: m.outcome,
  }))
}

/** Where traffic is on each router: a list's members, each with the weights or its last read. Pure. */
export function trafficOf(
  router: Router,
  after: Weights,
  unreached: readonly UnreachedRouter[],
): RouterTraffic[] {
  const members = router instanceof GroupRouter ? router.routers : [router]
  return members.map((r) => {
    const missed = unreached.find((u) => u.router === r.describe())
    if (!missed) return { router: r.name, weights: { ...after } }
    return missed.lastRead
      ? {
          router: r.name,
          weights: { ...missed.lastRead.weights },
          note: `not reached (${missed.error}); at its last read, ${missed.lastRead.at}`,
        }
      : { router: r.name, note: `not reached (${missed.error}); unknown` }
  })
}
