/**
 * Reading payloads back: cutover's schema 2 as is, schema 1 (before records had a service and a
 * router name) as the repository's service on a router named 'unknown'. Anything else is not
 * ours. A record's identity is its environment and service: the router it names is information
 * (which routers the change went through), never a key, so history survives a router added to or
 * removed from a list. Pure.
 */
import { PAYLOAD_SCHEMA, type RecordPayload } from '../domain/index.js'
import type { RecordScope, RouterIdentity } from './settings.js'

/** The router name schema-1 records are read with: they named routers by address only. */
export const UNKNOWN_ROUTER = 'unknown'

/** A stored payload as schema 2, or undefined when it is not a cutover record. */
export function readPayload(raw: unknown, repository: string): RecordPayload | undefined {
  if (typeof raw === 'string') {
    try {
      raw = JSON.parse(raw)
    } catch {
      return undefined
    }
  }
  const p = raw as Record<string, unknown> | null
  if (typeof p !== 'object' || p === null || p.tool !== 'cutover') return undefined
  if (p.schema === PAYLOAD_SCHEMA) {
    const router = p.router as Partial<RouterIdentity> | undefined
    if (typeof p.service !== 'string' || typeof router?.name !== 'string') return undefined
    return p as unknown as RecordPayload
  }
  if (p.schema === 1) {
    const { router, ...rest } = p as { router?: { type?: string } } & Record<string, unknown>
    return {
      ...(rest as Omit<RecordPayload, 'schema' | 'service' | 'router'>),
      schema: PAYLOAD_SCHEMA,
      service: repository.split('/')[1] ?? repository,
      router: { type: String(router?.type ?? 'unknown'), name: UNKNOWN_ROUTER },
    }
  }
  return undefined
}

/**
 * Whether a record is about this service (the environment is GitHub's filter and checked by the
 * caller). The routers it names do not matter: a record written through a pair counts when the
 * rollback goes through the surviving router alone, and records written before this rule (schema
 * 2 with any router, schema 1 on 'unknown') count as the service's.
 */
export function inScope(payload: RecordPayload, scope: Pick<RecordScope, 'service'>): boolean {
  return payload.service === scope.service
}
