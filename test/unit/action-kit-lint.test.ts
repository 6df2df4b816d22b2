/** The layer rules are lint errors: only action-kit imports @actions/core, only packages/exec runs processes. */
import { join } from 'node:path'
import { ESLint } from 'eslint'
import { ROOT } from '../../scripts/harness.js'

const eslint = new ESLint({ cwd: ROOT })

async function problems(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, file) })
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax')
    .map((m) => m.message)
}

const core = `import * as core from '@actions/core'\nexport const f = core.info\n`
const childProcess = `import { spawn } from 'node:child_process'\nexport const f = spawn\n`
const bareChildProcess = `import { spawn } from 'child_process'\nexport const f = spawn\n`
const exec = `import { exec } from '@actions/exec'\nexport const f = exec\n`
const dynamic = `export const f = () => import('node:child_process')\n`
const dynamicCore = `export const f = () => import('@actions/core')\n`

test.each<[string, string, string, RegExp]>([
  ['packages/router/x.ts', '@actions/core', core, /only packages\/action-kit speaks/],
  ['packages/router/x.ts', 'import(@actions/core)', dynamicCore, /only packages\/action-kit/],
  ['actions/rollback/x.ts', '@actions/core', core, /only packages\/action-kit/],
  ['packages/exec/x.ts', '@actions/core', core, /only packages\/action-kit/],
  ['packages/router/x.ts', 'node:child_process', childProcess, /through packages\/exec/],
  ['packages/image/x.ts', 'child_process', bareChildProcess, /through packages\/exec/],
  ['packages/image/x.ts', '@actions/exec', exec, /through packages\/exec/],
  ['packages/router/x.ts', 'import(node:child_process)', dynamic, /through packages\/exec/],
  ['packages/action-kit/x.ts', 'node:child_process', childProcess, /through packages\/exec/],
])('%s: %s is refused', async (file, _name, code, message) => {
  expect(await problems(file, code)).toEqual([expect.stringMatching(message)])
})

test.each([
  ['packages/action-kit/x.ts', '@actions/core', core],
  ['packages/exec/x.ts', 'node:child_process', childProcess],
  ['packages/exec/x.ts', '@actions/exec', exec],
  ['scripts/x.ts', 'node:child_process', childProcess],
])('%s: %s is allowed', async (file, _name, code) => {
  expect(await problems(file, code)).toEqual([])
})
