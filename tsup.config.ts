import { defineConfig } from 'tsup'

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    testing: 'src/testing/index.ts',
    schemas: 'src/schemas.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  // Web-standard APIs only: the same build runs on Node, Bun, Deno, Workers and Edge.
  platform: 'neutral',
  target: 'es2022',
  clean: true,
  // Dependencies stay imports. ky is ESM-only: the CJS build require()s it, which Node supports
  // from 20.19 (hence engines), so no ky type may appear in the public declarations.
  external: ['ky', 'zod'],
})
