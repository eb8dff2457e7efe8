/** Brand kits: list, retrieve, create, update, delete, clear, set default, extract, extraction progress. */
import type {
  BrandKitLogo,
  BrandKitLogoInput,
  ClearBrandKitPathParams,
  CreateBrandKitMutationRequest,
  DeleteBrandKitPathParams,
  ExtractBrandKitMutationRequest,
  ExtractBrandKitPathParams,
  RetrieveBrandKitExtractionProgressPathParams,
  RetrieveBrandKitPathParams,
  SetDefaultBrandKitPathParams,
  UpdateBrandKitMutationRequest,
  UpdateBrandKitPathParams,
} from '../../../generated/types/index.ts'
import { iso } from '../clock.ts'
import { conflict, notFound, unprocessable } from '../errors.ts'
import { extractionProgress, isExtractionRunning, plannedFailure } from '../lifecycle.ts'
import { uuid } from '../random.ts'
import { toBrandKit } from '../render.ts'
import { noContent, reply } from '../responses.ts'
import { route } from '../route.ts'
import type { BrandKitRecord, Store } from '../store.ts'

export interface BrandKitInput extends Omit<CreateBrandKitMutationRequest, 'logos'> {
  id?: string
  logos?: BrandKitLogo[]
}

export function createBrandKit(store: Store, organizationId: string, input: BrandKitInput, now: number): BrandKitRecord {
  const at = iso(now)
  const record: BrandKitRecord = {
    id: input.id ?? uuid(),
    organizationId,
    name: input.name,
    // An organization always has a default kit once it has any: its first kit becomes the default.
    isDefault: !store.brandKitsOf(organizationId).some((kit) => kit.isDefault),
    websiteUrl: input.websiteUrl ?? null,
    logos: input.logos ?? [],
    colors: { primary: null, secondary: null, accent: null, background: null, text: null, ...input.colors },
    fonts: { heading: null, body: null, ...input.fonts },
    senderProfileId: input.senderProfileId ?? null,
    senderDefaults: { fromName: null, fromEmail: null, replyTo: null, ...input.senderDefaults },
    createdAt: at,
    updatedAt: at,
    extraction: null,
  }
  store.state.brandKits.set(record.id, record)
  return record
}

function ownedKit(store: Store, organizationId: string, id: string): BrandKitRecord {
  const record = store.brandKit(organizationId, id)
  if (!record) throw notFound('Brand kit')
  return record
}

/**
 * Logos name assets; the kit shows each asset's URL. A logo that is not a ready asset of the
 * organization is 422 `validation_failed` on that field (the body is well-formed; 400 is for the schema).
 */
function resolveLogos(store: Store, organizationId: string, logos: BrandKitLogoInput[]): BrandKitLogo[] {
  return logos.map((logo, i) => {
    const asset = store.asset(organizationId, logo.assetId)
    if (!asset?.url) {
      const field = `logos.${i}.assetId`
      throw unprocessable(`${field}: no ready asset with this id.`, { field, assetId: logo.assetId })
    }
    return { assetId: logo.assetId, url: asset.url, variant: logo.variant }
  })
}

function assertSender(store: Store, organizationId: string, senderProfileId: string | null | undefined): void {
  if (senderProfileId && !store.sender(organizationId, senderProfileId)) {
    throw unprocessable('senderProfileId: no sender profile with this id.', { field: 'senderProfileId' })
  }
}

