/**
 * The same four calls written four ways: by hand over `fetch` (the floor), with openapi-fetch over
 * types openapi-typescript generated from our openapi.yaml (what a user would pick instead of an
 * SDK), and with the SDK, request validation on (its default) and off. Every way checks the status
 * and parses the body, and every write carries an Idempotency-Key: the work a careful caller does.
 */
import createClient from 'openapi-fetch'

import type * as SDK from '../src/index.ts'
import { API_KEY, listProfilesBody, sendEmailBody, trackEventBody } from './fixtures.ts'
import type { paths } from './openapi.d.ts'

export type Call = () => Promise<unknown>
export type Operation = 'emails.send' | 'events.track' | 'templates.list' | 'profiles.list'
export type Contender = { name: string; calls: Record<Operation, Call> }

export const OPERATIONS: ReadonlyArray<Operation> = ['emails.send', 'events.track', 'templates.list', 'profiles.list']

export function rawFetch(baseURL: string): Contender {
  async function call(method: string, path: string, body: unknown, write: boolean): Promise<unknown> {
    const headers: Record<string, string> = { accept: 'application/json', 'x-api-key': API_KEY }
    if (body !== undefined) headers['content-type'] = 'application/json'
    if (write) headers['idempotency-key'] = crypto.randomUUID()
    const res = await fetch(baseURL + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
    if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}`)
    return res.json()
  }
  return {
    name: 'fetch',
    calls: {
      'emails.send': () => call('POST', '/api/v1/emails', sendEmailBody, true),
      'events.track': () => call('POST', '/api/v1/events', trackEventBody, true),
      'templates.list': () => call('GET', '/api/v1/templates', undefined, false),
      'profiles.list': () => call('POST', '/api/v1/profiles', listProfilesBody, false),
    },
  }
}

export function openapiFetch(baseURL: string): Contender {
  const client = createClient<paths>({ baseUrl: baseURL, headers: { 'x-api-key': API_KEY } })
  function check<T>(result: { data?: T; error?: unknown; response: Response }): T {
    if (result.error !== undefined || result.data === undefined) throw new Error(`answered ${result.response.status}`)
    return result.data
  }
  return {
    name: 'openapi-fetch',
    calls: {
      'emails.send': async () =>
        check(await client.POST('/api/v1/emails', { body: sendEmailBody, params: { header: { 'Idempotency-Key': crypto.randomUUID() } } })),
      'events.track': async () =>
        check(
          await client.POST('/api/v1/events', { body: trackEventBody, params: { header: { 'Idempotency-Key': crypto.randomUUID() } } }),
        ),
      'templates.list': async () => check(await client.GET('/api/v1/templates')),
      'profiles.list': async () => check(await client.POST('/api/v1/profiles', { body: listProfilesBody })),
    },
  }
}

export function sdk(sf: typeof SDK, baseURL: string, validateRequests: boolean): Contender {
  const client = new sf.SegmentFlow({ apiKey: API_KEY, baseURL, validate: { request: validateRequests } })
  return {
    name: validateRequests ? 'SDK (validation on)' : 'SDK (validation off)',
    calls: {
      'emails.send': () => client.emails.send(sendEmailBody),
      'events.track': () => client.events.track(trackEventBody),
      'templates.list': () => client.templates.list(),
      'profiles.list': () => client.profiles.list(listProfilesBody),
    },
  }
}

/**
 * The raw `emails.send` with one thing a production call needs added at a time: what the floor
 * leaves out, and what part of the SDK's cost is that rather than the SDK's own code.
 */
export function floorVariants(baseURL: string): Contender[] {
  type Extra = { signal?: boolean; timer?: boolean; identify?: boolean; manual?: boolean }
  const variant = (name: string, extra: Extra): Contender => {
    const send = async (): Promise<unknown> => {
      const controller = extra.signal ? new AbortController() : undefined
      const timer = extra.timer ? setTimeout(() => controller?.abort(), 60_000) : undefined
      try {
        const headers: Record<string, string> = {
          accept: 'application/json',
          'content-type': 'application/json',
          'x-api-key': API_KEY,
          'idempotency-key': crypto.randomUUID(),
        }
        if (extra.identify) {
          headers['x-segmentflow-sdk'] = 'typescript/0.1.0'
          headers['user-agent'] = 'segmentflow-typescript/0.1.0'
        }
        const init: RequestInit = { method: 'POST', headers, body: JSON.stringify(sendEmailBody) }
        if (controller) init.signal = controller.signal
        if (extra.manual) init.redirect = 'manual'
        const res = await fetch(`${baseURL}/api/v1/emails`, init)
        if (!res.ok) throw new Error(`answered ${res.status}`)
        return await res.json()
      } finally {
        clearTimeout(timer)
      }
    }
    const unused = () => Promise.reject(new Error('only emails.send is measured'))
    return { name, calls: { 'emails.send': send, 'events.track': unused, 'templates.list': unused, 'profiles.list': unused } }
  }
  return [
    variant('fetch', {}),
    variant('+ an AbortSignal', { signal: true }),
    variant('+ a 60 s timer, set and cleared', { timer: true }),
    variant('+ the two identification headers', { identify: true }),
    variant("+ redirect: 'manual'", { manual: true }),
    variant('+ all four', { signal: true, timer: true, identify: true, manual: true }),
  ]
}
