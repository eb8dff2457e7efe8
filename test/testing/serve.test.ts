import { spawn } from 'node:child_process'
import { createServer, type AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { SEED } from '../../src/testing/index.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))

describe('npm run sandbox (src/testing/serve.ts)', () => {
  it('prints the base URL and a ready-made key, serves, and exits cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/testing/serve.ts', '--port', '0'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    let output = ''
    child.stderr.on('data', (chunk) => {
      output += String(chunk)
    })
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk) => {
        output += String(chunk)
        const found = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)
        if (found?.[1] && output.includes('Read-only key')) resolve(found[1])
      })
      child.on('exit', () => reject(new Error(`serve.ts exited early:\n${output}`)))
    })
    try {
      expect(output).toContain(SEED.apiKey)
      const res = await fetch(`${url}/api/v1/templates`, { headers: { 'x-api-key': SEED.apiKey } })
      expect(res.status).toBe(200)
      expect(res.headers.get('x-request-id')).toMatch(/^req_/)
    } finally {
      child.kill('SIGTERM')
    }
    expect(await exited).toBe(0)
  })

  it('on a busy port, says in one line what to do and exits 1', async () => {
    const blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    const { port } = blocker.address() as AddressInfo
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/testing/serve.ts'], {
        cwd: root,
        env: { ...process.env, PORT: String(port) },
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      let stdout = ''
      let stderr = ''
      child.stdout.on('data', (chunk) => (stdout += String(chunk)))
      child.stderr.on('data', (chunk) => (stderr += String(chunk)))
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve))

      expect(code).toBe(1)
      expect(stdout).toBe('')
      expect(stderr.trim().split('\n')).toEqual([
        `Port ${port} on 127.0.0.1 is already in use (a sandbox still running?): stop it, or pick another port: npm run sandbox -- --port ${port + 1} (or PORT=${port + 1}; --port 0 picks a free one)`,
      ])
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()))
    }
  })
})
