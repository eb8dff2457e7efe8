/** Templates: list (bare array, filters), retrieve, create, update, delete, duplicate, archive, unarchive. */
import type {
  ArchiveTemplatePathParams,
  CreateTemplateMutationRequest,
  DeleteTemplatePathParams,
  DuplicateTemplateMutationRequest,
  DuplicateTemplatePathParams,
  ListTemplatesQueryParams,
  RetrieveTemplatePathParams,
  Template,
  TemplateDefinition,
  TemplateDefinitionInput,
  TemplatePurpose,
  UnarchiveTemplatePathParams,
  UpdateTemplateMutationRequest,
  UpdateTemplatePathParams,
} from '../../../generated/types/index.ts'
import { iso } from '../clock.ts'
import { conflict, notFound, unprocessable } from '../errors.ts'
import { uuid } from '../random.ts'
import { toTemplate, toTemplateSummary } from '../render.ts'
import { noContent, type Reply, reply } from '../responses.ts'
import { route } from '../route.ts'
import type { Store, TemplateRecord } from '../store.ts'

export interface TemplateInput {
  name: string
  id?: string
  key?: string | null
  purpose?: TemplatePurpose
  status?: Template['status']
  definition?: TemplateDefinitionInput
  senderProfileId?: string | null
  brandKitId?: string | null
  language?: string | null
  source?: string | null
}

const EMPTY_DEFINITION: TemplateDefinition = {
  from: null,
  subject: null,
  preheader: null,
  replyTo: null,
  body: { root: null, elements: {} },
  renderVariables: {},
  sensitiveTransactionalVariablePaths: [],
}

function mergeDefinition(base: TemplateDefinition, input: TemplateDefinitionInput | undefined): TemplateDefinition {
  const merged = structuredClone(base)
  if (!input) return merged
  for (const [field, value] of Object.entries(input)) {
    if (value !== undefined) (merged as Record<string, unknown>)[field] = structuredClone(value)
  }
  return merged
}

/**
 * "Complete" means sendable: a subject, a body and a sender (a `from` or a sender profile). Sending an
 * incomplete template is 422 `validation_failed`, as the contract lists "template incomplete".
 */
function completeness(record: Pick<TemplateRecord, 'definition' | 'senderProfileId'>): boolean {
  const { definition } = record
  return Boolean(definition.subject) && definition.body.root !== null && (definition.from !== null || record.senderProfileId !== null)
}

export function createTemplate(store: Store, organizationId: string, input: TemplateInput, now: number): TemplateRecord {
  const at = iso(now)
  const record: TemplateRecord = {
    id: input.id ?? uuid(),
    organizationId,
    name: input.name,
    key: input.key ?? null,
    type: 'Email',
    status: input.status ?? 'Active',
    purpose: input.purpose ?? 'General',
    isComplete: false,
    lastGeneratedAt: null,
    lastGenerationError: null,
    language: input.language ?? 'en',
    createdAt: at,
    updatedAt: at,
    defaultSegmentId: null,
    source: input.source ?? 'api',
    websiteId: null,
    website: null,
    senderProfileId: input.senderProfileId ?? null,
    brandKitId: input.brandKitId ?? null,
    currentSnapshotId: uuid(),
    definition: mergeDefinition(EMPTY_DEFINITION, input.definition),
    subType: null,
  }
  record.isComplete = completeness(record)
  store.insertTemplate(record)
  return record
}

function ownedTemplate(store: Store, organizationId: string, id: string): TemplateRecord {
  const record = store.template(organizationId, id)
  if (!record) throw notFound('Template')
  return record
}

function assertKeyFree(store: Store, organizationId: string, key: string, self?: string): void {
  const holder = store.templateByKey(organizationId, key)
  if (holder && holder.id !== self) throw conflict(`Another template already uses the key ${key}.`, { key })
}

/**
 * References to other resources. The body is well-formed, so a dangling id is 422 `validation_failed`
 * naming the field (400 is for schema failures; 404 would say the template itself is missing).
 */
function assertReferences(store: Store, organizationId: string, input: { senderProfileId?: string | null; brandKitId?: string | null }): void {
  if (input.senderProfileId && !store.sender(organizationId, input.senderProfileId)) {
    throw unprocessable('senderProfileId: no sender profile with this id.', { field: 'senderProfileId' })
  }
  if (input.brandKitId && !store.brandKit(organizationId, input.brandKitId)) {
    throw unprocessable('brandKitId: no brand kit with this id.', { field: 'brandKitId' })
  }
}

