/**
 * The SDK's own CPU per `emails.send`, without the network: both sides get a `fetch` that answers
 * at once with the same 202, so what is left is the work each does around it (headers, the key, the
 * body, ky's bookkeeping, validation, reading the answer). The hand-written call over the same
 * `fetch` is the floor; its cost is subtracted.
 */
import type * as SDK from '../src/index.ts'
import { API_KEY, sendEmailBody } from './fixtures.ts'

export type CpuResult = { name: string; usPerCall: number; samples: number[] }

const ANSWER = JSON.stringify({ id: '3e9f2b1c-6d4a-4f8e-9b7a-1c2d3e4f5a6b', status: 'Queued' })

/** A `fetch` that answers every request at once, as a server on the same core never could. */
async function instantFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  // Read the body as a real `fetch` would, so that neither side gets away with not serialising.
  const body = init?.body ?? (input instanceof Request ? await input.text() : undefined)
  if (body === undefined) throw new Error('no body')
  return new Response(ANSWER, { status: 202, headers: { 'content-type': 'application/json', 'x-request-id': 'req_bench' } })
}

function handWritten(): () => Promise<unknown> {
  return async () => {
    const res = await instantFetch('http://127.0.0.1:1/api/v1/emails', {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/json', 'x-api-key': API_KEY, 'idempotency-key': crypto.randomUUID() },
      body: JSON.stringify(sendEmailBody),
    })
    if (!res.ok) throw new Error(`answered ${res.status}`)
    return res.json()
  }
}

function viaSDK(sf: typeof SDK, validate: boolean): () => Promise<unknown> {
  const client = new sf.SegmentFlow({ apiKey: API_KEY, baseURL: 'http://127.0.0.1:1', fetch: instantFetch, validate: { request: validate }, logLevel: 'off' })
  return () => client.emails.send(sendEmailBody)
}

async function cpuPerCall(call: () => Promise<unknown>, calls: number): Promise<number> {
  const start = process.cpuUsage()
  for (let i = 0; i < calls; i++) await call()
  const used = process.cpuUsage(start)
  return (used.user + used.system) / calls
}

/**
 * Rounds of `calls` calls per contender, interleaved; the median of the rounds, minus the floor's.
 */
export async function measureCpu(sf: typeof SDK, rounds: number, calls: number, progress: (text: string) => void): Promise<CpuResult[]> {
  const contenders: Array<[string, () => Promise<unknown>]> = [
    ['fetch, by hand', handWritten()],
    ['SDK (validation on)', viaSDK(sf, true)],
    ['SDK (validation off)', viaSDK(sf, false)],
  ]
  // Warm-up: every path optimised before anything is counted.
  for (const [, call] of contenders) await cpuPerCall(call, calls * 5)
  const samples = new Map<string, number[]>(contenders.map(([name]) => [name, []]))
  for (let round = 0; round < rounds; round++) {
    for (const [name, call] of round % 2 === 0 ? contenders : [...contenders].reverse()) samples.get(name)!.push(await cpuPerCall(call, calls))
    if (round % 5 === 4) progress(`cpu: round ${round + 1}/${rounds}`)
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!
  const floor = median(samples.get('fetch, by hand')!)
  return contenders.map(([name]) => ({
    name,
    usPerCall: name === 'fetch, by hand' ? floor : median(samples.get(name)!) - floor,
    samples: samples.get(name)!,
  }))
}
