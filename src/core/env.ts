/** What the SDK learns from its runtime, read defensively: it must load on every runtime. */

/**
 * An environment variable, or undefined. `process` does not exist on Workers and Edge, and Deno
 * throws on `process.env` access without `--allow-env`: none of that may break construction.
 */
export function readEnv(name: string): string | undefined {
  try {
    if (typeof process === 'undefined') return undefined
    const value = process.env?.[name]?.trim()
    return value ? value : undefined
  } catch {
    return undefined
  }
}

/**
 * True where an API key would be shipped to end users: a page with `window` and `document`. Deno
 * and workers have neither (older Deno had `window`, hence the explicit exclusion).
 */
export function isBrowserLike(): boolean {
  const scope = globalThis as { window?: unknown; document?: unknown; Deno?: unknown }
  return typeof scope.window !== 'undefined' && typeof scope.document !== 'undefined' && typeof scope.Deno === 'undefined'
}
