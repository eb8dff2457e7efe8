/**
 * The seam between the tools and the API: one call, or the rendering of one call for a dry run.
 * The tool logic depends only on this interface, so that it can be read (and tested) without HTTP.
 */
import type { RenderedRequest, Success } from './results.ts'
import type { ToolDefinition } from './tools/catalog.ts'

export interface ApiCall {
  readonly tool: ToolDefinition
  readonly path: Readonly<Record<string, string>>
  readonly query: Readonly<Record<string, unknown>> | undefined
  readonly body: Readonly<Record<string, unknown>> | undefined
  readonly idempotencyKey: string | undefined
}

export interface Gateway {
  /** Makes the call; throws the SDK's errors. */
  call(call: ApiCall, signal?: AbortSignal): Promise<Success>
  /** The exact request `call` would send, without sending it; throws if the SDK would refuse it. */
  render(call: ApiCall): Promise<RenderedRequest>
}
