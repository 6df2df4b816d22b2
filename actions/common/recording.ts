/**
 * The traffic actions' side of the records: turns the strategies' one record hook into a
 * deployment record of the service (through the records package's writer), and ends it with the
 * step's outcome. Records never decide where traffic goes: an outage only costs the record.
 */
import {
  ConfigurationError,
  DeploymentFailed,
  errorMessage,
  type Log,
} from '../../packages/action-kit/index.js'
import {
  openDeploymentHistory,
  openDeploymentWriter,
  type DeploymentHistory,
  type DeploymentRecord,
  type DeploymentWriter,
  type GitHubContext,
  type RecordDraft,
  type RecordSettings,
} from '../../packages/records/index.js'
import { otherSlot } from '../../packages/domain/index.js'
import type { Router } from '../../packages/router/index.js'
import type { RecordHook, RecordOutcome, TrafficRecord } from '../../packages/traffic/index.js'

export class Recording implements RecordHook {
  /** The record an earlier job started, when `deployment-id` was given. */
  continued?: DeploymentRecord

  private constructor(
    private readonly writer: DeploymentWriter,
    private readonly settings: RecordSettings,
    private readonly log: Log,
    private readonly extra: { reason?: string; undoneId?: number },
  ) {}

  /** Opens the writer; with `deployment-id`, takes over that record first (so its last step's time is known). */
  static async open(
    settings: RecordSettings,
    context: GitHubContext,
    router: Router,
    log: Log,
    extra: { reason?: string; undoneId?: number; claim?: boolean } = {},
  ): Promise<Recording> {
    const writer = openDeploymentWriter(settings, context, {
      router: { type: router.type, name: router.name },
      log,
    })
    const recording = new Recording(writer, settings, log, extra)
    if (settings.deploymentId !== undefined) {
      // claim: this step moves traffic onto the release's slot; a newer plan since means stand down.
      const continued = await writer.continue(settings.deploymentId, {
        standDownIfSuperseded: extra.claim === true,
      })
      if (continued) recording.continued = continued
    }
    return recording
  }

  get deploymentId(): number | undefined {
    return this.writer.deploymentId
  }

  async start(record: TrafficRecord): Promise<void> {
    const on = this.settings.enabled && this.settings.token !== ''
    if (this.continued) {
      if (this.continued.payload.slot !== record.slot)
        throw new ConfigurationError(
          `Input 'deployment-id' is ${this.continued.id}, the record of ${this.continued.payload.strategy} to ${this.continued.payload.slot}, but this step puts its release on ${record.slot}. Give the deployment-id of this release's record, or none.`,
        )
      return
    }
    if (this.settings.deploymentId !== undefined) return // could not be continued: warned already
    if (on && record.strategy !== 'rollback' && !this.settings.image)
      this.log.warning(
        `records: no \`image\` given, so the record cannot prove which release ${record.slot} holds; rollback to: previous will refuse to use it. Pass the image (by digest).`,
      )
    const undone = this.extra.undoneId ?? record.undone?.id
    const draft: RecordDraft = {
      strategy: record.strategy,
      slot: record.slot,
      weights: record.weights,
      previous: { slot: record.previous },
      ...(record.strategy === 'canary' ? { stable: otherSlot(record.slot) } : {}),
      ...(undone === undefined ? {} : { rolled_back_id: undone }),
      ...(record.restored ? { restored_deployment_id: record.restored.id } : {}),
      ...(record.restored?.image ? { image: record.restored.image } : {}),
      ...(record.unreached
        ? {
            unreached: record.unreached.map((u) => ({
              router: u.router,
              error: u.error,
              ...(u.lastRead ? { last_read: u.lastRead.weights, last_read_at: u.lastRead.at } : {}),
            })),
          }
        : {}),
      ...(this.extra.reason || record.reason
        ? { reason: (this.extra.reason || record.reason) as string }
        : {}),
    }
    await this.writer.start(draft, {
      ...(record.strategy === 'rollback' ? { afterTraffic: true } : {}),
      ...(record.restored ? { ref: record.restored.sha } : {}),
    })
  }

  progress(description: string): Promise<void> {
    return this.writer.progress(description)
  }

  /** success / failure end the record; held leaves it in progress with a status saying so. */
  async end(outcome: RecordOutcome): Promise<void> {
    if (outcome.outcome === 'held') await this.writer.progress(outcome.description)
    else await this.writer.finish(outcome.outcome, outcome.description)
  }

  /**
   * Ends a release's record that a rollback found never went live (nothing moved). A record that
   * already ended (a canary that rolled itself back ended its own as failure) is left as it is,
   * and the log says so: there is nothing to mark.
   */
  async failUndone(
    id: number,
    why: string,
    history?: DeploymentHistory | { unavailable: string },
  ): Promise<void> {
    const known = history && !('unavailable' in history) ? await stateOf(id, history) : undefined
    if (known && ENDED.includes(known.state)) {
      this.log.info(
        `records: deployment ${id} already ended ${known.state}${known.statusDescription ? ` ("${known.statusDescription}")` : ''}: nothing to mark`,
      )
      return
    }
    try {
      if (!(await this.writer.continue(id))) return
      await this.writer.finish('failure', `aborted; ${why}`)
    } catch (e) {
      this.log.warning(`records: deployment ${id} could not be marked failure: ${errorMessage(e)}`)
    }
  }

  /** Runs `step`; a throw ends the record (DeploymentFailed: failure, anything else: error). */
  async around<T>(
    step: () => Promise<T>,
    judge: (result: T) => RecordOutcome | undefined,
  ): Promise<T> {
    let result: T
    try {
      result = await step()
    } catch (e) {
      // A mistake in this step's inputs says nothing about a release an earlier job started.
      if (!(e instanceof ConfigurationError && this.continued))
        await this.writer.finish(
          e instanceof DeploymentFailed ? 'failure' : 'error',
          errorMessage(e),
        )
      throw e
    }
    const outcome = judge(result)
    if (outcome) await this.end(outcome)
    return result
  }
}

/** States a deployment does not leave: marking it failure again would say nothing new. */
const ENDED = ['failure', 'error', 'inactive', 'success']

/** `id`'s record as history reads it (newest first: stops once past it), or undefined. */
async function stateOf(
  id: number,
  history: DeploymentHistory,
): Promise<DeploymentRecord | undefined> {
  try {
    let looked = 0
    for await (const r of history.records()) {
      if (r.id === id) return r
      if (r.id < id || ++looked >= 100) return undefined
    }
  } catch {
    // Unknown: the write below says what happened.
  }
  return undefined
}

/**
 * History for rollback: reads need a token even with `record: false`. It shares the run's one
 * GitHub connection and time budget with the writer (packages/records opens one per run).
 */
export function openHistory(
  settings: RecordSettings,
  context: GitHubContext,
  router: Router,
  log: Log,
): DeploymentHistory | { unavailable: string } {
  if (!settings.token) return { unavailable: 'no token was given (the `token` input is empty)' }
  return openDeploymentHistory(settings, context, {
    router: { type: router.type, name: router.name },
    log,
  })
}

/**
 * The settings of a rollback record a traffic step writes besides its own (a canary that put
 * stable back): a new deployment, so no deployment-id, and no image of the step's release (the
 * record names the release stable holds, when the records know it).
 */
export function rollbackRecordSettings(settings: RecordSettings): RecordSettings {
  const copy = { ...settings }
  delete copy.deploymentId
  delete copy.image
  return copy
}
