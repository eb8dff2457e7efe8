import { defineConfig } from 'tsup'

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    testing: 'src/testing/index.ts',
    // The sandbox's node:http server: its own subpath, so the testing entry stays Web-standard.
    'testing/node': 'src/testing/node.ts',
    schemas: 'src/schemas.ts',
  },
  format: ['esm', 'cjs'],
  // zod and the spec's zod schemas stay a chunk of their own, imported only to explain a refused
  // call or to check a response (src/core/validation.ts); the compiled request checks that decide
  // every call are in the entry. In the CJS build too: inlined, the schemas put 3,600 lines of
  // lazily run modules ahead of `module.exports`, and attw could no longer see the default export.
  splitting: true,
  dts: true,
  // Web-standard APIs only: the same build runs on Node, Bun, Deno, Workers and Edge.
  platform: 'neutral',
  target: 'es2022',
  clean: true,
  // Dependencies stay imports. node: built-ins are reached only from the testing/node entry. They
  // keep their `node:` prefix, which Deno and Bun need to resolve them.
  external: ['zod', /^node:/],
  removeNodeProtocol: false,
})
