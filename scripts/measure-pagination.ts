/**
 * Memory and time of walking every profile of a 100,000-profile sandbox with
 * `for await (const profile of client.profiles.list({ limit: 100 }))`, and, for contrast, of
 * collecting them all into an array.
 *
 *   npx tsx scripts/measure-pagination.ts            # in process (fetch: sandbox.fetch)
 *   npx tsx scripts/measure-pagination.ts --http     # over loopback HTTP
 *
 * Each walk runs in a fresh process (RSS never shrinks, so a second walk in the same process would
 * measure nothing). The sandbox's own 100,000 records exist before the baseline, so the figures are
 * the walk's. Two figures per walk:
 *
 * - peak RSS above the baseline, sampled at every page: what the process costs, including garbage
 *   not yet collected (the in-process sandbox makes plenty of its own);
 * - retained heap: the heap still in use after a full collection, at every 100th page. This is
 *   what the walk holds on to; for `for await` it must stay at about one page.
 */
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

import { SegmentFlow, type Profile } from '../src/index.ts'
import { createSandbox } from '../src/testing/index.ts'
import { listen } from '../src/testing/node.ts'

const PROFILES = 100_000
const LIMIT = 100
const MiB = 1024 * 1024

type Variant = 'for-await' | 'collect'
type Figures = { variant: Variant; items: number; requests: number; ms: number; peakRssMiB: number; retainedMiB: number; seedMs: number }

const overHTTP = process.argv.includes('--http')
const variant = process.argv.find((arg) => arg.startsWith('--variant='))?.slice('--variant='.length) as Variant | undefined

if (variant) {
  console.log(JSON.stringify(await walk(variant)))
} else {
  const self = fileURLToPath(import.meta.url)
  const results = (['for-await', 'collect'] as const).map((name) => {
    const child = spawnSync(process.execPath, [...process.execArgv, self, `--variant=${name}`, ...(overHTTP ? ['--http'] : [])], { encoding: 'utf8' })
    if (child.status !== 0) throw new Error(`${name} failed:\n${child.stderr}`)
    return JSON.parse(child.stdout.trim().split('\n').at(-1) as string) as Figures
  })
  const seeded = results[0]?.seedMs ?? 0
  console.log(`Node ${process.version}, ${overHTTP ? 'over loopback HTTP' : 'in process'}: ${PROFILES} profiles, limit ${LIMIT}; sandbox seeded in ${(seeded / 1000).toFixed(2)} s`)
  for (const f of results) {
    console.log(
      `${f.variant.padEnd(10)} ${f.items} items, ${f.requests} requests, ${(f.ms / 1000).toFixed(2)} s, ` +
        `peak RSS +${f.peakRssMiB.toFixed(1)} MiB, retained heap at most +${f.retainedMiB.toFixed(2)} MiB`,
    )
  }
}

async function walk(name: Variant): Promise<Figures> {
  setFlagsFromString('--expose-gc')
  const gc = runInNewContext('gc') as () => void
  const collect = async () => {
    await new Promise((resolve) => setTimeout(resolve, 0))
    gc()
    return process.memoryUsage().heapUsed
  }

  const seedStarted = performance.now()
  // A short request log: the sandbox's own log of 1,000 requests would count as the walk's memory.
  const sandbox = createSandbox({ seed: false, seedProfiles: PROFILES, requestLogLimit: 10 })
  const seedMs = performance.now() - seedStarted
  const server = overHTTP ? await listen(sandbox) : undefined
  let requests = 0
  const client = new SegmentFlow({
    apiKey: sandbox.apiKey,
    baseURL: server?.url ?? sandbox.baseURL,
    fetch: (input, init) => {
      requests++
      return server ? globalThis.fetch(input, init) : sandbox.fetch(input, init)
    },
  })
  // Compile the code paths once, so the walk does not pay for it.
  for await (const _ of client.profiles.list({ limit: LIMIT })) break
  requests = 0

  const baseHeap = await collect()
  const baseRss = process.memoryUsage().rss
  let peakRss = baseRss
  let retained = 0
  const all: Profile[] = []
  let items = 0
  let elapsed = 0
  let started = performance.now()
  for await (const profile of client.profiles.list({ limit: LIMIT })) {
    if (name === 'collect') all.push(profile)
    items++
    if (items % LIMIT !== 0) continue
    peakRss = Math.max(peakRss, process.memoryUsage().rss)
    if (items % (LIMIT * 100) === 0) {
      // The collections are not part of the walk's time.
      elapsed += performance.now() - started
      retained = Math.max(retained, (await collect()) - baseHeap)
      started = performance.now()
    }
  }
  elapsed += performance.now() - started
  await server?.close()
  if (all.length > 0 && all.length !== items) throw new Error('lost items')
  return { variant: name, items, requests, ms: elapsed, peakRssMiB: (peakRss - baseRss) / MiB, retainedMiB: retained / MiB, seedMs }
}