function setStatus(store: Store, organizationId: string, id: string, status: Template['status'], now: number): Reply<Template> {
  const record = ownedTemplate(store, organizationId, id)
  // Repeating is a no-op (spec): updatedAt only moves when the status does.
  if (record.status !== status) {
    record.status = status
    record.updatedAt = iso(now)
  }
  return reply(200, toTemplate(record))
}

export const templateRoutes = {
  listTemplates: route<undefined, ListTemplatesQueryParams | undefined>({
    scopes: ['templates:read'],
    run({ store, organizationId, query }) {
      const statuses = query?.status?.length ? query.status : null
      const purpose = query?.purpose
      const list = [...store.state.templates.values()]
        .filter((t) => t.organizationId === organizationId)
        .filter((t) => !statuses || statuses.includes(t.status))
        .filter((t) => purpose === undefined || t.purpose === purpose)
        .map(toTemplateSummary)
      return reply(200, list)
    },
  }),

  retrieveTemplate: route<undefined, undefined, RetrieveTemplatePathParams>({
    scopes: ['templates:read'],
    run({ store, organizationId, params }) {
      return reply(200, toTemplate(ownedTemplate(store, organizationId, params.id)))
    },
  }),

  createTemplate: route<CreateTemplateMutationRequest>({
    scopes: ['templates:write'],
    run({ store, organizationId, body, now }) {
      if (body.key) assertKeyFree(store, organizationId, body.key)
      assertReferences(store, organizationId, body)
      return reply(201, toTemplate(createTemplate(store, organizationId, body, now)))
    },
  }),

  updateTemplate: route<UpdateTemplateMutationRequest, undefined, UpdateTemplatePathParams>({
    scopes: ['templates:write'],
    run({ store, organizationId, params, body, now }) {
      const record = ownedTemplate(store, organizationId, params.id)
      if (body.key) assertKeyFree(store, organizationId, body.key, record.id)
      assertReferences(store, organizationId, body)
      if (body.key !== undefined) store.setTemplateKey(record, body.key)
      if (body.name !== undefined) record.name = body.name
      if (body.purpose !== undefined) record.purpose = body.purpose
      if (body.language !== undefined) record.language = body.language
      if (body.subType !== undefined) record.subType = body.subType
      if (body.defaultSegmentId !== undefined) record.defaultSegmentId = body.defaultSegmentId
      if (body.senderProfileId !== undefined) record.senderProfileId = body.senderProfileId
      if (body.brandKitId !== undefined) record.brandKitId = body.brandKitId
      if (body.definition !== undefined) {
        record.definition = mergeDefinition(record.definition, body.definition)
        // Sends record the snapshot they used; a new definition is a new snapshot.
        record.currentSnapshotId = uuid()
      }
      record.isComplete = completeness(record)
      record.updatedAt = iso(now)
      return reply(200, toTemplate(record))
    },
  }),

  deleteTemplate: route<undefined, undefined, DeleteTemplatePathParams>({
    scopes: ['templates:write'],
    run({ store, organizationId, params }) {
      store.deleteTemplate(ownedTemplate(store, organizationId, params.id))
      return noContent()
    },
  }),

  duplicateTemplate: route<DuplicateTemplateMutationRequest, undefined, DuplicateTemplatePathParams>({
    scopes: ['templates:write'],
    bodyOptional: true,
    run({ store, organizationId, params, body, now }) {
      const source = ownedTemplate(store, organizationId, params.id)
      // The copy has no key (keys are unique) and starts Active, whatever the original's status.
      const copy = createTemplate(
        store,
        organizationId,
        {
          name: body.name ?? `Copy of ${source.name}`.slice(0, 200),
          purpose: source.purpose,
          definition: source.definition,
          senderProfileId: source.senderProfileId,
          brandKitId: source.brandKitId,
          language: source.language,
          source: source.source,
        },
        now,
      )
      copy.defaultSegmentId = source.defaultSegmentId
      copy.subType = source.subType
      return reply(201, toTemplate(copy))
    },
  }),

  archiveTemplate: route<undefined, undefined, ArchiveTemplatePathParams>({
    scopes: ['templates:write'],
    run: ({ store, organizationId, params, now }) => setStatus(store, organizationId, params.id, 'Archived', now),
  }),

  unarchiveTemplate: route<undefined, undefined, UnarchiveTemplatePathParams>({
    scopes: ['templates:write'],
    run: ({ store, organizationId, params, now }) => setStatus(store, organizationId, params.id, 'Active', now),
  }),
}
