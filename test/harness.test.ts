/**
 * The harness itself, and action-kit's side of the runner protocol, through a fixture action:
 * the harness must treat file commands, workflow commands and masks as the runner does, or the
 * tests built on it prove nothing.
 */
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import {
  emulateRunner,
  expectNoSecret,
  findSecret,
  maskLine,
  parseFileCommands,
  parseWorkflowCommand,
  ROOT,
  runAction,
  runnerNode,
} from './harness.js'

const fixture = {
  actionsDir: join(ROOT, 'test/fixtures/actions'),
  nodeArgs: ['--import', pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href],
}

test('inputs, defaults with expressions, outputs over several lines, masking, groups, summary, env', async () => {
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
  expect(run.masks).toEqual(['s3cr3t-value'])
  const raw = run.unmasked.stdout
  expect(raw.indexOf('::add-mask::s3cr3t-value')).toBeGreaterThanOrEqual(0)
  expect(raw.indexOf('::add-mask::s3cr3t-value')).toBeLessThan(raw.indexOf('using s3cr3t-value'))
  expect(run.stdout).toContain('::group::Echo\nusing ***\n::endgroup::')
  expect(run.log).toContain('using ***')
  expect(run.log).not.toContain('s3cr3t-value')
  expect(run.warnings).toEqual(['100% careful,\nover two lines'])
  expect(run.annotations).toContainEqual({
    level: 'warning',
    title: 'Careful',
    message: '100% careful,\nover two lines',
  })
  expect(run.stdout).toContain('::warning title=Careful::100%25 careful,%0Aover two lines')
  // The runner masks the job summary too.
  expect(run.summary).toBe('### Echo\n\nsecret: ***\n')
  expect(run.unmasked.summary).toBe('### Echo\n\nsecret: s3cr3t-value\n')
  expect(JSON.parse(run.state.walk ?? '')).toEqual({ step: 2, stable: 'blue' })
  expect(run.env).toEqual({ ECHO_SEEN: 'yes' })
  expect(findSecret(run, 's3cr3t-value')).toEqual(['stdout', 'job summary'])
  expect(() => expectNoSecret(run, 's3cr3t-value')).toThrow(
    'the secret (12 characters) appears in: stdout, job summary',
  )
  expect(() => expectNoSecret(run, 'never-written')).not.toThrow()
})

test('bundles run on the Node the runner uses for runs.using: node24', async () => {
  expect(
    execFileSync(runnerNode('node24'), ['-p', 'process.versions.node'], { encoding: 'utf8' }),
  ).toMatch(/^24\./)
  expect(() => runnerNode('node18')).toThrow(/no Node 18 was found/)
  const run = await runAction('echo', fixture)
  expect(run.log).toMatch(/^node v24\./m)
})

test('a multi-line secret is masked line by line; a short one is not masked, with a warning', async () => {
  const key = '-----BEGIN KEY-----\nQUJDREVGR0hJSktM\nab\n-----END KEY-----'
  const multi = await runAction('echo', { ...fixture, inputs: { secret: key } })
  expect(multi.masks).toEqual(['-----BEGIN KEY-----', 'QUJDREVGR0hJSktM', '-----END KEY-----'])
  expect(multi.log).toContain('using ***\n***\nab\n***')
  expect(multi.warnings).toEqual([
    "1 of the 4 lines of the secret input 'secret' are shorter than 4 characters and not masked in the log: masking so short a value would hide every occurrence of those characters. Use a longer secret.",
    '100% careful,\nover two lines',
  ])

  const short = await runAction('echo', { ...fixture, inputs: { secret: '7' } })
  expect(short.masks).toEqual([])
  expect(short.warnings[0]).toMatch(/^The secret input 'secret' is shorter than 4 characters/)
  expect(short.annotations[0]?.title).toBe('Secret too short to mask')
  // The log keeps its digits: node v24.x.y stays readable.
  expect(short.log).toMatch(/^node v24\.\d+\.\d+$/m)
})

