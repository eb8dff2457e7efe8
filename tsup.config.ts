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
  // In the CJS build too, so that the schemas the client imports on first use stay a file of their
  // own: inlined, they put 3,600 lines of lazily run modules ahead of `module.exports`, and attw
  // could no longer see the default export.
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
