/**
 * The runner-faithful harness lives in scripts/harness.ts (the demo and the bench run actions
 * with it too, and nothing under scripts/ imports from test/); tests import it from here.
 */
export * from '../scripts/harness.js'
