/** The one way strategies change weights: write, and if that fails, say where traffic is now. */
import { errorMessage, type Log } from '../action-kit/index.js'
import { formatWeights, type Weights } from '../domain/index.js'
import { RouterError, type Router } from '../router/index.js'

export async function moveTraffic(router: Router, target: Weights, log: Log): Promise<Weights> {
  try {
    await router.write(target)
  } catch (e) {
    let where: string
    try {
      where = `traffic is now ${formatWeights(await router.read())}`
    } catch (readError) {
      where = `the router could not be read afterwards either (${errorMessage(readError)}): check ${router.describe()} by hand`
    }
    const message = errorMessage(e)
    // Providers often say where traffic is already; say it once.
    throw new RouterError(
      /traffic (is now|stays at)/.test(message) ? message : `${message}; ${where}`,
    )
  }
  const after = await router.read()
  log.info(`traffic now: ${formatWeights(after)}`)
  return after
}
