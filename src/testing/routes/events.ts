/**
 * Events: track. Finds or creates the profile, merges its properties and enrolls it in the Journeys
 * that listen to the event name. `referenceId` is stored for correlation only; the required
 * Idempotency-Key (router) is what deduplicates.
 */
import type { TrackEventMutationRequest, TrackEventMutationResponse } from '../../../generated/types/index.ts'
import { iso } from '../clock.ts'
import { unprocessable } from '../errors.ts'
import { uuid } from '../random.ts'
import { type Reply, reply } from '../responses.ts'
import { route } from '../route.ts'
import type { ProfileRecord } from '../store.ts'
import { createProfile } from './profiles.ts'

/** Removes `/event/a/b` paths from the event's data: those values are never stored. */
function redact(data: Record<string, unknown>, paths: string[]): Record<string, unknown> {
  const copy = structuredClone(data)
  for (const path of paths) {
    const keys = path.replace(/^\/event\/?/, '').split('/').filter(Boolean)
    const last = keys.pop()
    if (last === undefined) continue
    const parent = keys.reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), copy)
    if (parent && typeof parent === 'object') delete (parent as Record<string, unknown>)[last]
  }
  return copy
}

export const eventRoutes = {
  trackEvent: route<TrackEventMutationRequest>({
    scopes: ['events:write'],
    run({ store, organizationId, body, idempotencyKey, now }): Reply<TrackEventMutationResponse> {
      const { email, externalId, properties } = body.profile
      let profile: ProfileRecord | undefined =
        (externalId ? store.profileByExternalId(organizationId, externalId) : undefined) ??
        (email ? store.profileByEmail(organizationId, email) : undefined)
      if (!profile) {
        // Well-formed, but there is no profile to attach the event to and no email to create one: 422.
        if (!email) {
          throw unprocessable('profile.externalId: no profile has this externalId; give profile.email to create one.', {
            field: 'profile.externalId',
          })
        }
        profile = createProfile(store, organizationId, { email, externalId: externalId ?? null }, now)
      } else if (externalId && !profile.externalId && !store.profileByExternalId(organizationId, externalId)) {
        store.setProfileExternalId(profile, externalId)
      }
      if (properties) profile.properties = { ...profile.properties, ...properties }
      if (!profile.sources.includes('api')) profile.sources = [...profile.sources, 'api']
      profile.updatedAt = iso(now)

      let matchedJourneys = 0
      let enrolledJourneys = 0
      for (const journey of store.state.journeys.values()) {
        if (journey.organizationId !== organizationId || journey.event !== body.event) continue
        matchedJourneys++
        if (!journey.enrolled.has(profile.id)) {
          journey.enrolled.add(profile.id)
          enrolledJourneys++
        }
      }
      const eventId = uuid()
      store.state.events.push({
        eventId,
        organizationId,
        idempotencyKey: idempotencyKey as string,
        event: body.event,
        profileId: profile.id,
        data: redact(body.data ?? {}, body.redactedDataPaths ?? []),
        referenceId: body.referenceId ?? null,
        redactedDataPaths: body.redactedDataPaths ?? [],
        occurredAt: body.occurredAt ?? iso(now),
        receivedAt: iso(now),
        matchedJourneys,
        enrolledJourneys,
        skippedJourneys: matchedJourneys - enrolledJourneys,
      })
      return reply(202, {
        eventId,
        profileId: profile.id,
        matchedJourneys,
        enrolledJourneys,
        skippedJourneys: matchedJourneys - enrolledJourneys,
      })
    },
  }),
}
