import { defineConfig } from 'tsup'

export default defineConfig({
  // The command line is the product: no library entry, no declarations to keep stable.
  entry: { cli: 'src/cli.ts' },
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  clean: true,
  // Dependencies (the SDK, the MCP SDK, zod) stay imports, resolved from node_modules at run time.
})
