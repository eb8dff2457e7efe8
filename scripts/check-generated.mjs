#!/usr/bin/env node
// Fails when generated/ is not what `kubb generate` makes from openapi.yaml today.
//
// generated/ is committed so that a clone builds without running the generator, and reviewed as a
// diff when the spec changes. Nobody edits it by hand: this regenerates it in place (Kubb's output
// is deterministic and its output path is fixed in kubb.config.ts) and compares the result, byte for
// byte and file for file, with the copy taken before.
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const generated = join(root, 'generated')
const fix = 'Run `npm run generate` and commit generated/ together with openapi.yaml.'

function fail(message) {
  console.error(`check-generated: ${message}`)
  process.exit(1)
}

/** Every file under dir (dotfiles included), as sorted POSIX paths relative to dir. */
function listFiles(dir) {
  if (!existsSync(dir)) return []
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() || entry.isSymbolicLink())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort()
}

if (!existsSync(join(root, 'openapi.yaml'))) fail('openapi.yaml is missing.')
if (!existsSync(generated)) fail(`generated/ is missing. ${fix}`)

const before = mkdtempSync(join(tmpdir(), 'segmentflow-generated-'))
try {
  cpSync(generated, before, { recursive: true })

  const kubb = join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'kubb.cmd' : 'kubb')
  const run = spawnSync(kubb, ['generate'], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CI: 'true' },
  })
  if (run.error || run.status !== 0) {
    process.stderr.write(run.stdout ?? '')
    process.stderr.write(run.stderr ?? '')
    // Kubb empties its output folder before writing: put back what was there.
    rmSync(generated, { recursive: true, force: true })
    cpSync(before, generated, { recursive: true })
    fail(`\`kubb generate\` failed (${run.error?.message ?? `exit ${run.status}`}): is openapi.yaml valid?`)
  }

  const old = listFiles(before)
  const now = listFiles(generated)
  const oldSet = new Set(old)
  const nowSet = new Set(now)
  const added = now.filter((file) => !oldSet.has(file))
  const removed = old.filter((file) => !nowSet.has(file))
  const changed = now.filter(
    (file) => oldSet.has(file) && !readFileSync(join(before, file)).equals(readFileSync(join(generated, file))),
  )

  if (added.length + removed.length + changed.length > 0) {
    const lines = [
      ...added.map((file) => `  missing: generated/${file} (the spec makes it)`),
      ...removed.map((file) => `  extra:   generated/${file} (the spec no longer makes it)`),
      ...changed.map((file) => `  differs: generated/${file}`),
    ]
    const shown = lines.slice(0, 50)
    if (lines.length > shown.length) shown.push(`  ... and ${lines.length - shown.length} more`)
    fail(
      `generated/ is stale: it does not match openapi.yaml.\n${shown.join('\n')}\n` +
        `generated/ has now been regenerated in place. ${fix}`,
    )
  }
  console.log(`check-generated: generated/ is up to date (${now.length} files).`)
} finally {
  rmSync(before, { recursive: true, force: true })
}
