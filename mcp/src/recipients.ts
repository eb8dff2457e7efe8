/**
 * The operator's recipient allowlist: `*@example.com`, `ops@acme.com`, `*@*.acme.com`. Patterns match
 * the whole address, case-insensitively, and `*` never crosses an `@`, so `*@example.com` does not
 * admit `x@evil.example.com`.
 */

/** `alex@example.com` from `alex@example.com` or `Alex <alex@example.com>`; undefined if neither. */
export function addressOf(value: string): string | undefined {
  const named = /^[^<>]*<([^<>\s]+)>\s*$/.exec(value.trim())
  const address = (named ? named[1]! : value.trim()).toLowerCase()
  return /^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$/.test(address) ? address : undefined
}

export type Allowlist = (address: string) => boolean

export function compileAllowlist(patterns: readonly string[]): Allowlist {
  const regexes = patterns.map(
    (pattern) =>
      new RegExp(
        `^${pattern
          .toLowerCase()
          .split('*')
          .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
          .join('[^@]*')}$`,
      ),
  )
  return (address) => regexes.some((regex) => regex.test(address.toLowerCase()))
}
