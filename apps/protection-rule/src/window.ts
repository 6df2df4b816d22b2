/**
 * The walk a pause belongs to, from cutover's own deployment records (packages/records): the
 * service's newest canary record in its environment at the event's commit, and its newest
 * statuses, from which judge.walkWindow derives the window. Nothing is stored by the service:
 * after a restart the same reads give the same window.
 */
import { ABORT_STATUSES_READ } from '../../../packages/records/abort.js'
import {
  GitHubHistory,
  type DeploymentRecord,
  type DeploymentsApi,
} from '../../../packages/records/index.js'
import type { Slot } from '../../../packages/domain/index.js'
import { walkWindow, type WalkWindow } from './judge.js'

/** How many of the service's newest records are looked through for the walk. */
export const WALK_LOOKUP = 30

export interface Walk {
  record: DeploymentRecord | undefined
  window: WalkWindow
}

export async function readWalk(
  api: DeploymentsApi,
  where: { repository: string; service: string; environment: string; sha: string },
  pauseMs: number,
): Promise<Walk> {
  const history = new GitHubHistory(
    async () => api,
    {
      environment: where.environment,
      service: where.service,
      router: { type: 'unknown', name: 'unknown' },
    },
    where.repository,
  )
  let looked = 0
  for await (const r of history.records()) {
    if (r.sha === where.sha && r.payload.strategy === 'canary') {
      const statuses = await api.statuses(r.id, ABORT_STATUSES_READ)
      return { record: r, window: walkWindow(statuses, pauseMs) }
    }
    if (++looked >= WALK_LOOKUP) break
  }
  return {
    record: undefined,
    window: {
      kind: 'stop',
      reason: `no canary walk of ${where.service} at ${where.sha.slice(0, 12)} among the ${looked} newest record(s) in environment ${where.environment} (is 'service'/'environment' in .github/cutover.yml the walk's?)`,
    },
  }
}

/** The walk's deployment statuses again (newest first), for the watch while the gate measures. */
export async function rereadWindow(
  api: DeploymentsApi,
  deploymentId: number,
  pauseMs: number,
): Promise<WalkWindow> {
  return walkWindow(await api.statuses(deploymentId, ABORT_STATUSES_READ), pauseMs)
}

/** The slots the gate's {{canary}} and {{stable}} name: from the walk's record. */
export function slotsOf(record: DeploymentRecord): { canary: Slot; stable: Slot } {
  const canary = record.payload.slot
  const stable = record.payload.stable ?? (canary === 'blue' ? 'green' : 'blue')
  return { canary, stable }
}
