export * from './slots.js'
export * from './record.js'
