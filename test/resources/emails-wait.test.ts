import { afterEach, describe, expect, expectTypeOf, it, vi } from 'vitest'

import { APIUserAbortError, NotFoundError, ValidationError, WaitTimeoutError, type EmailSend, type SegmentFlow } from '../../src/index.ts'
import { createSandbox, SEED, type Sandbox } from '../../src/testing/index.ts'
import { connect, TRANSPORTS, urlOf, type Connected } from '../helpers/sandbox-client.ts'

let open: Connected | undefined
afterEach(async () => {
  vi.useRealTimers()
  await open?.close()
  open = undefined
})

/**
 * A client whose every look at an email moves the sandbox's manual clock forward `stepMs`: the
 * send walks Queued -> Processing -> its outcome as the client polls, whatever the machine's speed.
 */
async function polling(transport: (typeof TRANSPORTS)[number], stepMs = 400) {
  const sandbox = createSandbox({ clock: 'manual' })
  const seen: string[] = []
  open = await connect(sandbox, transport, {
    wrapFetch: (fetch) => async (input, init) => {
      const isLook = /\/api\/v1\/emails\/[^/]+$/.test(new URL(urlOf(input)).pathname)
      if (isLook) sandbox.clock.advance(stepMs)
      const response = await fetch(input, init)
      if (isLook && response.ok) seen.push(((await response.clone().json()) as EmailSend).status)
      return response
    },
  })
  return { sandbox, client: open.client, seen }
}

const receipt = (to: string, extra: Record<string, unknown> = {}) => ({ templateKey: 'receipt-default', to: { email: to }, ...extra })

describe.each(TRANSPORTS)('emails.waitForStatus (%s)', (transport) => {
  it('resolves with the email once it is Sent', async () => {
    const { client, seen } = await polling(transport)
    const email = await client.emails.send(receipt('alex@example.com'))

    const sent = await client.emails.waitForStatus(email.id, { interval: 1 })

    expect(sent).toMatchObject({ id: email.id, status: 'Sent' })
    expect(sent.messageId).toBeTypeOf('string')
    expect(seen).toEqual(['Queued', 'Processing', 'Processing', 'Sent'])
  })

  it('resolves with Failed for a suppressed recipient', async () => {
    const { client } = await polling(transport)
    const email = await client.emails.send(receipt(SEED.profiles.bounced.email))

    const failed = await client.emails.waitForStatus(email.id, { interval: 1 })

    expect(failed.status).toBe('Failed')
    expect(failed.failureMessage).toContain('suppressed')
  })

  it('resolves with Skipped for a recipient who unsubscribed from the group', async () => {
    const { client } = await polling(transport)
    const email = await client.emails.send(
      receipt(SEED.profiles.unsubscribed.email, { subscriptionGroupId: SEED.subscriptionGroups.productUpdates.id }),
    )

    const skipped = await client.emails.waitForStatus(email.id, { interval: 1 })

    expect(skipped.status).toBe('Skipped')
    expect(skipped.failureMessage).toContain('not subscribed')
  })
})

describe('emails.waitForStatus', () => {
  it('waits for the statuses in `until` only', async () => {
    const { client } = await polling('in process')
    const email = await client.emails.send(receipt('alex@example.com'))

    const processing = await client.emails.waitForStatus(email.id, { until: 'Processing', interval: 1 })

    expect(processing.status).toBe('Processing')
  })

  it('stops on a terminal status outside `until`: it can change no more', async () => {
    const { client } = await polling('in process', 2_000)
    const email = await client.emails.send(receipt(SEED.profiles.bounced.email))

    const done = await client.emails.waitForStatus(email.id, { until: ['Sent'], interval: 1 })

    expect(done.status).toBe('Failed')
  })

  it('throws a WaitTimeoutError with the last status seen at the deadline', async () => {
    // The manual clock never moves: the email stays Queued.
    const sandbox = createSandbox({ clock: 'manual' })
    open = await connect(sandbox, 'in process')
    const email = await open.client.emails.send(receipt('alex@example.com'))

    const error = await open.client.emails.waitForStatus(email.id, { timeout: 50, interval: 5 }).catch((e: unknown) => e)

    expect(error).toBeInstanceOf(WaitTimeoutError)
    const timeout = error as WaitTimeoutError<EmailSend>
    expect(timeout.lastSeen).toMatchObject({ id: email.id, status: 'Queued' })
    expect(timeout.timeout).toBe(50)
    expect(timeout.message).toContain(email.id)
    expect(timeout.message).toContain('last seen: Queued')
  })

  it('passes on an error that is not about waiting', async () => {
    const sandbox = createSandbox()
    open = await connect(sandbox, 'in process')

    await expect(open.client.emails.waitForStatus('3e9f3a5b-6c74-4d85-9e96-afb70c81d92a')).rejects.toBeInstanceOf(NotFoundError)
  })

  it('refuses options it cannot honour before polling', async () => {
    const sandbox = createSandbox()
    open = await connect(sandbox, 'in process')
    const bad = [{ until: 'Delivered' }, { until: [] }, { timeout: 0 }, { interval: -1 }, { timeout: Number.NaN }, { signal: 'stop' }] as const

    for (const options of bad) {
      await expect(open.client.emails.waitForStatus('3e9f3a5b-6c74-4d85-9e96-afb70c81d92a', options as never)).rejects.toBeInstanceOf(ValidationError)
    }
    expect(sandbox.state.requests).toEqual([])
  })

  it('is typed', () => {
    expectTypeOf<SegmentFlow['emails']['waitForStatus']>().returns.toEqualTypeOf<Promise<EmailSend>>()
  })
})

