/** action-kit's hardening: quoted values capped, workflow commands neutralised, YAML-or-file inputs. */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  ConfigurationError,
  Inputs,
  MAX_YAML_BYTES,
  neutraliseCommands,
  parseYamlInput,
  quote,
} from '../../packages/action-kit/index.js'
import { emulateRunner, parseWorkflowCommand } from '../../scripts/harness.js'

describe('quote caps what an error message shows', () => {
  test.each([
    ['', '""'],
    ['a b', '"a b"'],
    ['x'.repeat(200), `"${'x'.repeat(200)}"`],
    ['x'.repeat(201), `"${'x'.repeat(200)}"…(1 more characters)`],
    ['y'.repeat(5000), `"${'y'.repeat(200)}"…(4800 more characters)`],
    [42, '42'],
    [{ a: 1 }, '{"a":1}'],
  ])('%j', (value, quoted) => expect(quote(value)).toBe(quoted))

  test('a cut never splits a surrogate pair, and a cyclic value still quotes', () => {
    expect(quote('x'.repeat(199) + '😀' + 'z')).toBe(`"${'x'.repeat(199)}"…(3 more characters)`)
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    expect(quote(cyclic)).toBe('[object Object]')
  })

  test('a long input value in an error is capped', () => {
    const huge = 'z'.repeat(10_000)
    expect(() => new Inputs(() => huge).boolean('dry-run', false)).toThrow(
      `has the value "${'z'.repeat(200)}"…(9800 more characters); allowed: true or false`,
    )
  })
})

describe('neutraliseCommands: text from outside never parses as a workflow command', () => {
  // Each of these is a command to the runner as written (the table proves the test can fail).
  const hostile = [
    '::add-mask::x',
    '::error::owned',
    '  ::stop-commands::pwned',
    '\t::warning title=t::w',
    '\u00a0::error::nbsp counts as leading whitespace',
    '\u0085::error::so does NEL for .NET',
    '::ERROR::commands are case-insensitive',
    '##[error]legacy form',
    'text before ##[add-mask]legacy anywhere in a line',
    '###[error]three hashes',
  ]
  test.each(hostile)('%j', (line) => {
    expect(parseWorkflowCommand(line)).toBeDefined()
    expect(parseWorkflowCommand(neutraliseCommands(line))).toBeUndefined()
  })

  test('in every line of a multi-line message, whatever the line break', () => {
    const message = `reason:\n${hostile.join('\n')}\r::add-mask::after-cr\r\n::error::after-crlf`
    const neutral = neutraliseCommands(message)
    const runner = emulateRunner(neutral + '\n')
    expect(runner.masks).toEqual([])
    expect(runner.annotations).toEqual([])
    expect(runner.log.split(/\r\n|\r|\n/).filter(Boolean)).toHaveLength(hostile.length + 3)
    // What a person reads is unchanged but for invisible zero-width spaces.
    expect(neutral.replace(/\u200b/g, '')).toBe(message)
  })

  test.each(['plain text', 'http://[::1]:8080/a::b', 'a :: b', '#[x]', 'rate(x[5m])'])(
    'leaves ordinary text alone: %j',
    (text) => expect(neutraliseCommands(text)).toBe(text),
  )
})

