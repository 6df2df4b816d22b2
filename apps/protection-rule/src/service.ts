/**
 * The protection-rule service: POST /webhook receives deployment_protection_rule deliveries
 * (signature checked first, replays and unknown events refused), GET /healthz says whether it
 * serves. Each admitted delivery is judged in the background: the repository's
 * .github/cutover.yml at the event's commit, the walk's window from cutover's records, the gate
 * over what is left of the window, then one answer through the callback GitHub gave. Nothing is
 * stored: on start it recovers the runs still waiting from the App's recent deliveries, and on
 * close it answers what is decided and leaves the rest for that recovery, never half-answered.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { errorMessage } from '../../../packages/action-kit/index.js'
import { sleep } from '../../../packages/action-kit/util.js'
import {
  gateReport,
  runAnalysis,
  type AnalysisResult,
  type Measurement,
} from '../../../packages/gate/index.js'
import { format } from '../../../packages/gate/analysis.js'
import { createApp, DEFAULT_GITHUB_URL, Installation, recentDeliveries } from './github.js'
import {
  admitDelivery,
  decide,
  EVENT,
  inline,
  judgementKey,
  pickRecoveries,
  planLooks,
  progressDue,
  scheduleWait,
  stepName,
  readEvent,
  stillPending,
  type Decision,
  type ProtectionRuleEvent,
  type WalkWindow,
} from './judge.js'
import { createLogger, stdoutSink } from './log.js'
import {
  CONFIG_PATH,
  readPauseConfig,
  type PauseConfig,
  type PrometheusAuth,
} from './repo-config.js'
import { BodyError, header, readBody, sendJson } from './webhook.js'
import { readWalk, rereadWindow, slotsOf } from './window.js'

export interface ServiceOptions {
  /** 0 = any free port */
  port: number
  /** default 0.0.0.0 in main.ts; tests pass 127.0.0.1 */
  host?: string
  appId: number | string
  /** PEM (PKCS#1 or PKCS#8) */
  privateKey: string
  webhookSecret: string
  /** API base, default https://api.github.com */
  githubUrl?: string
  /** Secret, never logged. */
  prometheusAuth?: PrometheusAuth
  /** Structured log sink; default one JSON line per entry on stdout. */
  log?: (entry: Record<string, unknown>) => void
  /** default true: on start resume judgements of runs still waiting */
  recover?: boolean
  timeouts?: { githubMs?: number; prometheusMs?: number }
  /**
   * How often a judgement re-reads the run and the walk while the gate measures (default 15 s):
   * a cancelled run stops the judgement, an aborted or ended walk is rejected at once.
   */
  watchMs?: number
  /** A progress comment every this many looks (default 6), besides the one when measuring starts. */
  progressEvery?: number
}

export interface RunningService {
  url: string
  /** Graceful: stops admitting deliveries, answers what is decided, leaves the rest for recovery. */
  close(): Promise<void>
}

export const DEFAULT_TIMEOUTS = { githubMs: 10_000, prometheusMs: 10_000 }
/** How many of the App's newest deliveries recovery looks through. */
export const RECOVERY_LOOKUP = 300
/** Delivery ids remembered against replays (the oldest are forgotten first). */
export const SEEN_LIMIT = 10_000
/** The longest comment sent with a review. */
export const COMMENT_LIMIT = 60_000
/** Sends of one answer at most (each after confirming the pause is still pending). */
export const ANSWER_ATTEMPTS = 3
/** Measurements shown in the final comment (the newest). */
const SHOWN_MEASUREMENTS = 30

interface Judgement {
  stop: AbortController
  done: Promise<void>
}

