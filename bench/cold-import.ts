/**
 * Cold import: a fresh `node -e` that imports the package, against a bare `node -e ""`, run in the
 * consumer project (consumer.ts) so that resolution goes through node_modules and the `exports` map
 * as in a user's project. The cases run interleaved, run after run, and the medians are compared.
 */
import { spawnSync } from 'node:child_process'

import { PACKAGE } from './consumer.ts'
import { median } from './stats.ts'

export type ImportCase = { name: string; code: string; reference?: boolean }

export const IMPORT_CASES: ReadonlyArray<ImportCase> = [
  { name: 'bare node', code: '' },
  { name: 'ESM import()', code: `import(${JSON.stringify(PACKAGE)})` },
  { name: 'CJS require()', code: `require(${JSON.stringify(PACKAGE)})` },
  {
    // A call refused by validation: zod and the spec's zod schemas are loaded to explain it (a call
    // that passes loads neither; cold-start.ts times that one). Nothing is sent.
    name: 'ESM import() + first refused call',
    code: `import(${JSON.stringify(PACKAGE)}).then((m) => new m.SegmentFlow({ apiKey: 'k' }).emails.send({}).catch(() => {}))`,
  },
  { name: 'zod alone', code: `import('zod')`, reference: true },
]

export type ImportResult = { name: string; medianMs: number; reference: boolean }

export function measureColdImport(consumerDir: string, runs: number, onProgress: (text: string) => void = () => {}): ImportResult[] {
  const times = new Map<string, number[]>(IMPORT_CASES.map((c) => [c.name, []]))
  // One untimed pass: the first spawn pays for the disk cache.
  const passes = runs + 1
  for (let run = 0; run < passes; run++) {
    for (const importCase of IMPORT_CASES) {
      const begin = process.hrtime.bigint()
      const result = spawnSync(process.execPath, ['-e', importCase.code], { cwd: consumerDir, stdio: ['ignore', 'ignore', 'pipe'] })
      const ms = Number(process.hrtime.bigint() - begin) / 1e6
      if (result.status !== 0) throw new Error(`${importCase.name} failed: ${result.stderr.toString()}`)
      if (run > 0) times.get(importCase.name)!.push(ms)
    }
    if (run > 0 && run % 10 === 0) onProgress(`cold import: ${run}/${runs}`)
  }
  return IMPORT_CASES.map((c) => ({ name: c.name, medianMs: median(times.get(c.name)!), reference: c.reference === true }))
}
