/**
 * Paging through a large organization holds one page at a time: pages are fetched as the items
 * before them are used up, and a page is garbage once its items have been handed out. The second
 * is checked with the collector itself (a WeakRef per page, a full GC at checkpoints).
 */
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

import { afterEach, describe, expect, it } from 'vitest'

import type { Profile } from '../../src/index.ts'
import { createSandbox } from '../../src/testing/index.ts'
import { connect, urlOf, type Connected } from '../helpers/sandbox-client.ts'

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

/** WeakRef targets live until the current job ends: collect from a fresh macrotask. */
async function collect(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 0))
  gc()
}

let open: Connected | undefined
afterEach(async () => {
  await open?.close()
  open = undefined
})

const PROFILES = 100_000
const LIMIT = 100

async function setup(profiles = PROFILES) {
  const sandbox = createSandbox({ seed: false, seedProfiles: profiles })
  const counter = { lists: 0 }
  open = await connect(sandbox, 'in process', {
    wrapFetch: (fetch) => (input, init) => {
      if (new URL(urlOf(input)).pathname === '/api/v1/profiles') counter.lists++
      return fetch(input, init)
    },
  })
  return { client: open.client, counter }
}

// A thousand requests and ten full collections: generous room for a slow, busy machine.
describe('profiles.list at scale', { timeout: 120_000 }, () => {
  it('walks 100,000 profiles with for await, fetching each page only when reached and letting it go after', async () => {
    const { client, counter } = await setup()
    const firstOfPage: Array<WeakRef<Profile>> = []
    const stillAlive: number[] = []
    const emails = new Set<string>()

    let n = 0
    for await (const profile of client.profiles.list({ limit: LIMIT })) {
      // Lazily: the page holding item n is the last one fetched; nothing was fetched ahead.
      if (counter.lists !== Math.floor(n / LIMIT) + 1) expect(counter.lists, `requests at item ${n}`).toBe(Math.floor(n / LIMIT) + 1)
      if (n % LIMIT === 0) firstOfPage.push(new WeakRef(profile))
      emails.add(profile.email)
      n++
      if (n % 10_000 === 5_000 + LIMIT / 2) {
        await collect()
        // Pages before the current one that the collector could not free.
        stillAlive.push(firstOfPage.slice(0, -1).filter((ref) => ref.deref() !== undefined).length)
      }
    }

    expect(n).toBe(PROFILES)
    expect(emails.size).toBe(PROFILES)
    expect(counter.lists).toBe(PROFILES / LIMIT)
    expect(stillAlive).toHaveLength(10)
    // None would be left but for V8's optimizing compiler, which may keep one object it saw while
    // compiling (one page, whichever was current then). Holding the first page for the whole walk,
    // as generator methods on the page did, makes it two; holding every page, up to 999.
    for (const alive of stillAlive) expect(alive).toBeLessThanOrEqual(1)
  })

  it('lets each page go when walking pages with iterPages', async () => {
    const { client, counter } = await setup(30_000)
    const pages: Array<WeakRef<Profile[]>> = []
    const stillAlive: number[] = []

    const first = await client.profiles.list({ limit: LIMIT })
    let walked = 0
    for await (const page of first.iterPages()) {
      expect(page.data.length).toBe(LIMIT)
      pages.push(new WeakRef(page.data))
      walked++
      if (walked % 100 === 50) {
        await collect()
        // The first page is held by this test (`first`); every page between it and this one is not.
        stillAlive.push(pages.slice(1, -1).filter((ref) => ref.deref() !== undefined).length)
      }
      if (walked === 300) break
    }

    expect(counter.lists).toBe(300)
    for (const alive of stillAlive) expect(alive).toBeLessThanOrEqual(1)
  })
})
