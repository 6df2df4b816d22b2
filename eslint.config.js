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
  packageRules('packages/**/*.ts', [core, ...processes]),
  packageRules('packages/exec/**/*.ts', [core]),
  packageRules('packages/action-kit/**/*.ts', processes),
)

/** Rules for files under packages/: never import an action, nor any of `restricted`, statically or with import(). */
function packageRules(files, restricted) {
  return {
    files: [files],
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