export async function startService(options: ServiceOptions): Promise<RunningService> {
  const log = createLogger(options.log ?? stdoutSink)
  const apiUrl = (options.githubUrl ?? DEFAULT_GITHUB_URL).replace(/\/+$/, '')
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts }
  const watchMs = options.watchMs ?? 15_000
  const progressEvery = options.progressEvery ?? 6
  const app = createApp({
    appId: options.appId,
    privateKey: options.privateKey,
    webhookSecret: options.webhookSecret,
    apiUrl,
    timeoutMs: timeouts.githubMs,
    log,
  })
  const seen = new Set<string>()
  const judging = new Map<string, Judgement>()
  let draining = false

  const remember = (id: string) => {
    seen.add(id)
    if (seen.size > SEEN_LIMIT) seen.delete(seen.values().next().value as string)
  }

  /** Starts judging an event unless its pause (the run's environment and job deployment) is judged already. */
  const start = (event: ProtectionRuleEvent, delivery: string, source: string): boolean => {
    const key = judgementKey(event)
    if (judging.has(key) || draining) return false
    const stop = new AbortController()
    const done = judge(event, delivery, source, stop.signal).catch((e: unknown) =>
      log('error', 'judgement failed unexpectedly', { delivery, error: errorMessage(e) }),
    )
    judging.set(key, { stop, done })
    void done.finally(() => judging.delete(key))
    return true
  }

  async function judge(
    event: ProtectionRuleEvent,
    delivery: string,
    source: string,
    stopping: AbortSignal,
  ): Promise<void> {
    const jlog = log.with({
      delivery,
      repository: event.repository,
      run: event.runId,
      environment: event.environment,
    })
    const gh = new Installation(app, event.installationId, {
      apiUrl,
      timeoutMs: timeouts.githubMs,
      log,
    })
    jlog('info', 'judging the pause', { source, sha: event.sha, deployment: event.deploymentId })
    // What was judged, for the check before anything is posted (set once the walk is read).
    let judged: WalkWindow | undefined = undefined
    let walkRecord: number | undefined = undefined
    let pauseMs = 0
    /**
     * Is the pause this judgement is about still the one the run waits on? The callback names
     * only the run and the environment: without this, a late or duplicate answer for pause k
     * would answer pause k+1 unjudged.
     */
    const confirm = async (answer: 'approve' | 'reject' | 'comment') => {
      let run: string | undefined
      let newest: number | null | undefined
      let now: WalkWindow | undefined
      try {
        run = await gh.runStatus(event.owner, event.repo, event.runId)
        if (event.deploymentId !== undefined)
          newest = await gh.newestDeployment(event.owner, event.repo, event.deploymentId)
        if (judged?.kind === 'window' && walkRecord !== undefined)
          now = await rereadWindow(gh.deployments(event.owner, event.repo), walkRecord, pauseMs)
      } catch (e) {
        return {
          ok: false as const,
          why: `the run, its deployments or the walk could not be read again (${errorMessage(e)})`,
        }
      }
      return stillPending({
        run,
        eventDeployment: event.deploymentId,
        newestDeployment: newest,
        judged,
        now,
        answer,
      })
    }
    let progress: Promise<void> = Promise.resolve()
    const comment = (text: string) => {
      progress = progress.then(async () => {
        try {
          const current = await confirm('comment')
          if (!current.ok) return jlog('warn', 'progress comment not posted', { why: current.why })
          await gh.review(event.callbackUrl, event.environment, clip(text))
          jlog('info', 'progress comment posted')
        } catch (e) {
          jlog('warn', 'progress comment not posted', { error: errorMessage(e) })
        }
      })
    }
    const act = async (decision: Decision, text?: string) => {
      if (decision.do === 'measure') return
      // A progress comment still on its way goes first (and is waited for on shutdown too).
      await progress
      if (decision.do === 'ignore' || decision.do === 'leave') {
        jlog('info', decision.why, { decision: decision.do })
        return
      }
      const state = decision.do === 'approve' ? 'approved' : 'rejected'
      const body = clip(
        text ??
          (decision.do === 'reject'
            ? `❌ Rejected by cutover's gate: ${inline(decision.why)}.`
            : "✅ Approved by cutover's gate."),
      )
      for (let attempt = 1; ; attempt++) {
        const current = await confirm(decision.do)
        if (!current.ok) {
          jlog('warn', `nothing answered: ${current.why}`, { decision: decision.do })
          return
        }
        try {
          await gh.review(event.callbackUrl, event.environment, body, state)
          jlog('info', `pause ${state}`, {
            decision: decision.do,
            ...(decision.do === 'reject' ? { why: decision.why } : {}),
          })
          return
        } catch (e) {
          const status = (e as { status?: number }).status
          // GitHub refused it (4xx): sending it again changes nothing. Otherwise its fate is
          // unknown: it is sent again only after the pause is confirmed pending again.
          if (
            attempt >= ANSWER_ATTEMPTS ||
            (status !== undefined && status >= 400 && status < 500)
          ) {
            jlog('error', `the ${state} review was not accepted by GitHub`, {
              error: errorMessage(e),
            })
            return
          }
          jlog(
            'warn',
            `the ${state} review may not have reached GitHub; checking the pause again`,
            {
              error: errorMessage(e),
              attempt,
            },
          )
          await sleep(1000 * attempt)
        }
      }
    }

    let run: string | undefined
    try {
      run = await gh.runStatus(event.owner, event.repo, event.runId)
    } catch (e) {
      jlog('warn', 'the run could not be read', { error: errorMessage(e) })
    }
    let decision = decide({ run, stopping: stopping.aborted })
    if (decision.do !== 'measure') return act(decision)

    let config: PauseConfig
    try {
      const text = await gh.fileText(event.owner, event.repo, CONFIG_PATH, event.sha)
      if (text === undefined)
        return act({
          do: 'reject',
          why: `${event.repository} has no ${CONFIG_PATH} at ${event.sha.slice(0, 12)}, so nothing says how to judge environment "${event.environment}"`,
        })
      config = readPauseConfig(
        text,
        event.environment,
        options.prometheusAuth ?? {},
        timeouts.prometheusMs,
      )
    } catch (e) {
      return act({ do: 'reject', why: errorMessage(e).replace(/\.+$/, '') })
    }

    const api = gh.deployments(event.owner, event.repo)
    let walk: Awaited<ReturnType<typeof readWalk>>
    try {
      walk = await readWalk(
        api,
        {
          repository: event.repository,
          service: config.service,
          environment: config.environment,
          sha: event.sha,
        },
        config.pauseMs,
      )
    } catch (e) {
      return act({
        do: 'reject',
        why: `the walk's records could not be read: ${errorMessage(e).replace(/\.+$/, '')}`,
      })
    }
    judged = walk.window
    walkRecord = walk.record?.id
    pauseMs = config.pauseMs
    decision = decide({ run, walk: walk.window, stopping: stopping.aborted })
    if (decision.do !== 'measure' || walk.window.kind !== 'window' || !walk.record)
      return act(decision)
    const window = walk.window
    const record = walk.record

    let bound
    try {
      bound = config.gate.bind(slotsOf(record))
    } catch (e) {
      return act({ do: 'reject', why: `the gate cannot be bound to the walk: ${errorMessage(e)}` })
    }
    const plan = planLooks(window, Date.now(), bound.settings.interval)
    const settings = { ...bound.settings, ...plan }
    const what = `${config.service} ${inline(stepName(window))} in ${config.environment}`
    const span = `${iso(window.start)} – ${iso(window.end)}`
    jlog('info', 'measuring', {
      service: config.service,
      deployment: record.id,
      weight: window.weight,
      windowStart: iso(window.start),
      windowEnd: iso(window.end),
      looks: plan.count,
      intervalMs: settings.interval,
    })
    comment(
      `⏳ cutover's gate is measuring ${what} (deployment ${record.id}) over the pause ${span}: ${plan.count} look(s) ${Math.round(settings.interval / 1000)} s apart. A failing look rejects at once; only a pass approves.`,
    )

    // The watch: the run (cancelled, approved by hand) and the walk (aborted, ended) while measuring.
    const analysis = new AbortController()
    const onStop = () => analysis.abort()
    stopping.addEventListener('abort', onStop, { once: true })
    let interrupt: Decision | undefined
    let watching = false
    const watch = setInterval(() => {
      if (watching) return // the previous look is still waiting on GitHub
      watching = true
      void (async () => {
        try {
          const [nowRun, nowWalk]: [string, WalkWindow] = await Promise.all([
            gh.runStatus(event.owner, event.repo, event.runId),
            rereadWindow(api, record.id, config.pauseMs),
          ])
          const d = decide({ run: nowRun, walk: nowWalk.kind === 'stop' ? nowWalk : window })
          if (d.do !== 'measure' && !interrupt) {
            interrupt = d
            analysis.abort()
          }
        } catch (e) {
          jlog('warn', 'the watch could not read the run or the walk; the gate goes on', {
            error: errorMessage(e),
          })
        } finally {
          watching = false
        }
      })()
    }, watchMs)
    let result: AnalysisResult
    try {
      result = await runAnalysis(bound.source, bound.checks, settings, jlog.asLog(), {
        signal: analysis.signal,
        sleep: scheduledSleep(),
        onRound: (round, index) => {
          if (progressDue(index, progressEvery) && !analysis.signal.aborted)
            comment(
              `⏳ ${what}: look ${index + 1} of at least ${plan.count}: ${round.map(look).join('; ')}`,
            )
        },
      })
    } finally {
      clearInterval(watch)
      stopping.removeEventListener('abort', onStop)
    }
    if (interrupt) return act(interrupt)
    // Cut short by a shutdown: only a failure already seen is an answer; anything else is left.
    const verdict =
      analysis.signal.aborted && result.verdict !== 'fail' ? undefined : result.verdict
    decision = decide({ run: 'waiting', walk: window, verdict, stopping: stopping.aborted })
    jlog('info', 'gate decided', { verdict: verdict ?? 'none', reason: result.reason })
    if (decision.do === 'approve' || decision.do === 'reject') {
      // The report's words from outside (check names from the file, Prometheus's errors) as one
      // escaped line each: they cannot pass for the verdict line or mention anyone.
      const shown = {
        ...result,
        reason: inline(result.reason, 2000),
        measurements: result.measurements.slice(-SHOWN_MEASUREMENTS).map((m) => ({
          ...m,
          check: inline(m.check, 100),
          ...(m.message === undefined ? {} : { message: inline(m.message) }),
        })),
      }
      const title = `cutover's gate on ${what} (deployment ${record.id}, pause ${span})`
      const verdictLine =
        decision.do === 'approve'
          ? '✅ Approved: the gate passed over the pause.'
          : `❌ Rejected: ${inline(decision.why)}.`
      return act(decision, `${verdictLine}\n\n${gateReport(shown, title)}`)
    }
    return act(decision)
  }

  const server = createServer((req, res) => {
    void route(req, res).catch((e: unknown) => {
      log('error', 'request failed', { error: errorMessage(e) })
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error' })
      else res.destroy()
    })
  })
  server.requestTimeout = 30_000
  server.headersTimeout = 15_000

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0]
    if (path === '/healthz' && (req.method === 'GET' || req.method === 'HEAD'))
      return sendJson(res, draining ? 503 : 200, {
        status: draining ? 'draining' : 'ok',
        judging: judging.size,
      })
    if (path !== '/webhook')
      return sendJson(res, 404, { error: 'not found: POST /webhook, GET /healthz' })
    if (req.method !== 'POST') return sendJson(res, 405, { error: 'POST only' })
    const deliveryId = header(req, 'x-github-delivery')
    const eventName = header(req, 'x-github-event')
    const dlog = log.with({ delivery: deliveryId ?? null, event: eventName ?? null })
    let raw: Buffer
    try {
      raw = await readBody(req)
    } catch (e) {
      const status = e instanceof BodyError ? e.status : 400
      dlog('warn', 'delivery refused', { status, why: errorMessage(e) })
      return sendJson(res, status, { error: errorMessage(e) })
    }
    const signature = header(req, 'x-hub-signature-256')
    const text = raw.toString('utf8')
    let valid = false
    if (signature && !draining)
      valid = await app.webhooks.verify(text, signature).catch(() => false)
    const admission = admitDelivery({
      draining,
      signature: signature === undefined ? 'missing' : valid ? 'valid' : 'invalid',
      event: eventName,
      deliveryId,
      seen: deliveryId !== undefined && seen.has(deliveryId),
    })
    if (!admission.judge) {
      dlog(admission.status >= 400 ? 'warn' : 'info', admission.message, {
        status: admission.status,
      })
      return sendJson(res, admission.status, { message: admission.message })
    }
    remember(deliveryId!)
    let event: ProtectionRuleEvent
    try {
      event = readEvent(JSON.parse(text), apiUrl)
    } catch (e) {
      dlog('warn', 'delivery refused: the event is not one this service judges', {
        status: 400,
        why: errorMessage(e),
      })
      return sendJson(res, 400, { error: errorMessage(e) })
    }
    const started = start(event, deliveryId!, 'webhook')
    const message = started ? admission.message : 'accepted: this pause is being judged already'
    dlog('info', message, {
      status: 202,
      repository: event.repository,
      run: event.runId,
      environment: event.environment,
    })
    return sendJson(res, 202, { message })
  }

  async function recover(): Promise<void> {
    try {
      const deliveries = await recentDeliveries(app, EVENT, RECOVERY_LOOKUP, log, () => draining)
      for (const d of deliveries) remember(d.guid)
      const { resume, skipped } = pickRecoveries(deliveries, apiUrl)
      for (const s of skipped)
        log('warn', 'recovery: a delivery is not one this service judges', {
          delivery: s.guid,
          why: s.why,
        })
      // Each judgement first asks whether its run still waits: one that does not is left alone.
      const judged = resume.filter((r) => start(r.event, r.guid, 'recovery')).length
      log('info', 'recovery: looked at the recent deliveries', {
        deliveries: deliveries.length,
        judged,
      })
    } catch (e) {
      log(
        'error',
        "recovery: the App's recent deliveries could not be read; waiting runs are judged again only when GitHub delivers again",
        { error: errorMessage(e) },
      )
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host ?? '0.0.0.0', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address() as AddressInfo
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
  const url = `http://${host}:${address.port}`
  log('info', 'listening', { url, github: apiUrl, appId: String(options.appId) })
  const recovering = options.recover === false ? Promise.resolve() : recover()

  let closing: Promise<void> | undefined
  return {
    url,
    close() {
      closing ??= (async () => {
        draining = true
        log(
          'info',
          'shutting down: no new deliveries; in-flight judgements are answered or left for recovery',
          {
            judging: judging.size,
          },
        )
        await recovering
        const open = [...judging.values()]
        for (const j of open) j.stop.abort()
        await Promise.allSettled(open.map((j) => j.done))
        await new Promise<void>((resolve) => {
          server.close(() => resolve())
          server.closeIdleConnections()
        })
        log('info', 'stopped')
      })()
      return closing
    },
  }
}

/**
 * runAnalysis's wait on a fixed schedule: each wait ends `ms` after the previous one was due to
 * end, so the time each look's queries take does not push the looks past the window's end.
 */
export function scheduledSleep(now: () => number = Date.now) {
  let due: number | undefined
  return (ms: number, signal?: AbortSignal): Promise<void> => {
    const next = scheduleWait(due, ms, now())
    due = next.due
    return sleep(next.waitMs, signal)
  }
}

function look(m: Measurement): string {
  return `${inline(m.check, 100)} ${m.value === undefined ? '—' : format(m.value)} ${m.outcome}`
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

export function clip(text: string): string {
  if (text.length <= COMMENT_LIMIT) return text
  // Never half a surrogate pair (an emoji cut in two is not valid text for GitHub).
  const head = text.slice(0, COMMENT_LIMIT - 20).replace(/[\uD800-\uDBFF]$/, '')
  return `${head}\n\n… (cut short)`
}
