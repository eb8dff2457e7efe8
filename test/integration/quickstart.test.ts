// The README's first command, `npm run demo`, and the product quickstart's curl requests against
// `npm run sandbox`: run as a newcomer would, as processes, and checked on what they print and return.
import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../..', import.meta.url))
const tsx = `${root}/node_modules/.bin/tsx`
const run = promisify(execFile)

function environment(extra: Record<string, string> = {}) {
  const env: Record<string, string> = { ...(process.env as Record<string, string>) }
  // The demo must start its own sandbox unless told otherwise, whatever the caller's shell has.
  delete env.SEGMENTFLOW_BASE_URL
  delete env.SEGMENTFLOW_API_KEY
  delete env.SEGMENTFLOW_READ_ONLY_API_KEY
  return { ...env, ...extra }
}

const demoSteps = [
  /1\. List the templates[\s\S]*receipt-default\s+Transactional\s+Active/,
  /2\. Send the receipt[\s\S]*Idempotency-Key order-confirmation:ord_1001\n\s+EmailSend (\S+) is Queued/,
  /3\. Send it again with the same key[\s\S]*Same EmailSend \S+, idempotent-replayed: true/,
  /4\. Track the order\.created event[\s\S]*Journeys: 1 matched, 1 enrolled, 0 skipped/,
  /5\. Wait for the receipt to go out[\s\S]*Queued -> Sent in/,
  /6\. A key without emails:write[\s\S]*PermissionDeniedError: 403 insufficient_scope, needs emails:write/,
  /Done: one receipt sent, the repeat replayed, the event tracked\./,
]

/** Starts `npm run sandbox` on a free port and reads its base URL and keys from what it prints. */
async function startSandboxCli(): Promise<{ process: ChildProcess; url: string; apiKey: string; readOnlyKey: string }> {
  const child = spawn(tsx, ['src/testing/serve.ts', '--port', '0'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  return await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the sandbox did not start:\n${output}`)), 60_000)
    child.once('exit', (code) => reject(new Error(`the sandbox exited with ${code}:\n${output}`)))
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      const url = /Base URL\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1]
      const apiKey = /API key\s+(\S+)/.exec(output)?.[1]
      const readOnlyKey = /Read-only key\s+(\S+)/.exec(output)?.[1]
      if (url && apiKey && readOnlyKey) {
        clearTimeout(timer)
        child.removeAllListeners('exit')
        resolve({ process: child, url, apiKey, readOnlyKey })
      }
    })
  })
}

describe('npm run demo', () => {
  it('runs the quickstart against an embedded sandbox when no base URL is set', async () => {
    const { stdout } = await run(tsx, ['examples/quickstart.ts'], { cwd: root, env: environment(), timeout: 90_000 })
    expect(stdout).toMatch(/against http:\/\/127\.0\.0\.1:\d+ \(embedded sandbox\)/)
    for (const step of demoSteps) expect(stdout).toMatch(step)
  })

  describe('against `npm run sandbox` and with curl', () => {
    let sandbox: Awaited<ReturnType<typeof startSandboxCli>>

    beforeAll(async () => {
      sandbox = await startSandboxCli()
    }, 90_000)

    afterAll(() => {
      sandbox?.process.kill('SIGTERM')
    })

    it('runs the same quickstart against the server named by SEGMENTFLOW_BASE_URL', async () => {
      const { stdout } = await run(tsx, ['examples/quickstart.ts'], {
        cwd: root,
        env: environment({
          SEGMENTFLOW_BASE_URL: sandbox.url,
          SEGMENTFLOW_API_KEY: sandbox.apiKey,
          SEGMENTFLOW_READ_ONLY_API_KEY: sandbox.readOnlyKey,
        }),
        timeout: 90_000,
      })
      expect(stdout).toContain(`against ${sandbox.url}\n`)
      for (const step of demoSteps) expect(stdout).toMatch(step)
    })

    async function curl(path: string, idempotencyKey: string, body: string) {
      const { stdout } = await run('curl', [
        '--silent',
        '--show-error',
        '--include',
        '-X',
        'POST',
        `${sandbox.url}${path}`,
        '-H',
        `x-api-key: ${sandbox.apiKey}`,
        '-H',
        'content-type: application/json',
        '-H',
        `Idempotency-Key: ${idempotencyKey}`,
        '--data',
        body,
      ])
      const [head, ...rest] = stdout.split('\r\n\r\n')
      return { status: Number(/^HTTP\/[\d.]+ (\d{3})/.exec(head!)?.[1]), head: head!, body: JSON.parse(rest.join('\r\n\r\n')) }
    }

    it("accepts the product quickstart's two curl requests, word for word, with 202", async () => {
      const send = await curl(
        '/api/v1/emails',
        'order-confirmation:ord_9421',
        `{
  "templateKey": "receipt-default",
  "from": "Acme Receipts <receipts@example.com>",
  "to": { "email": "alex@example.com", "externalId": "shopify:customer_123" },
  "subject": "Receipt for order ord_9421",
  "replyTo": "Acme Support <support@example.com>",
  "data": { "orderId": "ord_9421", "firstName": "Alex", "orderTotal": "49.00" }
}`,
      )
      expect(send.status).toBe(202)
      expect(send.head).toMatch(/x-request-id: \S+/i)
      expect(send.body).toMatchObject({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        status: 'Queued',
        from: { email: 'receipts@example.com', name: 'Acme Receipts' },
        replyTo: { email: 'support@example.com', name: 'Acme Support' },
        to: { email: 'alex@example.com' },
        subject: 'Receipt for order ord_9421',
      })

      const track = await curl(
        '/api/v1/events',
        'order.created:ord_9421',
        `{
  "event": "order.created",
  "profile": { "email": "alex@example.com", "properties": { "firstName": "Alex" } },
  "data": { "orderId": "ord_9421", "orderTotal": "49.00" },
  "referenceId": "ord_9421"
}`,
      )
      expect(track.status).toBe(202)
      // A new event, not a replay: the demo above tracked its own order (ord_1001) under its own key.
      // Alex is already in the order.created Journey since that event, so this one matches it and is
      // skipped rather than enrolled a second time.
      expect(track.body).toEqual({
        eventId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        profileId: expect.any(String),
        matchedJourneys: 1,
        enrolledJourneys: 0,
        skippedJourneys: 1,
      })
    })
  })
})
