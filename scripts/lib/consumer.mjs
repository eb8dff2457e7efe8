/**
 * The published artifact, as a user gets it: `npm pack` of the built package, installed into a
 * throwaway consumer project outside the repository (so nothing resolves back into the work tree).
 * Shared by the runtime matrix and the examples check.
 */
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))
export const RUNTIMES = join(ROOT, 'runtimes')
export const PACKAGE_NAME = '@segmentflow/segmentflow-typescript'

const rootPackage = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))

/**
 * Runs a command, resolves with its output; rejects on a non-zero exit or when it outlives
 * `timeoutMs`. The child gets its own process group so that a timeout ends its children too.
 */
export function run(command, args, { cwd = ROOT, env, timeoutMs = 300_000, input } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, ...env },
      detached: true,
      // No stdin unless given: CI has none, and a pipe nobody reads fails with EPIPE.
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    let timedOut = false
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    if (input !== undefined) {
      child.stdin.on('error', () => {})
      child.stdin.end(input)
    }
    const timer = setTimeout(() => {
      timedOut = true
      try {
        process.kill(-child.pid, 'SIGKILL')
      } catch {
        // already gone
      }
    }, timeoutMs)
    child.on('error', (error) => {
      clearTimeout(timer)
      reject(Object.assign(error, { stdout, stderr }))
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      const result = { code, signal, stdout, stderr, timedOut }
      if (code === 0 && !timedOut) resolve(result)
      else {
        const why = timedOut ? `timed out after ${Math.round(timeoutMs / 1000)} s` : `exited with ${code ?? signal}`
        reject(Object.assign(new Error(`${command} ${args.join(' ')} ${why}\n${tail(stderr || stdout)}`), result))
      }
    })
  })
}

export function tail(text, lines = 15) {
  return text.trim().split('\n').slice(-lines).join('\n')
}

/**
 * Installs runtimes/ from its lockfile when the install is missing or older than the lockfile:
 * CI starts from a clean clone, a contributor's second run reuses the install.
 */
export async function ensureRuntimes() {
  const lock = readFileSync(join(RUNTIMES, 'package-lock.json'))
  const hash = createHash('sha256').update(lock).digest('hex')
  const marker = join(RUNTIMES, 'node_modules', '.segmentflow-installed-from')
  if (existsSync(marker) && readFileSync(marker, 'utf8') === hash) return { installed: false }
  await run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: RUNTIMES, timeoutMs: 600_000 })
  writeFileSync(marker, hash)
  return { installed: true }
}

/** `npm pack` of the built package into `dir`; the build itself is `npm run build`'s job. */
export async function packTarball(dir) {
  for (const file of ['dist/index.js', 'dist/index.cjs', 'dist/index.d.cts']) {
    if (!existsSync(join(ROOT, file))) throw new Error(`${file} is missing: run \`npm run build\` first`)
  }
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', dir])
  const [info] = JSON.parse(stdout.slice(stdout.indexOf('[')))
  return { path: join(dir, info.filename), version: info.version, size: info.size, unpackedSize: info.unpackedSize }
}

export function makeTempDir(label) {
  return mkdtempSync(join(tmpdir(), `segmentflow-${label}-`))
}

/**
 * A consumer project with the tarball and the TypeScript a user would have. Versions are the
 * repository's own pins, so the consumer typechecks with exactly what CI builds with; `extra` names
 * more of the root's devDependencies to install (the snippet check's vitest and undici).
 */
export async function installConsumer(dir, tarball, extra = []) {
  const devDependencies = rootPackage.devDependencies
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify(
      {
        name: 'segmentflow-consumer',
        private: true,
        type: 'module',
        dependencies: {
          [PACKAGE_NAME]: `file:${tarball}`,
          '@types/node': devDependencies['@types/node'],
          typescript: devDependencies.typescript,
          ...Object.fromEntries(extra.map((name) => [name, devDependencies[name]])),
        },
      },
      null,
      2,
    )}\n`,
  )
  // Installing under engine-strict proves the package's engines field admits this Node.
  writeFileSync(join(dir, '.npmrc'), 'engine-strict=true\n')
  await run('npm', ['install', '--no-audit', '--no-fund'], { cwd: dir })
}
