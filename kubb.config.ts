import { defineConfig } from '@kubb/core'
import { pluginClient } from '@kubb/plugin-client'
import { pluginOas } from '@kubb/plugin-oas'
import { pluginTs } from '@kubb/plugin-ts'
import { pluginZod } from '@kubb/plugin-zod'

// One folder per resource, named for it (`clients/emails/`, `clients/brandKit/`), instead of Kubb's
// default `<tag>Controller`: the SDK has resources, not controllers.
const group = {
  type: 'tag',
  name: ({ group: tag }: { group: string }) =>
    tag
      .split(/\s+/)
      .map((word, index) => (index === 0 ? word.toLowerCase() : word[0]!.toUpperCase() + word.slice(1).toLowerCase()))
      .join(''),
} as const

// generated/ is output only: CI regenerates it (scripts/check-generated.mjs) and fails on any
// difference, so every change to the API starts in openapi.yaml.
export default defineConfig({
  root: '.',
  input: { path: './openapi.yaml' },
  output: {
    path: './generated',
    clean: true,
    // Both default to shelling out to whatever prettier/linter is installed, which would make the
    // output depend on the machine.
    format: false,
    lint: false,
    barrelType: 'all',
  },
  plugins: [
    // Fails the generation (exit 1) on an invalid spec.
    pluginOas({ validate: true }),
    pluginTs({
      output: { path: 'types', barrelType: 'all' },
      group,
      // Must match pluginClient's, or the client reads `headers.idempotencyKey` from a type that
      // only has `'Idempotency-Key'`.
      paramsCasing: 'camelcase',
    }),
    pluginZod({
      output: { path: 'zod', barrelType: 'all' },
      group,
      version: '4',
      importPath: 'zod',
      // Schemas are typed as `z.ZodType<T>` of the pluginTs types, so generated functions return the
      // named types (`Email`) rather than inferred structural ones. The header and path param schemas
      // keep the wire names while their `T` is camelCase: parse those only as wire objects.
      typed: true,
      // `operations.ts`: operationId -> request, path/query/header and response schemas. The client's
      // validation step and the sandbox's router both read it, so they cannot drift from the spec.
      operations: true,
      // RFC 3339 allows any offset (`+02:00`), not only `Z`: the default check refused valid timestamps.
      dateType: 'stringOffset',
    }),
    pluginClient({
      output: { path: 'clients', barrelType: 'all' },
      group,
      // Resolved through package.json "imports", so the path does not depend on folder depth.
      importPath: '#transport',
      // No zod inside the generated calls: validation is a policy of the client (requests on by default,
      // responses opt-in, the caller's own object sent untouched), applied from zod/operations.ts.
      parser: 'client',
      paramsType: 'object',
      pathParamsType: 'object',
      // The whole response (status, headers) reaches the client: `.withResponse()` and request ids need it.
      dataReturnType: 'full',
      clientType: 'function',
      paramsCasing: 'camelcase',
    }),
  ],
})
