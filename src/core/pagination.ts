/**
 * Cursor pagination for `profiles.list` and `assets.list`. Awaiting the promise gives the first
 * page; iterating it (`for await`) yields every item across pages, fetching the next page only
 * when the current one is used up, so one page is in memory at a time.
 */
import { APIPromise } from './api-promise.ts'
import { SegmentFlowError } from './errors.ts'
import type { ResponseConfig } from './transport.ts'

/** What a list response must have to be paged through. */
export type CursorBody = { nextCursor: string | null }

/** A page: `data`, the cursor, the navigation methods, plus the response's own fields. */
export type Page<Item, Body extends CursorBody> = CursorPage<Item, Body> & Readonly<Omit<Body, keyof CursorPage<Item, Body>>>

export class CursorPage<Item, Body extends CursorBody> implements AsyncIterable<Item> {
  /** The items of this page. */
  readonly data: Item[]
  /** The cursor of the next page; null on the last page. */
  readonly nextCursor: string | null
  readonly #loadNext: (cursor: string) => PagePromise<Item, Body>

  /** Internal: pages come from list methods. */
  constructor(data: Item[], nextCursor: string | null, loadNext: (cursor: string) => PagePromise<Item, Body>) {
    this.data = data
    this.nextCursor = nextCursor
    this.#loadNext = loadNext
  }

  hasNextPage(): boolean {
    return typeof this.nextCursor === 'string' && this.nextCursor !== ''
  }

  /** The next page, with the same filter and options. Throws on the last page: check `hasNextPage()`. */
  getNextPage(): PagePromise<Item, Body> {
    if (!this.hasNextPage()) {
      throw new SegmentFlowError('No next page: check hasNextPage() before calling getNextPage()')
    }
    return this.#loadNext(this.nextCursor as string)
  }

  /** This page and every page after it. */
  iterPages(): AsyncGenerator<Page<Item, Body>, void, undefined> {
    return walkPages(Promise.resolve(this as unknown as Page<Item, Body>))
  }

  /** Every item of this page and of the pages after it. */
  [Symbol.asyncIterator](): AsyncGenerator<Item, void, undefined> {
    return walkItems(Promise.resolve(this as unknown as Page<Item, Body>))
  }
}

/**
 * The walks are free functions, not generator methods: a generator method keeps its `this` (the
 * first page, or the promise of it) alive until the walk ends, so going through 100,000 items would
 * hold the first page as well as the current one. Here a page is let go once its items are used.
 */
async function* walkPages<Item, Body extends CursorBody>(first: PromiseLike<Page<Item, Body>> | undefined): AsyncGenerator<Page<Item, Body>, void, undefined> {
  let pending = first
  first = undefined
  while (pending !== undefined) {
    const page = await pending
    pending = undefined
    yield page
    if (page.hasNextPage()) pending = page.getNextPage()
  }
}

async function* walkItems<Item, Body extends CursorBody>(first: PromiseLike<Page<Item, Body>> | undefined): AsyncGenerator<Item, void, undefined> {
  const pages = walkPages(first)
  first = undefined
  for await (const page of pages) yield* page.data
}

/**
 * Builds the page for a response body. The body's fields are copied as own properties (with
 * defineProperty, so a `__proto__` key is a plain field, never a prototype), except names the page
 * itself defines: `data` or `hasNextPage` in a body cannot shadow the page's own.
 */
export function createPage<Item, Body extends CursorBody>(
  body: Body,
  data: Item[],
  loadNext: (cursor: string) => PagePromise<Item, Body>,
): Page<Item, Body> {
  const page = new CursorPage<Item, Body>(data, body.nextCursor, loadNext)
  for (const [key, value] of Object.entries(body)) {
    if (key in page) continue
    Object.defineProperty(page, key, { value, enumerable: true })
  }
  return page as Page<Item, Body>
}

/** The promise of a page that is also an async iterable over every item of every page. */
export class PagePromise<Item, Body extends CursorBody> extends APIPromise<Page<Item, Body>> implements AsyncIterable<Item> {
  constructor(raw: Promise<ResponseConfig>, parse: (raw: ResponseConfig) => Page<Item, Body>) {
    super(raw, parse)
  }

  [Symbol.asyncIterator](): AsyncGenerator<Item, void, undefined> {
    // Not `await this` in a generator method: the walk would hold this promise, and through it the
    // first page, until the last item.
    return walkItems(this.then((page) => page))
  }
}
