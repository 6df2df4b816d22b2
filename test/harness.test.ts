/** The harness itself, and action-kit's side of the runner protocol, through a fixture action. */
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseFileCommands, ROOT, runAction } from './harness.js'

const fixture = {
  actionsDir: join(ROOT, 'test/fixtures/actions'),
  nodeArgs: ['--import', pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href],
}

test('inputs, defaults with expressions, outputs over several lines, masking, groups, summary', async () => {
  const run = await runAction('echo', {
    ...fixture,
    inputs: { secret: 's3cr3t-value' },
    token: 'ghs_token',
  })
  expect(run.exitCode).toBe(0)
  expect(run.outputs).toEqual({
    multiline: 'first\nsecond',
    greeting: 'hello from action.yml',
    token: 'ghs_token',
  })
  // The mask command comes before the first use, so the runner hides the value in that line.
  const mask = run.stdout.indexOf('::add-mask::s3cr3t-value')
  expect(mask).toBeGreaterThanOrEqual(0)
  expect(mask).toBeLessThan(run.stdout.indexOf('using s3cr3t-value'))
  expect(run.stdout).toContain('::group::Echo\nusing s3cr3t-value\n::endgroup::')
  expect(run.warnings).toEqual(['100% careful,\nover two lines'])
  expect(run.stdout).toContain('::warning::100%25 careful,%0Aover two lines')
  expect(run.summary).toBe('### Echo\n')
  expect(JSON.parse(run.state.walk ?? '')).toEqual({ step: 2, stable: 'blue' })
})

test('post runs with the state main saved, as STATE_* variables', async () => {
  const main = await runAction('echo', fixture)
  const post = await runAction('echo', { ...fixture, phase: 'post', state: main.state })
  expect(post.exitCode).toBe(0)
  expect(post.log).toContain('post sees state {"step":2,"stable":"blue"}')
  const alone = await runAction('echo', { ...fixture, phase: 'post' })
  expect(alone.log).toContain('post sees state (none)')
})

test.each([
  ['throw-string', 'a plain string'],
  ['throw-object', 'non-Error thrown: {"code":42}'],
  ['throw-error', 'something broke'],
  [
    'configuration',
    `Configuration error: Input 'mode' has the value "configuration"; allowed: ok.`,
  ],
])('anything thrown (%s) fails the step with a useful message', async (mode, message) => {
  const run = await runAction('echo', { ...fixture, inputs: { mode } })
  expect(run.exitCode).toBe(1)
  expect(run.errors).toEqual([message])
  expect(run.outputs).toEqual({})
})

test('runner files: heredoc and key=value entries', () => {
  expect(parseFileCommands('a<<EOF_1\nx\ny\nEOF_1\nb=1\n\nc<<D\n\nD\n')).toEqual({
    a: 'x\ny',
    b: '1',
    c: '',
  })
  expect(() => parseFileCommands('a<<EOF\nno end\n')).toThrow('no closing EOF for a')
})
