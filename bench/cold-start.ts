/**
 * Cold start: a fresh process that imports a client and makes ONE successful `emails.send`, which
 * is what a serverless or edge function pays on its first invocation. Timed from the process's start
 * (`performance.now()` counts from it) to the send's answer, in the consumer project (consumer.ts),
 * against a loopback server in this process that answers every send at once. Process exit is left
 * out: on a loaded machine it varies by a hundred ms from run to run, and no caller waits for it.
 * Cases run interleaved, run after run; medians are compared with the same request written by hand
 * with `fetch`.
 */
import { spawn } from 'node:child_process'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

import { PACKAGE } from './consumer.ts'
import { API_KEY, emailSend, sendEmailBody } from './fixtures.ts'
import { median } from './stats.ts'

export type ColdStartCase = { name: string; code: (baseURL: string) => string }

const EMAIL = JSON.stringify(sendEmailBody)
const RESEND_EMAIL = JSON.stringify({ from: 'Shop <shop@example.com>', to: 'alex@example.com', subject: 'Receipt', html: '<p>Thanks</p>' })
// The resend the repository pins (a devDependency), by file URL: the consumer project does not have it.
const RESEND = import.meta.resolve('resend')

export const COLD_START_CASES: ReadonlyArray<ColdStartCase> = [
  {
    name: 'fetch by hand',
    code: (baseURL) => `
      const res = await fetch(${JSON.stringify(`${baseURL}/api/v1/emails`)}, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': ${JSON.stringify(API_KEY)}, 'idempotency-key': crypto.randomUUID() },
        body: JSON.stringify(${EMAIL}),
      })
      if (res.status !== 202) throw new Error('answered ' + res.status)
      await res.json()`,
  },
  {
    name: 'SDK, validation on (the default)',
    code: (baseURL) => `
      const { SegmentFlow } = await import(${JSON.stringify(PACKAGE)})
      const client = new SegmentFlow({ apiKey: ${JSON.stringify(API_KEY)}, baseURL: ${JSON.stringify(baseURL)}, maxRetries: 0 })
      await client.emails.send(${EMAIL})`,
  },
  {
    name: 'SDK, validation off',
    code: (baseURL) => `
      const { SegmentFlow } = await import(${JSON.stringify(PACKAGE)})
      const client = new SegmentFlow({ apiKey: ${JSON.stringify(API_KEY)}, baseURL: ${JSON.stringify(baseURL)}, maxRetries: 0, validate: false })
      await client.emails.send(${EMAIL})`,
  },
  {
    name: 'resend 6.38',
    code: (baseURL) => `
      const { Resend } = await import(${JSON.stringify(RESEND)})
      const resend = new Resend('re_123', { baseUrl: ${JSON.stringify(baseURL)} })
      const { error } = await resend.emails.send(${RESEND_EMAIL})
      if (error) throw new Error(JSON.stringify(error))`,
  },
]

export type ColdStartResult = { name: string; medianMs: number; runs: number }

function timeProcess(code: string, cwd: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', `${code}\nprocess.stdout.write(String(performance.now()))`], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('exit', (status) => {
      const ms = Number(stdout)
      if (status === 0 && Number.isFinite(ms)) resolve(ms)
      else reject(new Error(`cold start case exited ${status}: ${stderr}`))
    })
  })
}

export async function measureColdStart(consumerDir: string, runs: number, onProgress: (text: string) => void = () => {}): Promise<ColdStartResult[]> {
  const sendBody = Buffer.from(JSON.stringify(emailSend))
  const resendBody = Buffer.from(JSON.stringify({ id: emailSend.id }))
  const server = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      const resend = req.url === '/emails'
      const body = resend ? resendBody : sendBody
      res.writeHead(resend ? 200 : 202, { 'content-type': 'application/json', 'content-length': body.length, 'x-request-id': 'req_cold' })
      res.end(body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  try {
    const times = new Map<string, number[]>(COLD_START_CASES.map((c) => [c.name, []]))
    // One untimed pass: the first spawn of each case pays for the disk cache.
    for (let run = 0; run <= runs; run++) {
      // Rotating the order: no case always follows the same one.
      const order = COLD_START_CASES.map((_, i) => COLD_START_CASES[(i + run) % COLD_START_CASES.length]!)
      for (const coldCase of order) {
        const ms = await timeProcess(coldCase.code(baseURL), consumerDir)
        if (run > 0) times.get(coldCase.name)!.push(ms)
      }
      if (run > 0 && run % 10 === 0) onProgress(`cold start: ${run}/${runs}`)
    }
    return COLD_START_CASES.map((c) => ({ name: c.name, medianMs: median(times.get(c.name)!), runs }))
  } finally {
    server.close()
  }
}
