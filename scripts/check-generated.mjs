#!/usr/bin/env node
// Fails when generated/ is not what `npm run generate` makes from openapi.yaml today: Kubb's output,
// then generated/policy.ts (scripts/generate-policy.mjs) and the request checks compiled from the
// zod schemas (scripts/generate-validation.ts).
//
// generated/ is committed so that a clone builds without running the generator, and reviewed as a
// diff when the spec changes. Nobody edits it by hand: this generates the spec afresh, with the same
// kubb.config.ts, into a scratch folder (Kubb's output is deterministic) and compares it with the
// committed copy, byte for byte and file for file.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const generated = join(root, 'generated')
const fix = 'Run `npm run generate` and commit generated/ together with openapi.yaml.'

const cleanups = []

function fail(message) {
  console.error(`check-generated: ${message}`)
  // process.exit skips `finally`: the scratch folder and config must not outlive a failing run.
  for (const cleanup of cleanups) cleanup()
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

// Generate into a scratch folder, never in place: two runs in one checkout (a watcher and a test run,
// say) would otherwise race on a half-empty generated/.
const scratch = mkdtempSync(join(tmpdir(), 'segmentflow-generated-'))
const output = join(scratch, 'generated')
const config = join(root, `.kubb-check-${process.pid}.config.ts`)
const cleanup = () => {
  rmSync(config, { force: true })
  rmSync(scratch, { recursive: true, force: true })
}
cleanups.push(cleanup)
try {
  writeFileSync(
    config,
    `import config from './kubb.config.ts'\n` +
      `export default { ...config, output: { ...config.output, path: ${JSON.stringify(output)} } }\n`,
  )
  const kubb = join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'kubb.cmd' : 'kubb')
  const run = spawnSync(kubb, ['generate', '--config', config], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CI: 'true' },
  })
  if (run.error || run.status !== 0) {
    process.stderr.write(run.stdout ?? '')
    process.stderr.write(run.stderr ?? '')
    fail(`\`kubb generate\` failed (${run.error?.message ?? `exit ${run.status}`}): is openapi.yaml valid?`)
  }
  // The second step of `npm run generate`: what Kubb's output does not carry (generated/policy.ts).
  const policy = spawnSync(process.execPath, [join(root, 'scripts', 'generate-policy.mjs'), output], { cwd: root, encoding: 'utf8' })
  if (policy.error || policy.status !== 0) {
    process.stderr.write(policy.stderr ?? '')
    fail(`\`scripts/generate-policy.mjs\` failed (${policy.error?.message ?? `exit ${policy.status}`})`)
  }

  // The compiled request checks, from the committed zod schemas (which the comparison below holds to
  // the spec) and openapi.yaml.
  const tsx = join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'tsx.cmd' : 'tsx')
  const compile = spawnSync(tsx, [join(root, 'scripts', 'generate-validation.ts'), join(output, 'validation', 'checks.ts')], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  if (compile.error || compile.status !== 0) {
    process.stderr.write(compile.stdout ?? '')
    process.stderr.write(compile.stderr ?? '')
    fail(`scripts/generate-validation.ts failed (${compile.error?.message ?? `exit ${compile.status}`}).`)
  }

  const old = listFiles(generated)
  const now = listFiles(output)
  const oldSet = new Set(old)
  const nowSet = new Set(now)
  const added = now.filter((file) => !oldSet.has(file))
  const removed = old.filter((file) => !nowSet.has(file))
  const changed = now.filter(
    (file) => oldSet.has(file) && !readFileSync(join(generated, file)).equals(readFileSync(join(output, file))),
  )

  if (added.length + removed.length + changed.length > 0) {
    const lines = [
      ...added.map((file) => `  missing: generated/${file} (the spec makes it)`),
      ...removed.map((file) => `  extra:   generated/${file} (the spec no longer makes it)`),
      ...changed.map((file) => `  differs: generated/${file}`),
    ]
    const shown = lines.slice(0, 50)
    if (lines.length > shown.length) shown.push(`  ... and ${lines.length - shown.length} more`)
    fail(`generated/ is stale: it does not match openapi.yaml.\n${shown.join('\n')}\n${fix}`)
  }
  console.log(`check-generated: generated/ is up to date (${now.length} files).`)
} finally {
  cleanup()
}
