import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    // Generous: some tests drive the sandbox's clock, retries and the spec's whole contract.
    testTimeout: 30_000,
    projects: [
      { extends: true, test: { name: 'sdk', include: ['test/**/*.test.ts'], setupFiles: ['test/setup.ts'] } },
      // The MCP server package (mcp/), with its own resolution of the SDK.
      'mcp/vitest.config.ts',
    ],
    coverage: {
      provider: 'v8',
      include: ['src/**'],
      exclude: [
        // node:http glue for `npm run sandbox`; the sandbox itself is covered through its fetch handler.
        'src/testing/serve.ts',
        // Re-exports of generated schemas only.
        'src/schemas.ts',
      ],
      reporter: ['text-summary', 'text'],
      thresholds: {
        // The client: every file of src/ but the sandbox.
        'src/*.ts': { lines: 90 },
        'src/!(testing)/**': { lines: 90 },
        // The sandbox is what users' own tests stand on: it is held to the same bar.
        'src/testing/**': { lines: 90 },
      },
    },
  },
})
