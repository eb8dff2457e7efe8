#!/usr/bin/env node
import { once } from 'node:events'
import { run } from './main.ts'

try {
  process.exitCode = await run(process.argv.slice(2), process.env, {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    stopSignal: () => Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]).then(() => undefined),
  })
} catch (error) {
  process.stderr.write(`segmentflow-mcp: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
  process.exitCode = 1
}
