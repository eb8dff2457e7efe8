#!/usr/bin/env node
/**
 * npm run test:snippets: every TypeScript block of README.md and docs/*.md, as a user would paste
 * it. Each block becomes a file of a throwaway project that installs the packed tarball; all of
 * them are typechecked with tsc (strict), then run one after the other against one sandbox served
 * on 127.0.0.1, with SEGMENTFLOW_BASE_URL and SEGMENTFLOW_API_KEY set as a user would set them,
 * after `npm run demo` (examples/quickstart.ts) against the same sandbox: as a newcomer runs them
 * in sequence against one `npm run sandbox`, so a key reused across scenarios fails here with a
 * 409. A block that imports vitest runs under vitest. A README that drifts from the SDK fails here.
 *
 * HTTPS_PROXY and HTTP_PROXY point at a forward proxy on 127.0.0.1 for every block: a block that
 * mentions HTTPS_PROXY must send through it (docs/proxies.md), and the check counts that it did.
 *
 *   node scripts/snippets.mjs [--only README] [--keep]
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { basename, join, relative } from 'node:path'
import { parseArgs } from 'node:util'

import { startForwardProxy } from './lib/forward-proxy.mjs'
import { installConsumer, makeTempDir, PACKAGE_NAME, packTarball, ROOT, run, tail } from './lib/consumer.mjs'

const { values: flags } = parseArgs({
  options: { only: { type: 'string' }, keep: { type: 'boolean', default: false } },
})

const SNIPPET_TIMEOUT_MS = 60_000
/** A 1x1 PNG: what `fs.openAsBlob('logo.png')` in the upload example reads. */
const LOGO_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
)

/** The documents whose blocks are checked: the README and every page of docs/ (not the generated reference). */
function documents() {
  const docs = join(ROOT, 'docs')
  const pages = existsSync(docs) ? readdirSync(docs).filter((name) => name.endsWith('.md')).map((name) => join(docs, name)) : []
  return [join(ROOT, 'README.md'), ...pages.sort()]
}