export const brandKitRoutes = {
  listBrandKits: route({
    scopes: ['brand-kit:read'],
    run({ store, organizationId }) {
      // The default kit first, then by creation (spec).
      const kits = store.brandKitsOf(organizationId).sort((a, b) => Number(b.isDefault) - Number(a.isDefault))
      return reply(200, kits.map(toBrandKit))
    },
  }),

  retrieveBrandKit: route<undefined, undefined, RetrieveBrandKitPathParams>({
    scopes: ['brand-kit:read'],
    run({ store, organizationId, params }) {
      return reply(200, toBrandKit(ownedKit(store, organizationId, params.brandId)))
    },
  }),

  createBrandKit: route<CreateBrandKitMutationRequest>({
    scopes: ['brand-kit:write'],
    run({ store, organizationId, body, now }) {
      assertSender(store, organizationId, body.senderProfileId)
      const logos = resolveLogos(store, organizationId, body.logos ?? [])
      return reply(201, toBrandKit(createBrandKit(store, organizationId, { ...body, logos }, now)))
    },
  }),

  updateBrandKit: route<UpdateBrandKitMutationRequest, undefined, UpdateBrandKitPathParams>({
    scopes: ['brand-kit:write'],
    run({ store, organizationId, params, body, now }) {
      const kit = ownedKit(store, organizationId, params.brandId)
      assertSender(store, organizationId, body.senderProfileId)
      if (body.logos !== undefined) kit.logos = resolveLogos(store, organizationId, body.logos)
      if (body.name !== undefined) kit.name = body.name
      if (body.websiteUrl !== undefined) kit.websiteUrl = body.websiteUrl
      if (body.senderProfileId !== undefined) kit.senderProfileId = body.senderProfileId
      // Nested objects merge: an omitted color keeps its value, null clears it.
      if (body.colors) kit.colors = { ...kit.colors, ...body.colors }
      if (body.fonts) kit.fonts = { ...kit.fonts, ...body.fonts }
      if (body.senderDefaults) kit.senderDefaults = { ...kit.senderDefaults, ...body.senderDefaults }
      kit.updatedAt = iso(now)
      return reply(200, toBrandKit(kit))
    },
  }),

  deleteBrandKit: route<undefined, undefined, DeleteBrandKitPathParams>({
    scopes: ['brand-kit:write'],
    run({ store, organizationId, params }) {
      const kit = ownedKit(store, organizationId, params.brandId)
      if (kit.isDefault) throw conflict('The default brand kit cannot be deleted; make another kit the default first.')
      store.state.brandKits.delete(kit.id)
      store.runningExtractions.delete(kit.id)
      return noContent()
    },
  }),

  clearBrandKit: route<undefined, undefined, ClearBrandKitPathParams>({
    scopes: ['brand-kit:write'],
    run({ store, organizationId, params, now }) {
      const kit = ownedKit(store, organizationId, params.brandId)
      kit.logos = []
      kit.colors = { primary: null, secondary: null, accent: null, background: null, text: null }
      kit.fonts = { heading: null, body: null }
      kit.updatedAt = iso(now)
      return reply(200, toBrandKit(kit))
    },
  }),

  setDefaultBrandKit: route<undefined, undefined, SetDefaultBrandKitPathParams>({
    scopes: ['brand-kit:write'],
    run({ store, organizationId, params, now }) {
      const kit = ownedKit(store, organizationId, params.brandId)
      if (!kit.isDefault) {
        for (const other of store.brandKitsOf(organizationId)) {
          if (other.isDefault) {
            other.isDefault = false
            other.updatedAt = iso(now)
          }
        }
        kit.isDefault = true
        kit.updatedAt = iso(now)
      }
      return reply(200, toBrandKit(kit))
    },
  }),

  extractBrandKit: route<ExtractBrandKitMutationRequest, undefined, ExtractBrandKitPathParams>({
    scopes: ['brand-kit:write'],
    bodyOptional: true,
    run({ env, store, organizationId, params, body, now }) {
      const kit = ownedKit(store, organizationId, params.brandId)
      if (isExtractionRunning(kit.extraction, now, env.timings)) {
        throw conflict('An extraction is already running for this brand kit; poll its progress.')
      }
      const websiteUrl = body.websiteUrl ?? kit.websiteUrl
      if (!websiteUrl) throw unprocessable('This brand kit has no website: give a websiteUrl to extract from.')
      const failure = plannedFailure(websiteUrl)
      kit.websiteUrl = websiteUrl
      kit.updatedAt = iso(now)
      kit.extraction = {
        websiteUrl,
        startedAt: now,
        failAtStep: failure?.failAtStep ?? null,
        error: failure?.error ?? null,
        applied: false,
      }
      store.runningExtractions.add(kit.id)
      return reply(202, extractionProgress(kit.extraction, now, env.timings))
    },
  }),

  retrieveBrandKitExtractionProgress: route<undefined, undefined, RetrieveBrandKitExtractionProgressPathParams>({
    scopes: ['brand-kit:read'],
    run({ env, store, organizationId, params, now }) {
      const kit = ownedKit(store, organizationId, params.brandId)
      return reply(200, extractionProgress(kit.extraction, now, env.timings))
    },
  }),
}
