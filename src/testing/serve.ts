/**
 * `npm run sandbox`: the SegmentFlow sandbox on http://127.0.0.1:4010 (real clock, quickstart data).
 *
 *   npm run sandbox -- --port 0 --seed-profiles 1000 --rate-limit 10
 *
 * `--port` (or PORT; 0 picks a free port), `--seed-profiles N` extra profiles, `--rate-limit N`
 * requests per second and key (off by default). A port already in use is one line saying what to
 * do and exit code 1, not a stack trace: it is nearly always a sandbox left running.
 */
import { listen } from './node.ts'
import { createSandbox } from './sandbox.ts'

function option(name: string): string | undefined {
  const args = process.argv.slice(2)
  const inline = args.find((arg) => arg.startsWith(`--${name}=`))
  if (inline) return inline.slice(name.length + 3)
  const at = args.indexOf(`--${name}`)
  return at >= 0 ? args[at + 1] : undefined
}

function whole(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback
  const parsed = Number(value)
  if (!Number.isInteger(parsed) || parsed < 0) {
    console.error(`--${name} takes a whole number, got "${value}"`)
    process.exit(2)
  }
  return parsed
}

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  console.log(`Usage: npm run sandbox -- [--port 4010] [--seed-profiles N] [--rate-limit N]

  --port N           port on 127.0.0.1 (default 4010, or the PORT variable; 0 picks a free port)
  --seed-profiles N  add N generated profiles to the seed data
  --rate-limit N     answer 429 past N requests per second and key (default: no limit)`)
  process.exit(0)
}

const port = whole('port', option('port') ?? process.env.PORT, 4010)
const rateLimit = whole('rate-limit', option('rate-limit'), 0)
const sandbox = createSandbox({
  seedProfiles: whole('seed-profiles', option('seed-profiles'), 0),
  rateLimit: rateLimit > 0 ? { limit: rateLimit, windowMs: 1000 } : false,
})
const server = await listen(sandbox, { port }).catch((error: NodeJS.ErrnoException) => {
  if (error.code === 'EADDRINUSE') {
    console.error(
      `Port ${port} on 127.0.0.1 is already in use (a sandbox still running?): stop it, or pick another port: npm run sandbox -- --port ${port + 1} (or PORT=${port + 1}; --port 0 picks a free one)`,
    )
  } else if (error.code === 'EACCES') {
    console.error(`Not allowed to listen on port ${port}: pick a port above 1023, e.g. npm run sandbox -- --port 4010`)
  } else {
    throw error
  }
  process.exit(1)
})

console.log(`SegmentFlow sandbox listening on ${server.url}

  Base URL        ${server.url}
  API key         ${sandbox.apiKey}   (every scope)
  Read-only key   ${sandbox.readOnlyApiKey}   (every :read scope)

  Try it:
    curl ${server.url}/api/v1/templates -H 'x-api-key: ${sandbox.apiKey}'

  With the SDK:
    SEGMENTFLOW_BASE_URL=${server.url} SEGMENTFLOW_API_KEY=${sandbox.apiKey} npm run demo

In-memory: everything is gone when you stop it (Ctrl-C).`)

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void server.close().then(() => process.exit(0))
  })
}
