export * from './config.js'
export * from './payload.js'
export * from './send.js'
