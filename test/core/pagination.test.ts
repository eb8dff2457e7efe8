import { http, HttpResponse } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, expectTypeOf, it } from 'vitest'

import { CursorPage, PagePromise, PaginationLoopError, SegmentFlow, SegmentFlowError, type Asset, type Profile, type ProfilesPage } from '../../src/index.ts'
import { BASE_URL, TEST_KEY } from '../helpers/mock-fetch.ts'

// Three pages of profiles behind cursors c1 and c2, served by msw: the client is given no `fetch`,
// so it must use the global one that msw patched after the SDK was imported.
const profile = (n: number) => ({ id: `p${n}`, email: `p${n}@example.com` }) as unknown as Profile
const pages: Record<string, { profiles: Profile[]; nextCursor: string | null }> = {
  start: { profiles: [profile(1), profile(2)], nextCursor: 'c1' },
  c1: { profiles: [profile(3), profile(4)], nextCursor: 'c2' },
  c2: { profiles: [profile(5)], nextCursor: null },
}
const bodies: unknown[] = []
const assetQueries: string[] = []

const server = setupServer(
  http.post(`${BASE_URL}/api/v1/profiles`, async ({ request }) => {
    // `profiles.list()` without a filter sends no body at all.
    const text = await request.text()
    const body = (text ? JSON.parse(text) : {}) as { cursor?: string; limit?: number }
    bodies.push(body)
    const page = pages[body.cursor ?? 'start']
    if (!page) return HttpResponse.json({ error: 'invalid_request', message: 'bad cursor' }, { status: 400 })
    return HttpResponse.json({ ...page, profileCount: 5, previousCursor: body.cursor ?? null })
  }),
  http.get(`${BASE_URL}/api/v1/assets`, ({ request }) => {
    const url = new URL(request.url)
    assetQueries.push(url.search)
    const cursor = url.searchParams.get('cursor')
    const asset = (id: string) => ({ id }) as unknown as Asset
    if (!cursor) return HttpResponse.json({ success: true, assets: [asset('a1')], nextCursor: 'n1' })
    if (cursor === 'n1') return HttpResponse.json({ success: true, assets: [asset('a2')], nextCursor: 'n2' })
    return HttpResponse.json({ success: true, assets: [asset('a3')], nextCursor: null })
  }),
)

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => {
  server.resetHandlers()
  bodies.length = 0
  assetQueries.length = 0
})
afterAll(() => server.close())

const client = () => new SegmentFlow({ apiKey: TEST_KEY, baseURL: BASE_URL, logLevel: 'off' })

