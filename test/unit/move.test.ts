import { silentLog } from '../../packages/action-kit/index.js'
import type { Router, Weights } from '../../packages/router/index.js'
import { moveTraffic } from '../../packages/traffic/index.js'

/** A router whose write fails after moving part of the way, as a dropped connection could leave it. */
function halfBroken(readFails = false): Router {
  let weights: Weights = { blue: 100, green: 0 }
  return {
    describe: () => 'test router',
    read: async () => {
      if (readFails) throw new Error('connection refused')
      return weights
    },
    write: async () => {
      weights = { blue: 50, green: 50 }
      throw new Error('connection reset')
    },
  }
}

test('a failed write says where traffic is now', async () => {
  await expect(moveTraffic(halfBroken(), { blue: 0, green: 100 }, silentLog)).rejects.toThrow(
    'connection reset; traffic is now blue 50% / green 50%',
  )
})

test('when the router cannot even be read, the error says to check it by hand', async () => {
  await expect(moveTraffic(halfBroken(true), { blue: 0, green: 100 }, silentLog)).rejects.toThrow(
    'connection reset; the router could not be read afterwards either (connection refused): check test router by hand',
  )
})
