/**
 * The layer rules are lint errors: only action-kit imports @actions/core, only packages/exec runs
 * processes, and process.env is read only where it must be (the runner side, the console log,
 * packages/exec); actions read io.env, packages get settings.
 */
import { join } from 'node:path'
import { ESLint } from 'eslint'
import { ROOT } from '../../scripts/harness.js'

const eslint = new ESLint({ cwd: ROOT })

async function problems(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, file) })
  return (result?.messages ?? [])
    .filter((m) => m.ruleId?.startsWith('no-restricted-'))
    .map((m) => m.message)
}

const core = `import * as core from '@actions/core'\nexport const f = core.info\n`
const childProcess = `import { spawn } from 'node:child_process'\nexport const f = spawn\n`
const bareChildProcess = `import { spawn } from 'child_process'\nexport const f = spawn\n`
const exec = `import { exec } from '@actions/exec'\nexport const f = exec\n`
const dynamic = `export const f = () => import('node:child_process')\n`
const dynamicCore = `export const f = () => import('@actions/core')\n`
const env = `export const f = () => process.env.GITHUB_SHA\n`
const envIndexed = `export const f = () => process['env']\n`
const envDestructured = `const { env } = process\nexport const f = () => env.HOME\n`
const envImported = `import { env } from 'node:process'\nexport const f = () => env.HOME\n`

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
  ['packages/image/x.ts', 'process.env', env, /packages never read it/],
  ['packages/records/x.ts', "process['env']", envIndexed, /through io\.env/],
  ['packages/action-kit/inputs.ts', 'process.env', env, /through io\.env/],
  ['actions/build-image/main.ts', 'process.env', env, /through io\.env/],
  ['actions/common/inputs.ts', 'const { env } = process', envDestructured, /through io\.env/],
  ['actions/rollback/x.ts', "import { env } from 'node:process'", envImported, /io\.env/],
  ['packages/gate/x.ts', "import { env } from 'node:process'", envImported, /io\.env/],
])('%s: %s is refused', async (file, _name, code, message) => {
  expect(await problems(file, code)).toEqual([expect.stringMatching(message)])
})

test.each([
  ['packages/action-kit/x.ts', '@actions/core', core],
  ['packages/exec/x.ts', 'node:child_process', childProcess],
  ['packages/exec/x.ts', '@actions/exec', exec],
  ['scripts/x.ts', 'node:child_process', childProcess],
  ['packages/action-kit/action.ts', 'process.env', env],
  ['packages/action-kit/log.ts', 'process.env', env],
  ['packages/exec/exec.ts', 'process.env', env],
  ['scripts/x.ts', 'process.env', env],
  ['test/x.test.ts', 'process.env', env],
])('%s: %s is allowed', async (file, _name, code) => {
  expect(await problems(file, code)).toEqual([])
})
