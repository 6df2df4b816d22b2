import js from '@eslint/js'
import tseslint from 'typescript-eslint'

const core = {
  name: '@actions/core',
  message: 'only packages/action-kit speaks the runner protocol: use its ActionIO or Log',
}
// Every process goes through packages/exec: argv only, a timeout, one typed error.
const processes = ['node:child_process', 'child_process', '@actions/exec'].map((name) => ({
  name,
  message: 'run processes through packages/exec (run/execute)',
}))
// The environment comes in through ActionIO.env; packages get settings, never the environment.
const envMessage =
  'actions read the environment through io.env (ActionIO) and pass packages settings; packages never read it'
const processEnv = { object: 'process', property: 'env', message: envMessage }
const envImports = ['node:process', 'process'].map((name) => ({
  name,
  importNames: ['env'],
  message: envMessage,
}))
/** Where reading process.env is the point: the runner side, the console log, the child processes. */
const envReaders = [
  'packages/action-kit/action.ts',
  'packages/action-kit/log.ts',
  'packages/exec/**/*.ts',
]

export default tseslint.config(
  { ignores: ['dist/', 'dist.partial/', 'build/', 'node_modules/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        URLSearchParams: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        performance: 'readonly',
        fetch: 'readonly',
        AbortSignal: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      // Only action-kit speaks the runner's protocol; everything else gets an ActionIO or a Log.
      'no-restricted-imports': ['error', { paths: [core], patterns: [] }],
      'no-restricted-syntax': ['error', dynamicImportOf(core)],
    },
  },
  // Packages: no action, no @actions/core, and processes only through packages/exec.
  packageRules('packages/**/*.ts', [core, ...processes, ...envImports]),
  packageRules('packages/exec/**/*.ts', [core]),
  packageRules('packages/action-kit/**/*.ts', [...processes, ...envImports]),
  packageRules(envReaders.slice(0, 2), processes),
  {
    files: ['actions/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [core, ...envImports], patterns: [] }],
      'no-restricted-syntax': ['error', ...[core, ...envImports].map(dynamicImportOf)],
    },
  },
  // process.env, process['env'] and const { env } = process.
  {
    files: ['packages/**/*.ts', 'actions/**/*.ts'],
    ignores: envReaders,
    rules: { 'no-restricted-properties': ['error', processEnv] },
  },
)

/** Rules for files under packages/: never import an action, nor any of `restricted`, statically or with import(). */
function packageRules(files, restricted) {
  return {
    files: [files].flat(),
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: restricted,
          patterns: [{ group: ['**/actions/**'], message: 'packages never import an action' }],
        },
      ],
      'no-restricted-syntax': ['error', ...restricted.map(dynamicImportOf)],
    },
  }
}

/** no-restricted-imports does not see import('x'): a selector for it. */
function dynamicImportOf({ name, message }) {
  return {
    selector: `ImportExpression[source.value='${name}']`,
    message: `import('${name}'): ${message}`,
  }
}
