import { request as httpRequest } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { createSandbox, SEED } from '../../src/testing/index.ts'
import { listen, type RunningSandbox } from '../../src/testing/node.ts'
import { caller, QUICKSTART_EVENT, QUICKSTART_SEND } from './helpers.ts'

let server: RunningSandbox | undefined

afterEach(async () => {
  await server?.close()
  server = undefined
})

async function serve(options: Parameters<typeof createSandbox>[0] = {}) {
  const sandbox = createSandbox({ checkResponses: true, ...options })
  server = await listen(sandbox)
  return { sandbox, server, api: caller(fetch, server.url, sandbox.apiKey) }
}

describe('listen()', () => {
  it('serves on 127.0.0.1 on a free port', async () => {
    const { server } = await serve()
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(server.port).toBeGreaterThan(0)
  })

  it('answers the quickstart: list templates, the receipt and the event get 202 with the documented shapes', async () => {
    const { api } = await serve()
    const templates = await api('GET', '/api/v1/templates')
    expect(templates.status).toBe(200)
    expect(templates.body.some((t: any) => t.key === 'receipt-default' && t.purpose === 'Transactional')).toBe(true)

    const send = await api('POST', '/api/v1/emails', { body: QUICKSTART_SEND, idempotencyKey: 'order-confirmation:ord_9421' })
    expect(send.status).toBe(202)
    expect(send.headers.get('content-type')).toBe('application/json')
    expect(send.body).toMatchObject({ status: 'Queued', profileId: SEED.profiles.alex.id, to: { email: 'alex@example.com' }, subject: 'Receipt for order ord_9421' })

    const replay = await api('POST', '/api/v1/emails', { body: QUICKSTART_SEND, idempotencyKey: 'order-confirmation:ord_9421' })
    expect(replay.headers.get('idempotent-replayed')).toBe('true')
    expect(replay.body.id).toBe(send.body.id)

    const event = await api('POST', '/api/v1/events', { body: QUICKSTART_EVENT, idempotencyKey: 'order.created:ord_9421' })
    expect(event.status).toBe(202)
    expect(event.body).toEqual({ eventId: expect.any(String), profileId: SEED.profiles.alex.id, matchedJourneys: 1, enrolledJourneys: 1, skippedJourneys: 0 })
  })

  it('lets an email reach Sent on the real clock', async () => {
    const { api } = await serve({ timings: { emailQueuedMs: 5, emailProcessingMs: 5 } })
    const send = await api('POST', '/api/v1/emails', { body: QUICKSTART_SEND, idempotencyKey: 'k' })
    await expect
      .poll(async () => (await api('GET', `/api/v1/emails/${send.body.id}`)).body.status, { timeout: 10_000, interval: 20 })
      .toBe('Sent')
  })

  it('destroys the socket for a reset fault', async () => {
    const { sandbox, server } = await serve()
    sandbox.faults.add({ kind: 'reset', operation: 'listTemplates', times: 2 })
    const error = await new Promise<NodeJS.ErrnoException>((resolve, reject) => {
      const req = httpRequest(`${server.url}/api/v1/templates`, { headers: { 'x-api-key': sandbox.apiKey } }, (res) =>
        reject(new Error(`unexpected response ${res.statusCode}`)),
      )
      req.on('error', resolve)
      req.end()
    })
    expect(error.code).toBe('ECONNRESET')
    await expect(fetch(`${server.url}/api/v1/templates`, { headers: { 'x-api-key': sandbox.apiKey } })).rejects.toBeInstanceOf(TypeError)
    expect((await fetch(`${server.url}/api/v1/templates`, { headers: { 'x-api-key': sandbox.apiKey } })).status).toBe(200)
  })

  it('uploads through its own storage route and refuses the API key there', async () => {
    const { api, sandbox, server } = await serve()
    const session = await api('POST', '/api/v1/assets/upload-url', { body: { filename: 'list.csv', contentType: 'text/csv', size: 7 } })
    expect(session.body.uploadUrl.startsWith(`${server.url}/__storage/`)).toBe(true)
    const refused = await fetch(session.body.uploadUrl, { method: 'PUT', headers: { 'content-type': 'text/csv', 'x-api-key': sandbox.apiKey }, body: 'a,b\n1,2' })
    expect(refused.status).toBe(400)
    const stored = await fetch(session.body.uploadUrl, { method: 'PUT', headers: { 'content-type': 'text/csv' }, body: 'a,b\n1,2' })
    expect(stored.status).toBe(200)
    const created = await api('POST', '/api/v1/assets', { body: { filename: 'list.csv', s3Key: session.body.key, contentType: 'text/csv', size: 7, assetType: 'content-document' } })
    const ready = await api('POST', `/api/v1/assets/${created.body.asset.id}/finalize`)
    expect(ready.body.asset.status).toBe('ready')
    expect(await (await fetch(ready.body.asset.url)).text()).toBe('a,b\n1,2')
  })

  it('stops accepting connections when closed', async () => {
    const { server } = await serve()
    const { url } = server
    await server.close()
    await expect(fetch(`${url}/api/v1/templates`)).rejects.toBeInstanceOf(TypeError)
  })
})
