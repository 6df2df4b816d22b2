import { silentLog } from '../../packages/action-kit/index.js'
import { MemoryRouter } from '../../packages/router/index.js'
import { moveTraffic } from '../../packages/traffic/index.js'

/** A router whose write fails after moving part of the way, as a dropped connection could leave it. */
function halfBroken(readFails = false): MemoryRouter {
  const router = new MemoryRouter({ name: 'test', weights: { blue: 100, green: 0 } })
  router.failWrite = () => {
    router.weights = { blue: 50, green: 50 }
    if (readFails) router.failRead = new Error('connection refused')
    return new Error('connection reset')
  }
  return router
}

test('a failed write says where traffic is now', async () => {
  await expect(moveTraffic(halfBroken(), { blue: 0, green: 100 }, silentLog)).rejects.toThrow(
    'connection reset; traffic is now blue 50% / green 50%',
  )
})

test('when the router cannot even be read, the error says to check it by hand', async () => {
  await expect(moveTraffic(halfBroken(true), { blue: 0, green: 100 }, silentLog)).rejects.toThrow(
    'connection reset; the router could not be read afterwards either (connection refused): check memory router test by hand',
  )
})
