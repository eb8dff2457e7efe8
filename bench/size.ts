/** Bundle sizes from size-limit (the checks are in .size-limit.mjs), min + brotli. */
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'

export type SizeResult = { name: string; size: number; limit: number | undefined; passed: boolean | undefined }

export function measureSize(repo: string): SizeResult[] {
  // size-limit exits 1 when a limit is exceeded; the JSON on stdout still has every figure.
  const run = spawnSync(join(repo, 'node_modules', '.bin', 'size-limit'), ['--json'], { cwd: repo, encoding: 'utf8' })
  let parsed: unknown
  try {
    parsed = JSON.parse(run.stdout)
  } catch {
    throw new Error(`size-limit printed no JSON: ${run.stdout}${run.stderr}`)
  }
  if (!Array.isArray(parsed)) throw new Error(`size-limit failed: ${JSON.stringify(parsed)}`)
  return (parsed as Array<{ name: string; size: number; sizeLimit?: number; passed?: boolean }>).map((check) => ({
    name: check.name,
    size: check.size,
    limit: check.sizeLimit,
    passed: check.passed,
  }))
}
