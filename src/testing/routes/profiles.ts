/** Profiles: list (POST with a filter, cursor paging), retrieve, subscriptions, delete, bulk delete. */
import type {
  BulkDeleteProfilesMutationRequest,
  BulkDeleteProfilesMutationResponse,
  DeleteProfilePathParams,
  DeliverySuppressionReason,
  ListProfileSubscriptionsPathParams,
  ListProfileSubscriptionsQueryResponse,
  ListProfilesMutationRequest,
  ListProfilesMutationResponse,
  ProfileFilter,
  ProfileSegment,
  RetrieveProfilePathParams,
} from '../../../generated/types/index.ts'
import { iso } from '../clock.ts'
import { decodeCursor, encodeCursor } from '../cursor.ts'
import { ApiFailure, notFound } from '../errors.ts'
import { profileId } from '../random.ts'
import { toProfile } from '../render.ts'
import { noContent, type Reply, reply } from '../responses.ts'
import { route } from '../route.ts'
import type { ProfileRecord, Store } from '../store.ts'

export interface ProfileInput {
  email: string
  id?: string
  externalId?: string | null
  phone?: string | null
  properties?: Record<string, unknown>
  sources?: string[]
  segments?: ProfileSegment[]
  /** Suppress delivery to this profile for this reason: sends to it end `Failed`. */
  suppression?: DeliverySuppressionReason | null
}

export function createProfile(store: Store, organizationId: string, input: ProfileInput, now: number): ProfileRecord {
  const at = iso(now)
  if (store.profileByEmail(organizationId, input.email)) {
    throw new ApiFailure('conflict', `A profile with the email ${input.email} already exists.`)
  }
  const suppression = input.suppression ?? null
  const record: ProfileRecord = {
    id: input.id ?? profileId(),
    organizationId,
    email: input.email.trim(),
    phone: input.phone ?? null,
    externalId: input.externalId ?? null,
    sources: input.sources ?? ['api'],
    properties: input.properties ?? {},
    segments: input.segments ?? [],
    deliverySuppression: {
      suppressed: suppression !== null,
      email: suppression ? input.email.trim() : null,
      suppressedAt: suppression ? at : null,
      latestBounceReason: suppression === 'hard_bounce' ? 'Mailbox does not exist' : null,
      latestBounceDiagnosticCode: suppression === 'hard_bounce' ? 'smtp; 550 5.1.1 user unknown' : null,
    },
    createdAt: at,
    updatedAt: at,
    suppressionReason: suppression,
  }
  store.insertProfile(record)
  return record
}

function isEmptyFilter(filter: ProfileFilter): boolean {
  return (
    !filter.search &&
    !filter.segmentFilter?.length &&
    !filter.profilePropertyFilter?.length &&
    !filter.sourceFilter?.length &&
    !filter.deliverySuppressionReasonFilter?.length &&
    !filter.profileIds?.length
  )
}

/** Criteria combine with AND; within one list, any value matches (openapi.yaml, `ProfileFilter`). */
export function profileMatcher(store: Store, filter: ProfileFilter): (id: string) => boolean {
  if (isEmptyFilter(filter)) return () => true
  const search = filter.search?.toLowerCase()
  const ids = filter.profileIds?.length ? new Set(filter.profileIds) : null
  return (id) => {
    const p = store.state.profiles.get(id)
    if (!p) return false
    if (ids && !ids.has(p.id)) return false
    if (search && ![p.email, p.phone, p.externalId].some((v) => v?.toLowerCase().includes(search))) return false
    if (filter.segmentFilter?.length && !p.segments.some((s) => filter.segmentFilter?.includes(s.id))) return false
    if (filter.sourceFilter?.length && !p.sources.some((s) => (filter.sourceFilter as string[]).includes(s))) return false
    if (
      filter.deliverySuppressionReasonFilter?.length &&
      !(p.suppressionReason && filter.deliverySuppressionReasonFilter.includes(p.suppressionReason))
    ) {
      return false
    }
    for (const property of filter.profilePropertyFilter ?? []) {
      const value = p.properties[property.id]
      if (value === undefined || !property.values.includes(String(value))) return false
    }
    return true
  }
}

