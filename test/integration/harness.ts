// SDK -> real HTTP on 127.0.0.1 -> sandbox, optionally with Prism in between as a contract check by a
// tool we did not write: `prism proxy openapi.yaml <sandbox> --errors` answers any request or response
// that breaks the spec with an error of its own instead of passing it on.
import { type ChildProcess, spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { SegmentFlow, type ClientOptions } from '../../src/index.ts'
import { listen } from '../../src/testing/node.ts'
import { createSandbox, type SandboxOptions } from '../../src/testing/index.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))

/** What Prism said about a response it let through or refused (empty when it had nothing to say). */
export interface Violation {
  method: string
  url: string
  status: number
  detail: string
}

export interface Target {
  name: string
  sandbox: ReturnType<typeof createSandbox>
  baseURL: string
  /** Prism's findings; always empty for the direct target. */
  violations: Violation[]
  client(options?: Partial<ClientOptions>): SegmentFlow
  close(): Promise<void>
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}

async function waitForPrism(prism: ChildProcess, url: string, output: () => string): Promise<void> {
  const deadline = Date.now() + 90_000
  while (Date.now() < deadline) {
    if (prism.exitCode !== null) throw new Error(`prism exited with ${prism.exitCode}:\n${output()}`)
    try {
      // Any answer means it is listening; the route does not matter.
      await fetch(`${url}/api/v1/templates`)
      return
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
  }
  throw new Error(`prism did not start within 90 s:\n${output()}`)
}

export async function startTarget(kind: 'direct' | 'prism', options: SandboxOptions = {}): Promise<Target> {
  const sandbox = createSandbox(options)
  const server = await listen(sandbox, { port: 0 })
  const violations: Violation[] = []
  let baseURL = server.url
  let prism: ChildProcess | undefined

  if (kind === 'prism') {
    const port = await freePort()
    let log = ''
    prism = spawn(
      process.execPath,
      [
        `${root}/node_modules/@stoplight/prism-cli/dist/index.js`,
        'proxy',
        `${root}/openapi.yaml`,
        server.url,
        '--errors',
        '--host',
        '127.0.0.1',
        '--port',
        String(port),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    )
    prism.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()))
    prism.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()))
    baseURL = `http://127.0.0.1:${port}`
    await waitForPrism(prism, baseURL, () => log)
  }

  // Prism marks what it found in `sl-violations`, and answers refused requests and responses with
  // its own problem+json bodies: record both so that a test can insist there were none.
  const observingFetch: typeof fetch = async (input, init) => {
    const response = await fetch(input, init)
    const problem = response.headers.get('content-type')?.includes('application/problem+json')
    const header = response.headers.get('sl-violations')
    if (prism && (problem || header)) {
      const request = input instanceof Request ? input : new Request(input, init)
      violations.push({
        method: request.method,
        url: request.url,
        status: response.status,
        detail: header ?? (await response.clone().text()),
      })
    }
    return response
  }

  return {
    name: kind === 'prism' ? 'through prism proxy --errors' : 'over loopback HTTP',
    sandbox,
    baseURL,
    violations,
    client: (overrides = {}) =>
      new SegmentFlow({ apiKey: sandbox.apiKey, baseURL, fetch: observingFetch, ...overrides }),
    async close() {
      if (prism && prism.exitCode === null) {
        const exited = new Promise((resolve) => prism!.once('exit', resolve))
        prism.kill('SIGTERM')
        await exited
      }
      await server.close()
    },
  }
}