/** ```ts and ```typescript blocks, with the line each starts on. */
function extractBlocks(file) {
  const lines = readFileSync(file, 'utf8').split('\n')
  const blocks = []
  let open
  for (const [index, line] of lines.entries()) {
    if (open === undefined) {
      const fence = /^(`{3,})(ts|typescript)(\s.*)?$/.exec(line.trim())
      if (fence) open = { fence: fence[1], start: index + 1, body: [] }
    } else if (line.trim() === open.fence) {
      blocks.push({ file, line: open.start, code: open.body.join('\n') })
      open = undefined
    } else {
      open.body.push(line)
    }
  }
  if (open) throw new Error(`${relative(ROOT, file)}:${open.start}: a code block is never closed`)
  return blocks
}

const results = []
function record(name, ok, detail, ms) {
  results.push({ name, ok, detail, ms })
  const shown = ok ? (detail ? `: ${detail}` : '') : `\n     ${detail.split('\n').join('\n     ')}`
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name} (${(ms / 1000).toFixed(1)} s)${shown}`)
}

const startedAt = Date.now()
const work = makeTempDir('snippets')
const consumer = join(work, 'consumer')
let proxy
try {
  const blocks = documents()
    .flatMap(extractBlocks)
    .map((block) => {
      const where = relative(ROOT, block.file).replace(/\.md$/, '').replaceAll('/', '-')
      const test = /from ['"]vitest['"]/.test(block.code)
      return { ...block, where: `${relative(ROOT, block.file)}:${block.line}`, name: `${where}-L${block.line}${test ? '.test' : ''}`, test }
    })
    .filter((block) => !flags.only || block.where.includes(flags.only))
  if (blocks.length === 0) throw new Error('no TypeScript blocks found')
  if (!flags.only) {
    const demo = join(ROOT, 'examples/quickstart.ts')
    blocks.unshift({ file: demo, line: 1, code: readFileSync(demo, 'utf8'), where: 'examples/quickstart.ts (npm run demo)', name: 'demo-quickstart', test: false })
  }
  console.log(`${blocks.length} TypeScript blocks in ${[...new Set(blocks.map((b) => relative(ROOT, b.file)))].join(', ')}`)

  const tarball = await packTarball(work)
  console.log(`packed ${basename(tarball.path)} (${tarball.version})`)
  mkdirSync(join(consumer, 'snippets'), { recursive: true })
  await installConsumer(consumer, tarball.path, ['vitest', 'undici'])
  writeFileSync(join(consumer, 'logo.png'), LOGO_PNG)
  writeFileSync(
    join(consumer, 'tsconfig.json'),
    `${JSON.stringify(
      {
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          lib: ['ES2022'],
          types: ['node'],
          strict: true,
          noEmitOnError: true,
          skipLibCheck: true,
          rootDir: 'snippets',
          outDir: 'out',
        },
        include: ['snippets'],
      },
      null,
      2,
    )}\n`,
  )
  for (const block of blocks) {
    // `export {}` keeps a block a module (top-level await) even if it has no import of its own.
    writeFileSync(join(consumer, 'snippets', `${block.name}.ts`), `// ${block.where}\n${block.code}\nexport {}\n`)
  }

  const compileStarted = Date.now()
  try {
    await run(process.execPath, [join(consumer, 'node_modules/typescript/bin/tsc'), '-p', '.'], { cwd: consumer, timeoutMs: 300_000 })
    record(`tsc: ${blocks.length} blocks typecheck against the packed package`, true, '', Date.now() - compileStarted)
  } catch (error) {
    const lines = (error.stdout || error.message).split('\n').filter((line) => line.includes('error TS'))
    // Point at the document's line, not the generated file's: the file's line 1 is the comment.
    const located = lines.map((line) => {
      const match = /^snippets\/(.+?)\.ts\((\d+),(\d+)\): (.*)$/.exec(line)
      const block = match && blocks.find((b) => b.name === match[1])
      return block ? `${relative(ROOT, block.file)}:${block.line + Number(match[2]) - 1}: ${match[4]}` : line
    })
    record('tsc: the blocks typecheck against the packed package', false, located.slice(0, 20).join('\n') || tail(error.message), Date.now() - compileStarted)
    throw new Error('typecheck failed: not running the blocks')
  }

  const requireFromConsumer = createRequire(join(consumer, 'package.json'))
  const { createSandbox } = requireFromConsumer(`${PACKAGE_NAME}/testing`)
  const { listen } = requireFromConsumer(`${PACKAGE_NAME}/testing/node`)
  proxy = await startForwardProxy()
  const sandbox = createSandbox()
  const api = await listen(sandbox)

  for (const block of blocks) {
    const started = Date.now()
    const proxiedBefore = proxy.carried.length
    const requestsBefore = sandbox.state.requests.length
    try {
      const env = {
        SEGMENTFLOW_BASE_URL: api.url,
        SEGMENTFLOW_API_KEY: sandbox.apiKey,
        SEGMENTFLOW_READ_ONLY_API_KEY: sandbox.readOnlyApiKey,
        SEGMENTFLOW_LOG: '',
        HTTPS_PROXY: proxy.url,
        HTTP_PROXY: proxy.url,
        NO_COLOR: '1',
      }
      const command = block.test
        ? [join(consumer, 'node_modules/vitest/vitest.mjs'), 'run', `snippets/${block.name}.ts`]
        : [`out/${block.name}.js`]
      await run(process.execPath, command, { cwd: consumer, env, timeoutMs: SNIPPET_TIMEOUT_MS })
      if (/HTTPS_PROXY/.test(block.code) && proxy.carried.length === proxiedBefore) {
        throw new Error('the block reads HTTPS_PROXY but sent nothing through the proxy')
      }
      const calls = sandbox.state.requests.length - requestsBefore
      record(`${block.where}`, true, `${calls} request${calls === 1 ? '' : 's'} to the sandbox`, Date.now() - started)
    } catch (error) {
      record(`${block.where}`, false, tail(error.message, 12), Date.now() - started)
    }
  }
  await api.close()
} catch (error) {
  if (!results.some((r) => !r.ok)) record('setup', false, error.message, 0)
} finally {
  await proxy?.close()
}

const failed = results.filter((r) => !r.ok).length
console.log(`\n${results.length - failed} passed, ${failed} failed in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`)
if (flags.keep || failed) console.log(`work directory kept in ${work}`)
else rmSync(work, { recursive: true, force: true })
process.exitCode = failed ? 1 : 0
