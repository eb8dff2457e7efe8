/**
 * Peak memory while iterating every profile of the server's list, page by page, in a process of its
 * own: `tsx bench/memory.ts <sdk|sdk-off|fetch> <baseURL>` (`sdk-off`: the SDK with validation off).
 * Prints one JSON line.
 *
 * The baseline is taken after the client is loaded and one page has been fetched (so the HTTP stack
 * is warm), the peak is sampled after every page. The same walk over raw fetch is measured too,
 * because V8 lets garbage pile up before collecting and that part of the delta is not the SDK's.
 */
import { loadSDK } from './consumer.ts'
import { API_KEY, PROFILE_TOTAL } from './fixtures.ts'

const [mode, baseURL] = process.argv.slice(2)
if ((mode !== 'sdk' && mode !== 'sdk-off' && mode !== 'fetch') || !baseURL) throw new Error('usage: memory.ts <sdk|sdk-off|fetch> <baseURL>')

const PAGE = 100

type Page = { profiles: Array<{ id: string }>; nextCursor: string | null }

async function rawPage(cursor: string | undefined): Promise<Page> {
  const res = await fetch(`${baseURL}/api/v1/profiles`, {
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': 'application/json', 'x-api-key': API_KEY },
    body: JSON.stringify(cursor === undefined ? { limit: PAGE } : { limit: PAGE, cursor }),
  })
  if (!res.ok) throw new Error(`answered ${res.status}`)
  return (await res.json()) as Page
}

let peak = 0
let pages = 0
function sample(): void {
  pages++
  peak = Math.max(peak, process.memoryUsage.rss())
}

let count = 0
let last = ''
let baseline: number
const begin = performance.now()
if (mode === 'sdk' || mode === 'sdk-off') {
  const { SegmentFlow } = await loadSDK()
  const client = new SegmentFlow({ apiKey: API_KEY, baseURL, ...(mode === 'sdk-off' ? { validate: false } : {}) })
  await client.profiles.list({ limit: PAGE })
  baseline = process.memoryUsage.rss()
  peak = baseline
  // Item by item, as users write it; the sample is taken once per page's worth of items.
  for await (const profile of client.profiles.list({ limit: PAGE })) {
    count++
    last = profile.id
    if (count % PAGE === 0) sample()
  }
} else {
  await rawPage(undefined)
  baseline = process.memoryUsage.rss()
  peak = baseline
  let cursor: string | undefined
  do {
    const page = await rawPage(cursor)
    for (const profile of page.profiles) {
      count++
      last = profile.id
    }
    cursor = page.nextCursor ?? undefined
    sample()
  } while (cursor !== undefined)
}
const ms = performance.now() - begin
if (count !== PROFILE_TOTAL) throw new Error(`iterated ${count} profiles (last ${last}), expected ${PROFILE_TOTAL}`)
console.log(JSON.stringify({ mode, profiles: count, pages, baselineRss: baseline, peakRss: peak, deltaRss: peak - baseline, ms }))
