import { fileURLToPath } from 'node:url'
import { defineProject } from 'vitest/config'

const sdk = (path: string) => fileURLToPath(new URL(`../src/${path}`, import.meta.url))

export default defineProject({
  resolve: {
    // The SDK from its sources: `npm test` runs before anything is built. Only the bin smoke test
    // uses the built packages, which it builds itself.
    alias: [
      { find: /^@segmentflow\/segmentflow-typescript\/testing$/, replacement: sdk('testing/index.ts') },
      { find: /^@segmentflow\/segmentflow-typescript\/schemas$/, replacement: sdk('schemas.ts') },
      { find: /^@segmentflow\/segmentflow-typescript$/, replacement: sdk('index.ts') },
    ],
  },
  test: {
    name: 'mcp',
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['test/**/*.test.ts'],
    // Building the bin and spawning it takes a while on a slow 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 240_000,
  },
})
