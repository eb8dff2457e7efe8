/**
 * The generated zod schemas of every operation, from the SDK itself: the tool input schemas, the
 * SDK's request checks and the API's validation all use the same ones, so they cannot drift apart.
 */
export { operations as operationSchemas, emailAddressSchema, idempotencyKeySchema } from '@segmentflow/segmentflow-typescript/schemas'
export type { OperationSchema } from '@segmentflow/segmentflow-typescript/schemas'