describe('Inputs.yaml: files stay in the workspace and never leak their content', () => {
  const setup = () => {
    const root = mkdtempSync(join(tmpdir(), 'inputs-ws-'))
    const workspace = join(root, 'workspace')
    mkdirSync(join(workspace, 'config'), { recursive: true })
    writeFileSync(join(workspace, 'config/router.yml'), 'type: haproxy\n')
    writeFileSync(join(root, 'outside.yml'), 'password: hunter2-outside\n')
    writeFileSync(join(workspace, 'secret.txt'), 'TOP-SECRET-CONTENT\n')
    writeFileSync(join(workspace, 'broken.yml'), 'key: "TOP-SECRET-CONTENT\n  other: [\n')
    writeFileSync(join(workspace, 'tagged.yml'), 'key: !TOP-SECRET-CONTENT x\n')
    symlinkSync(join(root, 'outside.yml'), join(workspace, 'link.yml'))
    symlinkSync(join(workspace, 'config/router.yml'), join(workspace, 'inner-link.yml'))
    symlinkSync(root, join(workspace, 'up'))
    return { root, workspace }
  }
  const read = (workspace: string, value: string) =>
    new Inputs((n) => (n === 'router' ? value : ''), workspace).yaml('router')
  const failure = (fn: () => unknown): ConfigurationError => {
    try {
      fn()
    } catch (e) {
      if (e instanceof ConfigurationError) return e
      throw e
    }
    throw new Error('expected a ConfigurationError')
  }

  test('a file inside, also through a symbolic link that stays inside', () => {
    const { workspace } = setup()
    expect(read(workspace, 'config/router.yml')).toEqual({ type: 'haproxy' })
    expect(read(workspace, join(workspace, 'config/router.yml'))).toEqual({ type: 'haproxy' })
    expect(read(workspace, 'inner-link.yml')).toEqual({ type: 'haproxy' })
  })

  test.each([
    ['../outside.yml', 'a relative path out'],
    ['link.yml', 'a symbolic link out'],
    ['up/outside.yml', 'a linked directory out'],
  ])('%j (%s) is refused, naming the input and the path, never the content', (value) => {
    const { root, workspace } = setup()
    const error = failure(() => read(workspace, value))
    expect(error.message).toContain(`Input 'router' names the file ${JSON.stringify(value)}`)
    expect(error.message).toContain(
      `resolves to "${join(root, 'outside.yml')}", outside the workspace`,
    )
    expect(error.message).not.toContain('hunter2')
  })

  test('an absolute path outside is refused', () => {
    const { root, workspace } = setup()
    expect(failure(() => read(workspace, join(root, 'outside.yml'))).message).toMatch(
      /outside the workspace/,
    )
  })

  test.each([
    ['secret.txt', /holds a single string, not a YAML mapping or list/],
    ['broken.yml', /the file "broken.yml" is not valid YAML: .* at line \d+, column \d+/],
    ['tagged.yml', /the file "tagged.yml" is not valid YAML: unknown tag … at line 1/],
  ])('%j: the error never shows the file content', (value, message) => {
    const { workspace } = setup()
    const error = failure(() => read(workspace, value))
    expect(error.message).toMatch(message)
    expect(error.message).not.toContain('TOP-SECRET')
  })

  test('a file over 1 MiB is refused before it is parsed', () => {
    const { workspace } = setup()
    writeFileSync(join(workspace, 'big.yml'), `a: "${'x'.repeat(MAX_YAML_BYTES)}"\n`)
    expect(failure(() => read(workspace, 'big.yml')).message).toMatch(
      /names the file "big.yml", which is \d+ bytes long; allowed: at most 1048576 bytes/,
    )
  })
})

describe('YAML alias bombs are refused before they expand', () => {
  const laughs = (levels: number, width: number) => {
    const lines = ['a0: &a0 "lol"']
    for (let l = 1; l <= levels; l++)
      lines.push(`a${l}: &a${l} [${Array.from({ length: width }, () => `*a${l - 1}`).join(', ')}]`)
    return lines.join('\n')
  }

  test('the billion laughs (9 levels of 10: 90 aliases, 10^9 values)', () => {
    expect(() => parseYamlInput('router', laughs(9, 10), 'the value')).toThrow(
      /Input 'router': the value expands to more than 100000 values; allowed: at most 100 aliases and 100000 values once aliases are expanded/,
    )
  })

  test('many aliases, each small', () => {
    const text = ['base: &b {x: 1}', 'list:', ...Array.from({ length: 101 }, () => '  - *b')].join(
      '\n',
    )
    expect(() => parseYamlInput('router', text, 'the value')).toThrow(/uses more than 100 aliases/)
  })

  test('an alias inside the value it names', () => {
    expect(() => parseYamlInput('router', '&a [*a]', 'the value')).toThrow(
      /has an alias inside the value it refers to/,
    )
  })

  test('ordinary aliases still work', () => {
    expect(parseYamlInput('router', 'a: &s {w: 1}\nb: *s\nc: [*s, *s]', 'the value')).toEqual({
      a: { w: 1 },
      b: { w: 1 },
      c: [{ w: 1 }, { w: 1 }],
    })
  })

  test('an inline value over 1 MiB is refused', () => {
    expect(() => parseYamlInput('router', 'x'.repeat(MAX_YAML_BYTES + 1), 'the value')).toThrow(
      /is 1048577 characters long; allowed: at most 1048576/,
    )
  })
})