describe('pagination', () => {
  it('awaits to the first page and walks the rest with getNextPage', async () => {
    const first = await client().profiles.list({ limit: 2, search: 'example' })

    expect(first).toBeInstanceOf(CursorPage)
    expect(first.data.map((p) => p.id)).toEqual(['p1', 'p2'])
    expect(first.nextCursor).toBe('c1')
    expect(first.hasNextPage()).toBe(true)
    // The response's own fields are on the page too.
    expect(first.profileCount).toBe(5)
    expect(first.profiles).toBe(first.data)
    expect(first.previousCursor).toBeNull()

    const second = await first.getNextPage()
    expect(second.data.map((p) => p.id)).toEqual(['p3', 'p4'])
    const third = await second.getNextPage()
    expect(third.data.map((p) => p.id)).toEqual(['p5'])
    expect(third.hasNextPage()).toBe(false)
    expect(() => third.getNextPage()).toThrow(SegmentFlowError)

    // The filter is kept on every page; only the cursor moves.
    expect(bodies).toEqual([
      { limit: 2, search: 'example' },
      { limit: 2, search: 'example', cursor: 'c1' },
      { limit: 2, search: 'example', cursor: 'c2' },
    ])
  })

  it('iterates every item across pages with for await', async () => {
    const ids: string[] = []
    for await (const p of client().profiles.list({ limit: 2 })) ids.push(p.id)

    expect(ids).toEqual(['p1', 'p2', 'p3', 'p4', 'p5'])
    expect(bodies).toHaveLength(3)
  })

  it('fetches a page only when the items before it are used up', async () => {
    const iterator = client().profiles.list()[Symbol.asyncIterator]()

    await iterator.next()
    await iterator.next()
    expect(bodies).toHaveLength(1)
    await iterator.next()
    expect(bodies).toHaveLength(2)
    await iterator.return?.()
    expect(bodies).toHaveLength(2)
  })

  it('pages assets through the cursor query parameter', async () => {
    const ids: string[] = []
    for await (const asset of client().assets.list({ limit: 1, assetType: 'content-image' })) ids.push(asset.id)

    expect(ids).toEqual(['a1', 'a2', 'a3'])
    expect(assetQueries).toEqual(['?limit=1&assetType=content-image', '?limit=1&assetType=content-image&cursor=n1', '?limit=1&assetType=content-image&cursor=n2'])
  })

  it('walks pages with iterPages', async () => {
    const page = await client().assets.list()
    const sizes: number[] = []
    for await (const each of page.iterPages()) sizes.push(each.data.length)
    expect(sizes).toEqual([1, 1, 1])
    expect(page.success).toBe(true)
  })

  it('gives the page promise withResponse like any call', async () => {
    const promise = client().profiles.list()
    expect(promise).toBeInstanceOf(PagePromise)

    const { data, response, requestId } = await promise.withResponse()
    expect(data.data).toHaveLength(2)
    expect(response.status).toBe(200)
    expect(requestId).toBeUndefined()
  })

  it('keeps page fields from being shadowed or used as a prototype by the body', async () => {
    server.use(
      http.post(`${BASE_URL}/api/v1/profiles`, () =>
        HttpResponse.text('{"profiles": [], "nextCursor": null, "data": "shadow", "hasNextPage": 1, "__proto__": {"polluted": true}}', {
          headers: { 'content-type': 'application/json' },
        }),
      ),
    )

    const page = await client().profiles.list()

    expect(page.data).toEqual([])
    expect(page.hasNextPage()).toBe(false)
    expect(Object.getPrototypeOf(page)).toBe(CursorPage.prototype)
    expect((page as unknown as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('fails with a typed error when the list is not a page', async () => {
    server.use(http.post(`${BASE_URL}/api/v1/profiles`, () => HttpResponse.json({ hello: 'world' })))

    await expect(client().profiles.list()).rejects.toThrow(/not a page/)
  })

  describe('a cursor that does not advance', () => {
    // Page by cursor: start -> a -> b -> (whatever `next` says).
    function serve(next: Record<string, string | null>) {
      server.use(
        http.get(`${BASE_URL}/api/v1/assets`, ({ request }) => {
          const cursor = new URL(request.url).searchParams.get('cursor') ?? 'start'
          assetQueries.push(cursor)
          return HttpResponse.json({ success: true, assets: [{ id: `asset-${cursor}` }], nextCursor: next[cursor] ?? null })
        }),
      )
    }

    it('stops getNextPage with a PaginationLoopError naming the operation, before sending', async () => {
      serve({ start: 'a', a: 'a' })
      const first = await client().assets.list()
      const second = await first.getNextPage()

      expect(second.nextCursor).toBe('a')
      const error = (() => {
        try {
          void second.getNextPage()
        } catch (e) {
          return e
        }
      })()
      expect(error).toBeInstanceOf(PaginationLoopError)
      expect(error).toBeInstanceOf(SegmentFlowError)
      expect(error).toMatchObject({ operation: 'listAssets', pages: 2 })
      expect((error as Error).message).toMatch(/^listAssets: page 2 /)
      expect(assetQueries).toEqual(['start', 'a'])
    })

    it('lets one page be asked for its next page twice: that is no loop', async () => {
      serve({ start: 'a', a: 'b', b: null })
      const first = await client().assets.list()

      const again = [await first.getNextPage(), await first.getNextPage()]

      expect(again.map((page) => page.data[0]?.id)).toEqual(['asset-a', 'asset-a'])
      expect(assetQueries).toEqual(['start', 'a', 'a'])
    })

    it('walks a list twice from the same first page', async () => {
      serve({ start: 'a', a: 'b', b: null })
      const first = await client().assets.list()
      const walk = async () => {
        const ids: string[] = []
        for await (const asset of first) ids.push(asset.id)
        return ids
      }

      expect(await walk()).toEqual(['asset-start', 'asset-a', 'asset-b'])
      expect(await walk()).toEqual(['asset-start', 'asset-a', 'asset-b'])
    })
  })

  it('types pages from the spec', () => {
    expectTypeOf(client().profiles.list).returns.resolves.toEqualTypeOf<ProfilesPage>()
    expectTypeOf<ProfilesPage['data']>().toEqualTypeOf<Profile[]>()
    expectTypeOf<ProfilesPage['profileCount']>().toEqualTypeOf<number>()
  })
})
