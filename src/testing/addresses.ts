/** Parses `addr` and `Name <addr>` (the spec's EmailAddress) into `{ email, name }`. */
import type { NamedAddress } from '../../generated/types/index.ts'

const ADDRESS = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/

export function parseAddress(value: string): NamedAddress | null {
  const trimmed = value.trim()
  const named = /^(.*?)\s*<([^<>]+)>$/.exec(trimmed)
  if (named) {
    const name = (named[1] ?? '').trim().replace(/^"(.*)"$/, '$1').trim()
    const email = (named[2] ?? '').trim()
    return ADDRESS.test(email) ? { email, name: name || null } : null
  }
  return ADDRESS.test(trimmed) ? { email: trimmed, name: null } : null
}

export function addressList(value: string | string[] | undefined): (NamedAddress | null)[] {
  if (value === undefined) return []
  return (Array.isArray(value) ? value : [value]).map(parseAddress)
}
