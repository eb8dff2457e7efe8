/**
 * Turns whatever a call throws into an error result a model can act on: the API's stable error code,
 * its message, the scopes at stake and one line saying what to change. Never a bare "failed".
 */
import type { ToolError } from './results.ts'
import { tools, type ToolDefinition } from './tools/catalog.ts'

interface SdkErrorShape {
  name?: string
  message?: string
  status?: number
  errorCode?: string
  details?: Record<string, unknown>
  requestId?: string
  idempotencyKey?: string
  requiredScopes?: string[]
  retryAfter?: number
  issues?: { path?: string; message: string }[]
}

function listToolFor(tool: ToolDefinition): string | undefined {
  return tools.find((candidate) => candidate.toolset === tool.toolset && candidate.method === 'list')?.name
}

/**
 * The spec marks this operation unsafe to repeat after a lost answer (x-segmentflow-idempotent): the
 * SDK did not retry it, and the model must not either without looking first.
 */
function checkBeforeRepeating(tool: ToolDefinition): string {
  const list = listToolFor(tool)
  return `it may have taken effect, and a repeat could do it twice. Check${list ? ` with ${list}` : ''} before calling again.`
}

function hintFor(code: string, tool: ToolDefinition, error: SdkErrorShape, baseURL: string): string {
  const scopes = error.requiredScopes?.length ? error.requiredScopes : tool.operation.scopes
  switch (code) {
    case 'invalid_request':
      return 'Fix the arguments named in `issues` (see the tool input schema) and call again.'
    case 'unauthorized':
      return 'The API key was refused: the operator must check SEGMENTFLOW_API_KEY and SEGMENTFLOW_BASE_URL. Retrying will not help.'
    case 'insufficient_scope':
      return `The server's API key lacks ${scopes.join(', ')}: the operator must use a key with it (and list it in --scopes so the tool is hidden otherwise).`
    case 'not_found': {
      const list = listToolFor(tool)
      return `Nothing with that id exists in this organization${list ? `: call ${list} to find a valid id` : ''}.`
    }
    case 'idempotency_key_reuse':
      return 'That idempotency key was already used for a different request: call again with a new idempotency_key (or none, to derive one).'
    case 'idempotency_request_in_progress':
      return 'An identical request is still running: wait a few seconds, then call again with the same arguments.'
    case 'conflict':
      return 'Not allowed in the resource\'s current state (for example the default brand kit, or an asset finalized twice): retrieve it, check its state, and change that first.'
    case 'payload_too_large':
      return 'The file is larger than 20,971,520 bytes: use a smaller file.'
    case 'validation_failed':
      return tool.toolset === 'emails'
        ? 'The API refused the send as it stands: check with templates_list that the template is Transactional and Active, and that the configured sender is verified.'
        : 'The API refused the request as it stands: read the message, change what it names, and call again.'
    case 'rate_limited':
      return `Too many requests: wait ${error.retryAfter ?? 'a few'} seconds, then call again with the same arguments.`
    case 'internal_error':
    case 'service_unavailable':
      return tool.operation.retrySafe
        ? 'A temporary failure at SegmentFlow: call again with the same arguments; the idempotency key makes a repeat safe.'
        : `A failure at SegmentFlow after the request arrived: ${checkBeforeRepeating(tool)}`
    case 'connection_error':
      return tool.operation.retrySafe
        ? `Could not reach ${baseURL}: check the network, or wait and call again with the same arguments.`
        : `Could not reach ${baseURL}, or lost its answer: ${checkBeforeRepeating(tool)}`
    case 'client_validation':
      return 'Fix the arguments named in `issues` and call again; nothing was sent.'
    default:
      return 'Read the message, change what it names, and call again; quote the requestId if you contact SegmentFlow support.'
  }
}

/** `403 insufficient_scope: The key lacks ...` -> `The key lacks ...`: the code is its own field. */
function envelopeMessage(error: SdkErrorShape): string {
  const message = error.message ?? 'Unknown error'
  const prefix = `${error.status ?? ''}${error.errorCode ? ` ${error.errorCode}` : ''}: `
  return error.status !== undefined && message.startsWith(prefix) ? message.slice(prefix.length) : message
}

export function toToolError(thrown: unknown, tool: ToolDefinition, baseURL: string): ToolError {
  const error = (thrown ?? {}) as SdkErrorShape
  const name = error.name ?? ''
  let errorCode: string
  if (typeof error.status === 'number') {
    errorCode = error.errorCode ?? `http_${error.status}`
  } else if (name === 'ValidationError') {
    errorCode = 'invalid_arguments'
  } else if (name === 'APIConnectionError' || name === 'APIConnectionTimeoutError') {
    errorCode = 'connection_error'
  } else if (name === 'APIUserAbortError') {
    errorCode = 'cancelled'
  } else {
    errorCode = 'internal_error'
  }
  const issues =
    // The SDK names the key option `idempotencyKey`; the model knows it as the `idempotency_key` argument.
    error.issues?.map((issue) => ({ path: issue.path === 'idempotencyKey' ? 'idempotency_key' : (issue.path ?? ''), message: issue.message })) ??
    (Array.isArray(error.details?.issues) ? (error.details.issues as { path: string; message: string }[]) : undefined)
  const hintCode = errorCode === 'invalid_arguments' ? 'client_validation' : errorCode
  return {
    errorCode,
    message: typeof error.status === 'number' ? envelopeMessage(error) : (error.message ?? String(thrown)),
    hint: hintFor(hintCode, tool, error, baseURL),
    requiredScopes: error.requiredScopes?.length ? error.requiredScopes : tool.operation.scopes,
    status: error.status,
    requestId: error.requestId,
    idempotencyKey: error.idempotencyKey,
    issues,
    retryAfter: error.retryAfter,
  }
}
