import ky from 'ky'
import { SegmentFlow } from './src/index.ts'
const ANSWER = JSON.stringify({ id: '3e9f2b1c-6d4a-4f8e-9b7a-1c2d3e4f5a6b', status: 'Queued' })
const f = async (_i: unknown, _init?: RequestInit) => new Response(ANSWER, { status: 202, headers: { 'content-type': 'application/json', 'content-length': String(ANSWER.length), 'x-request-id': 'r' } })
const obj = { templateKey: 'receipt-default', to: { email: 'alex@example.com' }, data: { orderId: 'ord_1' } }
const hdrs = { accept: 'application/json', 'content-type': 'application/json', 'x-api-key': 'sk_test_abcdefghijkl', 'user-agent': 'x', 'x-segmentflow-sdk': 'y' }
const inst = ky.create({ fetch: ((req: Request, init: { b: string }) => f(req.url, { method: req.method, headers: req.headers, body: init.b })) as never, retry: { limit: 2, methods: ['post'] }, timeout: 60000 })
const calls: Record<string, () => Promise<unknown>> = {
  floor: async () => { const r = await f('http://x/a', { method: 'POST', headers: { ...hdrs, 'idempotency-key': crypto.randomUUID() }, body: JSON.stringify(obj) }); return r.json() },
  kyBare: async () => { const r = await inst('http://x/a', { method: 'POST', headers: new Headers({ ...hdrs, 'idempotency-key': crypto.randomUUID() }), b: JSON.stringify(obj) } as never); return JSON.parse(await r.text()) },
  sdkOff: (() => { const c = new SegmentFlow({ apiKey: 'sk_test_abcdefghijkl', baseURL: 'http://127.0.0.1:1', fetch: f, validate: false, logLevel: 'off' }); return () => c.emails.send(obj) })(),
  sdkOn: (() => { const c = new SegmentFlow({ apiKey: 'sk_test_abcdefghijkl', baseURL: 'http://127.0.0.1:1', fetch: f, logLevel: 'off' }); return () => c.emails.send(obj) })(),
}
const N = 5000
for (const call of Object.values(calls)) for (let i = 0; i < 10000; i++) await call()
const res: Record<string, number[]> = {}
for (let r = 0; r < 9; r++) for (const [name, call] of Object.entries(calls)) {
  const s = process.cpuUsage(); for (let i = 0; i < N; i++) await call(); const u = process.cpuUsage(s)
  ;(res[name] ??= []).push((u.user + u.system) / N)
}
for (const [name, v] of Object.entries(res)) { v.sort((a, b) => a - b); console.log(name.padEnd(8), v[4]!.toFixed(1), 'min', v[0]!.toFixed(1)) }
