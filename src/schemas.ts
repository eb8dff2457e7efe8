// Placeholder: re-exports the generated zod schemas.
export const SCHEMAS_PLACEHOLDER = true
