/**
 * The spec's zod schemas (`sendEmailRequestSchema`, ...) and the `operations` map (operation id ->
 * request, parameter and response schemas), for users who validate on their side of the wire.
 */
export * from '../generated/zod/index.ts'
