/** API keys, organizations and scopes: 401 `unauthorized` and 403 `insufficient_scope`. */
import type { Scope } from '../../generated/types/index.ts'
import { scopeEnum } from '../../generated/types/index.ts'
import { ApiFailure } from './errors.ts'
import { hex } from './random.ts'
import type { ApiKeyRecord, Store } from './store.ts'

/** Every scope the spec defines; a scope added to openapi.yaml is granted to full keys automatically. */
export const ALL_SCOPES: Scope[] = Object.values(scopeEnum)

export const READ_SCOPES: Scope[] = ALL_SCOPES.filter((scope) => scope.endsWith(':read'))

export interface ApiKeyOptions {
  /** The key's value; default a fresh random `sk_test_…`. */
  key?: string
  /** The scopes it carries, or `'all'`. */
  scopes: Scope[] | 'all'
  /** Its organization (created on first use, empty unless seeded); default the sandbox's organization. */
  organizationId?: string
}

export function newKeyValue(): string {
  return `sk_test_${hex(16)}`
}

export function registerKey(store: Store, options: ApiKeyOptions, defaultOrganization: string): ApiKeyRecord {
  const record: ApiKeyRecord = {
    key: options.key ?? newKeyValue(),
    organizationId: options.organizationId ?? defaultOrganization,
    scopes: options.scopes === 'all' ? [...ALL_SCOPES] : [...options.scopes],
  }
  if (!record.key.trim()) throw new TypeError('An API key cannot be empty')
  store.ensureOrganization(record.organizationId)
  store.state.apiKeys.set(record.key, record)
  return record
}

export function authenticate(store: Store, headers: Headers): ApiKeyRecord {
  const key = headers.get('x-api-key')
  // The message never echoes the key: it may be a real one sent to the wrong place.
  if (!key) throw new ApiFailure('unauthorized', 'Missing API key. Send it in the x-api-key header.')
  const record = store.state.apiKeys.get(key)
  if (!record) throw new ApiFailure('unauthorized', 'Invalid API key.')
  return record
}

export function requireScopes(key: ApiKeyRecord, required: readonly Scope[]): void {
  const missing = required.filter((scope) => !key.scopes.includes(scope))
  if (missing.length > 0) {
    throw new ApiFailure('insufficient_scope', `This API key lacks the scope ${missing.join(', ')}.`, {
      required: [...required],
    })
  }
}