test('the harness masks as the runner does: later lines only, whole lines, every occurrence', () => {
  const runner = emulateRunner(
    [
      'before: hunter22',
      '::add-mask::hunter22',
      'after: hunter22 and hunter22',
      '::add-mask::two%0Alines',
      'two',
      '::add-mask::7',
      'version 1.27.3',
      '::add-mask::   ',
      '',
    ].join('\n'),
  )
  expect(runner.log).toBe(
    ['before: hunter22', 'after: *** and ***', 'two', 'version 1.2***.3', ''].join('\n'),
  )
  // A value with a line break never matches a line: the runner cannot mask it whole.
  expect(runner.masks).toEqual(['hunter22', 'two\nlines', '7'])
  expect(runner.annotations).toEqual([
    {
      level: 'warning',
      message: "Can't add secret mask for empty string in ##[add-mask] command.",
    },
  ])
  expect(maskLine('abcabc', ['abc', 'bca'])).toBe('***')
  expect(maskLine('token=a%2Fb "a/b"', ['a/b'])).toBe('token=*** "***"')
})

test('the harness parses commands as the runner does, stop-commands included', () => {
  expect(parseWorkflowCommand('  ::error title=T%3A1,file=x::m%0Aore')).toEqual({
    name: 'error',
    properties: { title: 'T:1', file: 'x' },
    data: 'm\nore',
  })
  expect(parseWorkflowCommand('log line ##[warning]legacy%3B%5D')).toEqual({
    name: 'warning',
    properties: {},
    data: 'legacy;]',
  })
  expect(parseWorkflowCommand('::unknown::x')).toBeUndefined()
  expect(parseWorkflowCommand('text ::error::x')).toBeUndefined()

  const runner = emulateRunner(
    [
      '::stop-commands::resume-token',
      '::add-mask::hidden',
      '::error::not an error',
      'hidden',
      '::resume-token::',
      '::error::an error',
      '',
    ].join('\n'),
  )
  expect(runner.masks).toEqual([])
  expect(runner.annotations).toEqual([{ level: 'error', message: 'an error' }])
  expect(runner.log).toBe('::add-mask::hidden\n::error::not an error\nhidden\n')
})

test('text from outside cannot issue workflow commands through any channel', async () => {
  const text = [
    'reason',
    '::add-mask::x',
    '::error::injected',
    '  ::stop-commands::pwned',
    '##[error]legacy',
    'tail ##[add-mask]ab',
  ].join('\n')
  const run = await runAction('echo', { ...fixture, inputs: { mode: 'hostile', text } })
  expect(run.exitCode).toBe(1)
  expect(run.masks).toEqual([])
  // Only the action's own annotations: the warning and the failure, each carrying the text.
  expect(run.annotations.map((a) => a.level)).toEqual(['warning', 'error'])
  const visible = (s: string) => s.replace(/\u200b/g, '')
  expect(visible(run.errors[0] ?? '')).toBe(text)
  expect(visible(run.warnings[0] ?? '')).toBe(text)
  expect(visible(run.annotations[0]?.title ?? '')).toBe(text)
  expect(run.debug.map(visible)).toContain(text)
  expect(visible(run.log)).toContain(`${text}\n`)
  expect(visible(run.log)).toContain('inside')
  // Commands after the text still work: nothing stopped them.
  expect(run.stdout).toMatch(/^::endgroup::$/m)
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
  ['throw-string', 'a plain string', undefined],
  ['throw-object', 'non-Error thrown: {"code":42}', undefined],
  ['throw-error', 'something broke', undefined],
  [
    'configuration',
    `Configuration error: Input 'mode' has the value "configuration"; allowed: ok.`,
    'Configuration error',
  ],
])('anything thrown (%s) fails the step with a useful message', async (mode, message, title) => {
  const run = await runAction('echo', { ...fixture, inputs: { mode } })
  expect(run.exitCode).toBe(1)
  expect(run.errors).toEqual([message])
  expect(run.annotations[0]?.title).toBe(title)
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
