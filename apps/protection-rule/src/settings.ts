/** The service's settings from the environment: secrets from a variable or a file (never shown). */
import { readFileSync } from 'node:fs'
import { errorMessage } from '../../../packages/action-kit/index.js'
import type { ServiceOptions } from './service.js'

export type Env = Record<string, string | undefined>

export class SettingsError extends Error {}

/** A setting from VAR or from the file VAR_FILE names (not both); the value is never shown. */
export function secretSetting(env: Env, name: string, required: boolean): string | undefined {
  const direct = env[name]
  const file = env[`${name}_FILE`]
  if (direct && file)
    throw new SettingsError(`${name} and ${name}_FILE are both set; allowed: one of them.`)
  if (file) {
    let text: string
    try {
      text = readFileSync(file, 'utf8')
    } catch (e) {
      throw new SettingsError(
        `${name}_FILE names ${JSON.stringify(file)}, which cannot be read: ${errorMessage(e)}`,
      )
    }
    const value = text.replace(/\r?\n$/, '')
    if (value === '')
      throw new SettingsError(`${name}_FILE names ${JSON.stringify(file)}, which is empty.`)
    return value
  }
  if (direct) return direct
  if (required) throw new SettingsError(`${name} (or ${name}_FILE) is required.`)
  return undefined
}

/** ServiceOptions from the environment; throws SettingsError naming the variable. */
export function settingsFrom(env: Env): ServiceOptions {
  const appId = env.CUTOVER_APP_ID?.trim()
  if (!appId || !/^\d{1,18}$/.test(appId))
    throw new SettingsError(
      `CUTOVER_APP_ID is ${appId ? JSON.stringify(appId.slice(0, 30)) : 'missing'}; allowed: the App's numeric id.`,
    )
  const privateKey = secretSetting(env, 'CUTOVER_APP_PRIVATE_KEY', true)!
  if (!/-----BEGIN (RSA )?PRIVATE KEY-----/.test(privateKey))
    throw new SettingsError(
      'CUTOVER_APP_PRIVATE_KEY is not a PEM private key (PKCS#1 "BEGIN RSA PRIVATE KEY" or PKCS#8 "BEGIN PRIVATE KEY"); value not shown.',
    )
  const webhookSecret = secretSetting(env, 'CUTOVER_WEBHOOK_SECRET', true)!
  const portText = env.PORT?.trim() || '3000'
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN
  if (!(port >= 0 && port <= 65535))
    throw new SettingsError(
      `PORT is ${JSON.stringify(portText.slice(0, 20))}; allowed: 0 to 65535.`,
    )
  const githubUrl = env.CUTOVER_GITHUB_URL?.trim() || undefined
  if (githubUrl !== undefined) {
    let ok = false
    try {
      const u = new URL(githubUrl)
      ok = (u.protocol === 'https:' || u.protocol === 'http:') && !u.username && !u.password
    } catch {
      ok = false
    }
    if (!ok)
      throw new SettingsError(
        `CUTOVER_GITHUB_URL is not an http(s) URL without credentials; allowed: GitHub's API base, e.g. https://api.github.com or https://github.example.com/api/v3.`,
      )
  }
  const bearerToken = secretSetting(env, 'PROMETHEUS_BEARER_TOKEN', false)
  const username = env.PROMETHEUS_USERNAME || undefined
  const password = secretSetting(env, 'PROMETHEUS_PASSWORD', false)
  if ((username === undefined) !== (password === undefined))
    throw new SettingsError(
      'PROMETHEUS_USERNAME and PROMETHEUS_PASSWORD(_FILE) go together; one is missing.',
    )
  if (bearerToken && username)
    throw new SettingsError(
      'PROMETHEUS_BEARER_TOKEN and PROMETHEUS_USERNAME/PASSWORD are both set; allowed: one of them.',
    )
  const origins = (env.PROMETHEUS_ALLOWED_URLS ?? '')
    .split(',')
    .map((u) => u.trim())
    .filter((u) => u !== '')
    .map((u) => {
      let url: URL | undefined
      try {
        url = new URL(u)
      } catch {
        url = undefined
      }
      if (!url || !['http:', 'https:'].includes(url.protocol) || url.username || url.password)
        throw new SettingsError(
          `PROMETHEUS_ALLOWED_URLS has ${url?.username || url?.password || /@/.test(u) ? 'a URL with credentials (value not shown)' : JSON.stringify(u.slice(0, 100))}; allowed: http(s) URLs without credentials, separated by commas (e.g. https://prometheus.internal:9090).`,
        )
      return url.origin
    })
  if ((bearerToken || username) && origins.length === 0)
    throw new SettingsError(
      "PROMETHEUS_ALLOWED_URLS is required with Prometheus credentials: the Prometheus URL comes from the repository's file, so the credentials go only to the origins listed here.",
    )
  const prometheusAuth = bearerToken
    ? { bearerToken, origins }
    : username
      ? { username, password, origins }
      : undefined
  return {
    port,
    host: env.HOST?.trim() || '0.0.0.0',
    appId,
    privateKey,
    webhookSecret,
    ...(githubUrl ? { githubUrl } : {}),
    ...(prometheusAuth ? { prometheusAuth } : {}),
  }
}
