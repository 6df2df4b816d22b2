export * from './health.js'
export * from './blue-green.js'
export * from './move.js'
export * from './canary.js'