describe('emails.waitForStatus on a fake clock', () => {
  /** The instants (fake ms since the wait began) at which the client looked at the email. */
  async function lookTimes(sandbox: Sandbox) {
    const times: number[] = []
    let start = 0
    open = await connect(sandbox, 'in process', {
      wrapFetch: (fetch) => (input, init) => {
        if (/\/emails\/[^/]+$/.test(urlOf(input))) times.push(Date.now() - start)
        return fetch(input, init)
      },
    })
    return { client: open.client, times, started: () => (start = Date.now()) }
  }

  it('polls at a growing interval up to every 5 s, gives up at 60 s and leaves no timer behind', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    const sandbox = createSandbox({ clock: 'manual' })
    const { client, times, started } = await lookTimes(sandbox)
    const email = await client.emails.send(receipt('alex@example.com'))
    started()

    const wait = client.emails.waitForStatus(email.id).catch((e: unknown) => e)
    await vi.advanceTimersByTimeAsync(60_000)

    expect(await wait).toBeInstanceOf(WaitTimeoutError)
    // 0.5 s, then 1.5 times longer each time, capped at 5 s (the fake clock keeps whole ms).
    const gaps = times.slice(1).map((t, i) => t - (times[i] as number))
    const expected = [500, 750, 1125, 1687.5, 2531.25, 3796.875, 5000, 5000, 5000, 5000, 5000, 5000, 5000, 5000, 5000]
    expect(gaps).toHaveLength(expected.length)
    gaps.forEach((gap, i) => expect(Math.abs(gap - (expected[i] as number))).toBeLessThanOrEqual(1))
    expect(times.at(-1)).toBeLessThanOrEqual(60_000)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('stops at once when aborted mid-wait, with no timer left', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const sandbox = createSandbox({ clock: 'manual' })
    const { client, times } = await lookTimes(sandbox)
    const email = await client.emails.send(receipt('alex@example.com'))
    const controller = new AbortController()

    const wait = client.emails.waitForStatus(email.id, { interval: 10_000, signal: controller.signal }).catch((e: unknown) => e)
    await vi.advanceTimersByTimeAsync(1)
    expect(times).toHaveLength(1)
    controller.abort()

    expect(await wait).toBeInstanceOf(APIUserAbortError)
    expect(vi.getTimerCount()).toBe(0)
    expect(times).toHaveLength(1)
  })

  it('ends a look in flight at the deadline', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const sandbox = createSandbox({ clock: 'manual' })
    open = await connect(sandbox, 'in process')
    const email = await open.client.emails.send(receipt('alex@example.com'))
    let release!: () => void
    sandbox.faults.add({ operation: 'retrieveEmail', kind: 'delay', until: new Promise<void>((resolve) => (release = resolve)) })

    const wait = open.client.emails.waitForStatus(email.id, { timeout: 1_000 }).catch((e: unknown) => e)
    await vi.advanceTimersByTimeAsync(1_000)
    const error = await wait
    release()

    expect(error).toBeInstanceOf(WaitTimeoutError)
    expect((error as WaitTimeoutError).lastSeen).toBeUndefined()
    expect((error as WaitTimeoutError).message).toContain('no answer yet')
    expect(vi.getTimerCount()).toBe(0)
  })

  it('does not look at all when the signal is already aborted', async () => {
    const sandbox = createSandbox()
    open = await connect(sandbox, 'in process')

    await expect(open.client.emails.waitForStatus('3e9f3a5b-6c74-4d85-9e96-afb70c81d92a', { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(
      APIUserAbortError,
    )
    expect(sandbox.state.requests).toEqual([])
  })
})