function filterOf(body: ProfileFilter): ProfileFilter {
  const { search, segmentFilter, profilePropertyFilter, sourceFilter, deliverySuppressionReasonFilter, profileIds } = body
  return { search, segmentFilter, profilePropertyFilter, sourceFilter, deliverySuppressionReasonFilter, profileIds }
}

function ownedProfile(store: Store, organizationId: string, id: string): ProfileRecord {
  const record = store.profile(organizationId, id)
  if (!record) throw notFound('Profile')
  return record
}

export const profileRoutes = {
  listProfiles: route<ListProfilesMutationRequest>({
    scopes: ['profiles:read'],
    bodyOptional: true,
    run({ store, organizationId, body }): Reply<ListProfilesMutationResponse> {
      const filter = filterOf(body)
      const index = store.index(organizationId).profiles
      const match = profileMatcher(store, filter)
      const position = body.cursor ? decodeCursor('profiles', body.cursor, 'cursor') : {}
      // Oldest first: profiles created while a caller pages through land on later pages, never twice.
      const page = index.page('asc', position, body.limit ?? 50, match)
      let profileCount = index.size
      if (!isEmptyFilter(filter)) {
        profileCount = 0
        for (const id of index.ids()) if (match(id)) profileCount++
      }
      return reply(200, {
        profiles: page.ids.map((id) => toProfile(store.state.profiles.get(id) as ProfileRecord)),
        profileCount,
        nextCursor: page.next === null ? null : encodeCursor('profiles', { after: page.next }),
        previousCursor: page.prev === null ? null : encodeCursor('profiles', { before: page.prev }),
      })
    },
  }),

  bulkDeleteProfiles: route<BulkDeleteProfilesMutationRequest>({
    scopes: ['profiles:write'],
    run({ store, organizationId, body }): Reply<BulkDeleteProfilesMutationResponse> {
      let targets: ProfileRecord[]
      if (body.profileIds) {
        // Ids that do not exist (or belong to another organization) are ignored, per the spec.
        targets = body.profileIds.flatMap((id) => store.profile(organizationId, id) ?? [])
      } else {
        const match = profileMatcher(store, body.filter ?? {})
        targets = [...store.index(organizationId).profiles.ids()].filter(match).map((id) => store.state.profiles.get(id) as ProfileRecord)
      }
      const unique = new Set(targets)
      for (const record of unique) store.deleteProfile(record)
      return reply(200, { deletedCount: unique.size })
    },
  }),

  retrieveProfile: route<undefined, undefined, RetrieveProfilePathParams>({
    scopes: ['profiles:read'],
    run({ store, organizationId, params }) {
      return reply(200, toProfile(ownedProfile(store, organizationId, params.profileId)))
    },
  }),

  deleteProfile: route<undefined, undefined, DeleteProfilePathParams>({
    scopes: ['profiles:write'],
    run({ store, organizationId, params }) {
      store.deleteProfile(ownedProfile(store, organizationId, params.profileId))
      return noContent()
    },
  }),

  listProfileSubscriptions: route<undefined, undefined, ListProfileSubscriptionsPathParams>({
    scopes: ['profiles:read'],
    run({ store, organizationId, params }): Reply<ListProfileSubscriptionsQueryResponse> {
      const profile = ownedProfile(store, organizationId, params.profileId)
      return reply(200, {
        profileId: profile.id,
        subscriptions: store.subscriptionGroupsOf(organizationId).map((group) => {
          const entry = store.subscriptionStatus(profile.id, group)
          return {
            subscriptionGroupId: group.id,
            name: group.name,
            policy: group.policy,
            status: entry?.status ?? (group.policy === 'OptOut' ? 'Subscribed' : 'Unsubscribed'),
            updatedAt: entry?.updatedAt ?? null,
          }
        }),
      })
    },
  }),
}
