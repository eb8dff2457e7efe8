/**
 * Idempotency keys derived from the request itself. A model that repeats a send (after a timeout, or
 * because it lost track) must replay the first result instead of emailing someone twice, so the key
 * has to be the same for the same request across calls, processes and restarts: a hash, not a UUID.
 */

/** JSON with object keys sorted at every depth, so that key order never changes the hash. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value))
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value !== null && typeof value === 'object') {
    const sorted: Record<string, unknown> = {}
    for (const key of Object.keys(value).sort()) {
      const item = (value as Record<string, unknown>)[key]
      if (item !== undefined) sorted[key] = sortKeys(item)
    }
    return sorted
  }
  return value
}

/**
 * `mcp:<tool>:<sha-256 hex>`: printable ASCII, 80 characters at most for our tool names, well under
 * the API's 255. The prefix tells whoever reads the API logs where the key came from.
 */
export async function deriveIdempotencyKey(tool: string, request: unknown): Promise<string> {
  const bytes = new TextEncoder().encode(`${tool}\n${canonicalJson(request)}`)
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))
  const hex = Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('')
  return `mcp:${tool}:${hex}`
}
