/**
 * The one place the traffic actions (blue-green-switch, canary-step, rollback) write the outputs a
 * workflow branches on: verdict, phase, figures, rolled-back, reason. The strategies report each
 * phase as they enter it (`enter`), so a step that fails says where it stopped.
 */
import type { ActionIO } from '../../packages/action-kit/action.js'
import {
  rolledBackOnFailure,
  rolledBackOutputs,
  type Figures,
  type Phase,
  type StepVerdict,
} from '../../packages/traffic/index.js'

export interface StepOutcome {
  verdict: StepVerdict
  /** Default: `done` (the step finished). */
  phase?: Phase
  figures?: Figures
  rolledBack: boolean
  reason: string
}

/** Pure: the five outputs of a step that finished (with any verdict). */
export function outcomeOutputs(o: StepOutcome): Record<string, string> {
  return {
    verdict: o.verdict,
    phase: o.phase ?? 'done',
    figures: JSON.stringify(o.figures ?? {}),
    ...rolledBackOutputs(o.rolledBack, o.reason),
  }
}

export class OutcomeOutputs {
  /** The phase the step is in; undefined until its inputs were read and something started. */
  phase: Phase | undefined

  constructor(private readonly io: Pick<ActionIO, 'output'>) {}

  /** The strategies' phase hook. */
  readonly enter = (phase: Phase): void => {
    this.phase = phase
  }

  /** A step that finished (passed, or failed with its verdict): all five outputs. */
  write(o: StepOutcome): void {
    this.io.output(outcomeOutputs(o))
  }

  /**
   * A step that threw: where it stopped (phase), verdict `none` (no gate decided) and the
   * rolled-back/reason a router list that was put back gives. A step that failed before any phase
   * began (its inputs) sets none of them.
   */
  failed(e: unknown): void {
    const rolled = rolledBackOnFailure(e)
    if (this.phase === undefined) {
      this.io.output(rolled)
      return
    }
    this.io.output({ verdict: 'none', phase: this.phase, figures: '{}', ...rolled })
  }
}
