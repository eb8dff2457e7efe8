export type HttpMethod = 'GET' | 'PUT' | 'POST' | 'PATCH' | 'DELETE'

/** One API operation as the spec describes it; see scripts/generate-operations.mjs. */
export interface OperationMeta {
  readonly operationId: string
  readonly method: HttpMethod
  readonly path: string
  readonly tag: string
  readonly summary: string
  readonly description: string
  readonly scopes: readonly string[]
  /** Whether SegmentFlow's API reference shows the route, or the spec infers it. */
  readonly provenance: 'documented' | 'inferred'
  /** Whether a repeat after a lost answer is safe (`x-segmentflow-idempotent`): the SDK retries only these. */
  readonly retrySafe: boolean
  /** Whether the operation takes an `Idempotency-Key` header, and whether it must. */
  readonly idempotency: 'required' | 'optional' | 'none'
  readonly pathParams: readonly string[]
  readonly queryParams: readonly string[]
  readonly body: 'required' | 'optional' | 'none'
}
