import {
  ConfigurationError,
  Inputs,
  parseBoolean,
  parseDuration,
  parseEnum,
  parseInteger,
  parsePercent,
} from '../../packages/action-kit/index.js'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

describe('parseDuration', () => {
  test.each([
    ['200ms', 200],
    ['30s', 30_000],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['1m30s', 90_000],
    ['1.5s', 1500],
    [' 5s ', 5000],
  ])('%j is %d ms', (text, ms) => expect(parseDuration('interval', text)).toBe(ms))

  test.each(['', '10', 's', '5 s', '5sec', '-1s', '1m 30s', 'abc', '1d'])(
    '%j is refused, naming the input',
    (text) => {
      expect(() => parseDuration('interval', text)).toThrow(ConfigurationError)
      expect(() => parseDuration('interval', text)).toThrow(
        /Input 'interval' has the value .* e\.g\. 200ms/,
      )
    },
  )
})

describe('parseBoolean: true or false, any letter case', () => {
  test.each([
    ['true', true],
    ['TRUE', true],
    ['False', false],
    ['false', false],
  ])('%j -> %s', (text, value) => expect(parseBoolean('dry-run', text)).toBe(value))
  test.each(['yes', '1', 'on', 't', 'truthy'])('%j is refused', (text) =>
    expect(() => parseBoolean('dry-run', text)).toThrow(
      /Input 'dry-run' has the value ".*"; allowed: true or false/,
    ),
  )
})

describe('numbers', () => {
  test('percent accepts 0..100 with or without %', () => {
    expect(parsePercent('weight', '0')).toBe(0)
    expect(parsePercent('weight', '25%')).toBe(25)
    expect(parsePercent('weight', '100')).toBe(100)
  })
  test.each(['150', '-1', 'abc', '2.5', ''])('percent %j is refused', (text) =>
    expect(() => parsePercent('weight', text)).toThrow(
      /Input 'weight' has the value .*whole percentage from 0 to 100/,
    ),
  )
  test('integer bounds', () => {
    expect(parseInteger('health-checks', '3', 1, 100)).toBe(3)
    expect(() => parseInteger('health-checks', '0', 1, 100)).toThrow(/from 1 to 100/)
    expect(() => parseInteger('health-checks', '1e3', 1, 100)).toThrow(ConfigurationError)
  })
  test('enum lists what is allowed', () => {
    expect(parseEnum('to', 'green', ['blue', 'green', 'idle'])).toBe('green')
    expect(() => parseEnum('to', 'purple', ['blue', 'green', 'idle'])).toThrow(
      `Input 'to' has the value "purple"; allowed: blue, green, idle.`,
    )
  })
})

describe('Inputs', () => {
  const inputs = (values: Record<string, string>, workspace?: string) =>
    new Inputs((n) => values[n] ?? '', workspace)

  test('required input missing', () => {
    expect(() => inputs({}).string('router', { required: true })).toThrow(
      `Input 'router' is required and was not given.`,
    )
  })
  test('defaults apply only when the input is empty', () => {
    const i = inputs({ a: '2m', b: '' })
    expect(i.duration('a', 1000)).toBe(120_000)
    expect(i.duration('b', 1000)).toBe(1000)
    expect(i.boolean('c', true)).toBe(true)
  })
  test('duration bounds name the input', () => {
    expect(() => inputs({ a: '10ms' }).duration('a', 1000, { min: 100, max: 60_000 })).toThrow(
      `Input 'a' has the value "10ms"; allowed: a duration from 100ms to 1m.`,
    )
  })
  test('yaml inline, from a file, and malformed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'inputs-'))
    writeFileSync(join(dir, 'router.yml'), 'type: haproxy\nbackend: web\n')
    const i = inputs(
      {
        inline: 'type: nginx\nupstream: web',
        file: 'router.yml',
        missing: 'nope.yaml',
        bad: 'type: [unclosed',
      },
      dir,
    )
    expect(i.yaml('inline')).toEqual({ type: 'nginx', upstream: 'web' })
    expect(i.yaml('file')).toEqual({ type: 'haproxy', backend: 'web' })
    expect(() => i.yaml('missing')).toThrow(
      /Input 'missing' names the file "nope.yaml", which cannot be read \(ENOENT\)/,
    )
    expect(() => i.yaml('bad')).toThrow(/Input 'bad': the value is not valid YAML/)
  })
})
