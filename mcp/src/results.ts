/**
 * What a tool call returns. Structured content for hosts that read it, and the same as JSON text
 * for hosts that only pass text to the model (the MCP spec asks for both), after a one-line summary
 * the model can act on without parsing anything.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import type { ToolDefinition } from './tools/catalog.ts'

export interface Success {
  readonly data: unknown
  readonly requestId?: string | undefined
  readonly idempotencyKey?: string | undefined
  readonly replayed?: boolean
}

export interface RenderedRequest {
  readonly method: string
  readonly url: string
  readonly headers: Record<string, string>
  readonly body?: unknown
}

export interface ToolError {
  readonly errorCode: string
  readonly message: string
  readonly hint: string
  readonly requiredScopes: readonly string[]
  readonly status?: number | undefined
  readonly requestId?: string | undefined
  readonly idempotencyKey?: string | undefined
  readonly issues?: readonly { path: string; message: string }[] | undefined
  readonly retryAfter?: number | undefined
}

function result(summary: string, structured: Record<string, unknown>, isError = false): CallToolResult {
  return {
    content: [
      { type: 'text', text: summary },
      { type: 'text', text: JSON.stringify(structured, null, 2) },
    ],
    structuredContent: structured,
    ...(isError ? { isError: true } : {}),
  }
}

export function successResult(tool: ToolDefinition, success: Success): CallToolResult {
  const structured: Record<string, unknown> = { data: success.data ?? null }
  const cursor = nextCursorOf(success.data)
  if (cursor !== undefined) structured.nextCursor = cursor
  if (success.requestId) structured.requestId = success.requestId
  if (success.idempotencyKey) structured.idempotencyKey = success.idempotencyKey
  if (success.replayed) structured.replayed = true
  return result(summarize(tool, success), structured)
}

export function dryRunResult(tool: ToolDefinition, request: RenderedRequest): CallToolResult {
  const summary = `Dry run of ${tool.name}: nothing was sent. The call would send ${request.method} ${request.url}${
    request.body === undefined ? '' : ' with the JSON body shown'
  }. Call again without dry_run to do it.`
  return result(summary, { dryRun: true, request })
}

export function errorResult(error: ToolError): CallToolResult {
  const structured = Object.fromEntries(Object.entries(error).filter(([, value]) => value !== undefined))
  const issues = error.issues?.length ? ` Issues: ${error.issues.map((i) => `${i.path || '(arguments)'}: ${i.message}`).join('; ')}.` : ''
  return result(`Error ${error.errorCode}: ${error.message}${issues} Hint: ${error.hint}`, structured, true)
}

function nextCursorOf(data: unknown): string | null | undefined {
  if (data === null || typeof data !== 'object' || !('nextCursor' in data)) return undefined
  const cursor = (data as { nextCursor: unknown }).nextCursor
  return typeof cursor === 'string' && cursor !== '' ? cursor : null
}

/** The first array in a list response: `profiles`, `assets`, or the response itself. */
function itemsOf(data: unknown): unknown[] | undefined {
  if (Array.isArray(data)) return data
  if (data === null || typeof data !== 'object') return undefined
  return Object.values(data).find(Array.isArray)
}

function label(data: unknown): string {
  if (data === null || typeof data !== 'object') return ''
  const record = data as Record<string, unknown>
  const parts: string[] = []
  for (const field of ['id', 'eventId', 'name', 'key', 'email', 'status']) {
    const value = record[field]
    if (typeof value === 'string' && value !== '') parts.push(`${field} ${field === 'name' ? JSON.stringify(value) : value}`)
  }
  for (const nested of ['asset', 'send']) {
    if (parts.length === 0 && record[nested]) return label(record[nested])
  }
  return parts.join(', ')
}

function summarize(tool: ToolDefinition, success: Success): string {
  const data = success.data
  const replay = success.replayed
    ? ' Replayed: an identical call was already made with this idempotency key, so nothing was done again.'
    : ''
  const request = success.requestId ? ` (request ${success.requestId})` : ''
  let text: string

  const items = tool.method === 'list' || tool.method === 'listSubscriptions' ? itemsOf(data) : undefined
  if (items) {
    const cursor = nextCursorOf(data)
    const total = typeof (data as { profileCount?: unknown }).profileCount === 'number' ? ` of ${(data as { profileCount: number }).profileCount}` : ''
    text = `${tool.operation.summary}: ${items.length}${total} returned.`
    if (cursor) text += ` More are available: call ${tool.name} again with cursor "${cursor}".`
    else if (cursor === null) text += ' This is the last page.'
  } else if (tool.name === 'emails_batch_send' && data && typeof data === 'object') {
    const { total, accepted, rejected } = data as Record<string, unknown>
    text = `Batch: ${String(accepted)} of ${String(total)} accepted, ${String(rejected)} rejected (see items for each outcome).`
  } else if (tool.name === 'events_track' && data && typeof data === 'object') {
    const event = data as Record<string, unknown>
    text = `Event ${String(event.eventId)} tracked for profile ${String(event.profileId)}: ${String(event.matchedJourneys)} Journeys matched, ${String(event.enrolledJourneys)} enrolled, ${String(event.skippedJourneys)} skipped.`
  } else if (data === undefined || data === null || data === '') {
    text = `${tool.operation.summary}: done.`
  } else {
    const what = label(data)
    text = `${tool.operation.summary}: done${what ? ` (${what})` : ''}.`
  }
  return `${text}${replay}${request}`
}
