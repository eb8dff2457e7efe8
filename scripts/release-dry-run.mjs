#!/usr/bin/env node
/**
 * npm run release:dry-run: what `npm run release:version` and `npm publish` would do, done in a
 * throwaway copy so that the working tree and the pending changesets stay as they are.
 *
 * In the copy: `changeset version` folds the pending changesets into versions and CHANGELOGs, the
 * VERSION constant is synced, and each public package is packed with `npm pack --dry-run`. Fails
 * if a package would ship without its build, with files it must not contain, with a VERSION that
 * disagrees with its manifest, or if the working tree changed. Run after `npm run build`.
 */
import { createHash } from 'node:crypto'
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'

import { makeTempDir, ROOT, run } from './lib/consumer.mjs'

const CHANGESETS = join(ROOT, 'node_modules/@changesets/cli/bin.js')

// The public packages, their folder, and what each tarball must hold.
const PACKAGES = [
  {
    dir: '.',
    required: ['package.json', 'README.md', 'CHANGELOG.md', 'dist/index.js', 'dist/index.cjs', 'dist/index.d.ts', 'dist/index.d.cts', 'dist/testing.js', 'dist/testing.cjs', 'dist/testing/node.js', 'dist/schemas.js'],
  },
  { dir: 'mcp', required: ['package.json', 'README.md', 'dist/cli.js'] },
]
const FORBIDDEN = [/^src\//, /^test\//, /^\.changeset\//, /node_modules\//, /\.tgz$/, /^\.env/, /\.tsbuildinfo$/]

/** What `changeset version` reads and writes, hashed to prove the working tree was left alone. */
function fingerprint() {
  const hash = createHash('sha256')
  const files = ['package.json', 'mcp/package.json', 'CHANGELOG.md', 'mcp/CHANGELOG.md', 'src/version.ts', 'package-lock.json']
  for (const name of readdirSync(join(ROOT, '.changeset')).sort()) files.push(`.changeset/${name}`)
  for (const file of files) {
    hash.update(file)
    hash.update(existsSync(join(ROOT, file)) ? readFileSync(join(ROOT, file)) : 'absent')
  }
  return hash.digest('hex')
}

function copy(relative, work) {
  const from = join(ROOT, relative)
  if (existsSync(from)) cpSync(from, join(work, relative), { recursive: true })
}

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'))

const before = fingerprint()
const work = makeTempDir('release')
const problems = []
try {
  for (const file of ['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', 'openapi.yaml', '.changeset', 'src/version.ts', 'dist']) copy(file, work)
  for (const file of ['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', 'dist']) copy(`mcp/${file}`, work)
  // changesets resolves its changelog generator from the copy; the repository's install serves.
  symlinkSync(join(ROOT, 'node_modules'), join(work, 'node_modules'), 'dir')

  const versionsBefore = PACKAGES.map(({ dir }) => readJson(join(work, dir, 'package.json')).version)
  const { stdout, stderr } = await run(process.execPath, [CHANGESETS, 'version'], { cwd: work, env: { CI: 'true' } })
  await run(process.execPath, [join(ROOT, 'scripts/sync-version.mjs'), work])
  console.log(`changeset version (in a copy):\n  ${(stdout + stderr).trim().split('\n').join('\n  ')}\n`)

  const sdk = readJson(join(work, 'package.json'))
  const versionSource = readFileSync(join(work, 'src/version.ts'), 'utf8')
  if (!versionSource.includes(`export const VERSION = '${sdk.version}'`)) problems.push(`src/version.ts does not say ${sdk.version} after the sync`)

  for (const [index, pkg] of PACKAGES.entries()) {
    const manifest = readJson(join(work, pkg.dir, 'package.json'))
    const bump = versionsBefore[index] === manifest.version ? `${manifest.version} (unchanged)` : `${versionsBefore[index]} -> ${manifest.version}`
    const internal = manifest.dependencies?.[sdk.name]
    if (internal && pkg.dir !== '.' && internal !== sdk.version && !internal.startsWith('^') && !internal.startsWith('~')) {
      problems.push(`${manifest.name} pins ${sdk.name}@${internal}, which would be ${sdk.version}`)
    }
    const { stdout: packed } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: join(work, pkg.dir) })
    const [info] = JSON.parse(packed.slice(packed.indexOf('[')))
    const files = info.files.map((file) => file.path)
    const missing = pkg.required.filter((file) => !files.includes(file))
    const stray = files.filter((file) => FORBIDDEN.some((pattern) => pattern.test(file)))
    if (missing.length) problems.push(`${manifest.name}: the tarball lacks ${missing.join(', ')}${pkg.dir === '.' ? '' : ' (is it built?)'}`)
    if (stray.length) problems.push(`${manifest.name}: the tarball would ship ${stray.join(', ')}`)
    console.log(
      `${manifest.name} ${bump}: ${info.filename}, ${files.length} files, ${(info.size / 1024).toFixed(1)} kB packed, ${(info.unpackedSize / 1024).toFixed(1)} kB unpacked`,
    )
    if (versionsBefore[index] !== manifest.version) {
      const entry = readFileSync(join(work, pkg.dir, 'CHANGELOG.md'), 'utf8').split('\n').slice(2, 8).join('\n    ')
      console.log(`  ${join(pkg.dir, 'CHANGELOG.md')} would gain:\n    ${entry}\n    ...`)
    }
  }
} catch (error) {
  problems.push(error.message)
} finally {
  rmSync(work, { recursive: true, force: true })
}
if (fingerprint() !== before) problems.push('the working tree changed during the dry run')

if (problems.length) {
  console.error(`\nrelease dry run failed:\n- ${problems.join('\n- ')}`)
  process.exitCode = 1
} else {
  console.log('\nrelease dry run: ok (nothing was written outside a temporary copy)')
}
