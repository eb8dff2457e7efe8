/**
 * Every operation of the API (33) as the SDK method that calls it and the inputs the spec allows
 * and refuses, for the property tests of hostile-input.test.ts. Seeded ids are mixed into the
 * random ones so that the happy paths run too, not only the 404s.
 */
import fc from 'fast-check'
import type { SegmentFlow } from '../../../src/index.ts'
import type { OperationId } from '../../../src/core/requester.ts'
import { SEED } from '../../../src/testing/index.ts'
import {
  array,
  boolean,
  email,
  enumOf,
  freeObject,
  integer,
  nullable,
  object,
  openEnum,
  pattern,
  queryString,
  string,
  text,
  unpairedSurrogate,
  urlText,
  timestamp,
  url,
  uuid,
  wrongType,
  type Field,
} from './arbitraries.ts'

export type Input = { path?: Record<string, string>; body?: unknown; query?: unknown }

export type OperationCase = {
  operation: OperationId
  /** Calls the SDK method; `options` go last, as in every method. */
  invoke(client: SegmentFlow, input: Input, options?: object): PromiseLike<unknown>
  path?: Record<string, Field>
  body?: Field
  /** The spec marks the body optional: no body at all is valid too. */
  bodyOptional?: boolean
  query?: Field
}

const seeded = <T>(random: fc.Arbitrary<T>, ...known: T[]): fc.Arbitrary<T> => fc.oneof({ arbitrary: random, weight: 2 }, { arbitrary: fc.constantFrom(...known), weight: 1 })
const withSeeded = (field: Field, ...known: string[]): Field => ({ valid: seeded(field.valid, ...known), invalid: field.invalid })

/**
 * Path ids the API treats as opaque (profiles): any non-empty text, slashes, `?`, `#` and `%`
 * included. `.` and `..` are refused by the SDK by design (they would name another route even
 * encoded), so they count as invalid here.
 */
const opaqueId: Field = {
  valid: seeded(
    fc.oneof(urlText(1, 40), fc.constantFrom('a/b', '../templates', '%2F', 'id?x=1', 'id#frag', ' ', 'shopify:42')).filter((id) => id !== '.' && id !== '..'),
    ...Object.values(SEED.profiles).map((profile) => profile.id),
  ),
  invalid: fc.oneof(fc.constantFrom('', '.', '..'), unpairedSurrogate),
}

/** A query object: `null` counts as no query at all, like `undefined`, so it is not among the invalid ones. */
function query(field: Field): Field {
  return { valid: field.valid, invalid: field.invalid.filter((value) => value !== null) }
}

const templateId = withSeeded(uuid, ...Object.values(SEED.templates).map((t) => t.id))
const brandId = withSeeded(uuid, SEED.brandKit.id)
const senderId = withSeeded(uuid, SEED.senders.receipts.id)
const groupId = withSeeded(uuid, ...Object.values(SEED.subscriptionGroups).map((g) => g.id))

const templateKey = pattern(
  seeded(fc.stringMatching(/^[a-z0-9][a-z0-9._:-]{0,99}$/), ...Object.values(SEED.templates).map((t) => t.key)),
  fc.oneof(fc.constantFrom('', 'Receipt', '-receipt', '.receipt', 'receipt default', 'reçu'), fc.constant(`r${'x'.repeat(100)}`)),
)
const idempotencyKey = pattern(
  fc.stringMatching(/^[\x21-\x7E]([\x20-\x7E]{0,60}[\x21-\x7E])?$/),
  fc.constantFrom('', ' lead', 'trail ', 'line\nbreak', 'tab\there', 'caf\u00e9', 'k'.repeat(256)),
)
const address = string(1, 320)
const addressList: Field = {
  valid: fc.oneof(address.valid, fc.array(address.valid, { minLength: 1, maxLength: 3 })),
  invalid: fc.oneof(wrongType('string', 'array'), fc.constant(''), fc.constant([]), fc.array(fc.constant('cc@example.com'), { minLength: 51, maxLength: 51 })),
}
const senderAddress: Field = { valid: seeded(address.valid, 'receipts@example.com', 'Acme Receipts <receipts@example.com>'), invalid: address.invalid }

const profileSource = openEnum(['form_submission', 'csv_import', 'shopify', 'api'])
const suppressionReason = openEnum(['hard_bounce', 'complaint', 'unsubscribed', 'manual'])
const templatePurpose = enumOf(['General', 'Newsletter', 'Promotional', 'Transactional', 'LeadMagnetDelivery'])
const templateStatus = enumOf(['Active', 'Archived'])
const assetContentType = enumOf(['image/jpeg', 'image/png', 'text/csv', 'application/vnd.ms-excel', 'application/pdf'])
const assetType = enumOf(['content-image', 'content-document', 'lead-magnet'])
const imageType = enumOf(['logo', 'hero', 'header', 'product', 'background', 'icon', 'other'])
const assetSize = integer(1, 20_971_520)

const profileFilterShape = {
  search: { field: string() },
  segmentFilter: { field: array(string()) },
  profilePropertyFilter: { field: array(object({ id: { field: string(1), required: true }, values: { field: array(string()), required: true } })) },
  sourceFilter: { field: array(profileSource) },
  deliverySuppressionReasonFilter: { field: array(suppressionReason) },
  profileIds: { field: array(string(1)) },
}
const profileFilter = object(profileFilterShape)

const templateDefinition = object({
  from: { field: nullable(string(0, 320)) },
  subject: { field: nullable(string(0, 998)) },
  preheader: { field: nullable(string()) },
  replyTo: { field: nullable(string(0, 320)) },
  body: {
    field: object({
      root: { field: nullable(string()), required: true },
      elements: {
        field: { valid: fc.dictionary(fc.stringMatching(/^[a-z0-9]{1,6}$/), freeObject.valid, { maxKeys: 3 }), invalid: fc.oneof(wrongType('object'), fc.constant({ e1: 'not an object' })) },
        required: true,
      },
    }),
  },
  renderVariables: { field: freeObject },
  sensitiveTransactionalVariablePaths: { field: array(string()) },
})

const hexColor = nullable(pattern(fc.stringMatching(/^#[0-9a-fA-F]{6}$/), fc.constantFrom('#fff', 'red', '#12345g', '123456', '#1234567')))
const brandKitShape = {
  logos: { field: array(object({ assetId: { field: uuid, required: true }, variant: { field: enumOf(['primary', 'secondary', 'icon', 'dark', 'light']), required: true } }), 0, 10) },
  colors: { field: object({ primary: { field: hexColor }, secondary: { field: hexColor }, accent: { field: hexColor }, background: { field: hexColor }, text: { field: hexColor } }) },
  fonts: { field: object({ heading: { field: nullable(string(0, 100)) }, body: { field: nullable(string(0, 100)) } }) },
  senderDefaults: {
    field: object({ fromName: { field: nullable(string(0, 200)) }, fromEmail: { field: nullable(string(0, 320)) }, replyTo: { field: nullable(string(0, 320)) } }),
  },
}

/** EmailSendFields: every field optional; the "exactly one template" and "a recipient" rules come on top. */
const sendFieldsShape = {
  senderProfileId: { field: senderId },
  from: { field: senderAddress },
  replyTo: { field: address },
  subject: { field: string(1, 998) },
  subscriptionGroupId: { field: groupId },
  cc: { field: addressList },
  bcc: { field: addressList },
  data: { field: freeObject },
  tracking: { field: object({ clicks: { field: boolean } }) },
}
const sendFields = object(sendFieldsShape)
const recipient = object({ email: { field: withSeeded(email, 'alex@example.com') }, externalId: { field: string(1, 255) } })

const templateChoice: Field = {
  valid: fc.oneof(fc.record({ templateId: templateId.valid }), fc.record({ templateKey: templateKey.valid })),
  invalid: fc.oneof(
    fc.constant({}),
    fc.record({ templateId: templateId.valid, templateKey: templateKey.valid }),
    fc.record({ templateId: templateId.invalid }),
    fc.record({ templateKey: templateKey.invalid }),
  ),
}
const recipientChoice: Field = {
  valid: fc.oneof(
    fc.record({ profileId: seeded(text(1, 30), SEED.profiles.alex.id) }),
    fc.record({ to: fc.record({ email: email.valid, externalId: string(1, 255).valid }, { requiredKeys: ['email'] }) }),
    fc.record({ to: fc.record({ externalId: seeded(string(1, 255).valid as fc.Arbitrary<string>, SEED.profiles.alex.externalId) }) }),
  ),
  invalid: fc.oneof(fc.constant({}), fc.constant({ to: {} }), fc.record({ profileId: fc.constant('') }), fc.record({ to: recipient.invalid })),
}

/** A send: the shared fields, a template choice and a recipient; invalid when any of the three is. */
const sendEmailBody: Field = {
  valid: fc.tuple(sendFields.valid, templateChoice.valid, recipientChoice.valid).map(([fields, template, to]) => ({ ...(fields as object), ...(template as object), ...(to as object) })),
  invalid: fc.oneof(
    wrongType('object'),
    fc.tuple(sendFields.invalid.filter(isObject), templateChoice.valid, recipientChoice.valid).map(merge),
    fc.tuple(sendFields.valid, templateChoice.invalid, recipientChoice.valid).map(merge),
    fc.tuple(sendFields.valid, templateChoice.valid, recipientChoice.invalid).map(merge),
  ),
}

function isObject(value: unknown): value is object {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

function merge(parts: unknown[]): object {
  return Object.assign({}, ...parts)
}

const batchItem = object({
  ...sendFieldsShape,
  templateId: { field: templateId },
  templateKey: { field: templateKey },
  profileId: { field: string(1) },
  to: { field: recipient },
  idempotencyKey: { field: idempotencyKey },
})
const batchDefaults = object(
  {
    templateId: { field: templateId },
    templateKey: { field: templateKey },
    senderProfileId: { field: senderId },
    from: { field: senderAddress },
    replyTo: { field: address },
    subject: { field: string(1, 998) },
    subscriptionGroupId: { field: groupId },
    tracking: { field: object({ clicks: { field: boolean } }) },
  },
  { extraKeys: false },
)
const batchBody: Field = {
  valid: fc.record(
    {
      items: fc.array(fc.tuple(batchItem.valid, templateChoice.valid, recipientChoice.valid).map(merge), { minLength: 1, maxLength: 4 }),
      defaults: batchDefaults.valid,
    },
    { requiredKeys: ['items'] },
  ),
  invalid: fc.oneof(
    wrongType('object'),
    fc.constant({ items: [] }),
    fc.record({ items: wrongType('array') }),
    fc.record({ items: fc.tuple(batchItem.invalid).map(([item]) => [item]) }),
    // Not generated: `defaults` with a recipient, `data` or `cc`. The spec closes `defaults`
    // (additionalProperties: false) but Kubb does not carry that into the schema, so the SDK sends
    // such a batch and the sandbox refuses it with a 400 (docs/reliability.md, "Known gaps").
    fc.record({ items: fc.constant([{ to: { email: 'alex@example.com' } }]), defaults: batchDefaults.invalid }),
  ),
}

const eventProfile: Field = {
  valid: fc.oneof(
    fc.record({ email: withSeeded(email, 'alex@example.com').valid, externalId: string(1, 255).valid, properties: freeObject.valid }, { requiredKeys: ['email'] }),
    fc.record(
      { email: email.valid, externalId: seeded(string(1, 255).valid as fc.Arbitrary<string>, SEED.profiles.alex.externalId), properties: freeObject.valid },
      { requiredKeys: ['externalId'] },
    ),
  ),
  invalid: fc.oneof(
    wrongType('object'),
    fc.constant({}),
    fc.record({ properties: freeObject.valid }),
    fc.record({ email: email.invalid }),
    fc.record({ externalId: string(1, 255).invalid }),
    fc.record({ email: email.valid, properties: freeObject.invalid }),
  ),
}

const trackBody = object({
  event: { field: string(1, 255), required: true },
  profile: { field: eventProfile, required: true },
  data: { field: freeObject },
  referenceId: { field: string(1, 255) },
  redactedDataPaths: {
    field: array(
      pattern(
        text(1, 20).map((rest) => `/event/${rest}`),
        fc.constantFrom('', 'event/a', '/data/a', '/Event/a', 'x/event/a', '/eventual', '/event/'),
      ),
    ),
  },
  // RFC 3339 allows any offset, not only `Z`.
  occurredAt: {
    field: {
      valid: fc.oneof(timestamp.valid, fc.constantFrom('2026-01-15T10:00:00+02:00', '2026-01-15T10:00:00.123-05:30')),
      invalid: timestamp.invalid,
    },
  },
})

const bulkDeleteBody: Field = {
  valid: fc.oneof(fc.record({ profileIds: array(string(1), 1, 1000).valid }), fc.record({ filter: profileFilter.valid })),
  invalid: fc.oneof(
    wrongType('object'),
    fc.constant({}),
    fc.record({ profileIds: array(string(1), 1, 1000).valid, filter: profileFilter.valid }),
    fc.record({ profileIds: array(string(1), 1, 1000).invalid }),
    fc.record({ filter: profileFilter.invalid }),
  ),
}

const id = (name: string) => (input: Input) => (input.path as Record<string, string>)[name] as string

export const OPERATIONS: OperationCase[] = [
  // Profiles
  {
    operation: 'listProfiles',
    invoke: (c, i, o) => c.profiles.list(i.body as never, o),
    body: object({ ...profileFilterShape, cursor: { field: string(1) }, limit: { field: integer(1, 100) } }),
    bodyOptional: true,
  },
  { operation: 'bulkDeleteProfiles', invoke: (c, i, o) => c.profiles.bulkDelete(i.body as never, o), body: bulkDeleteBody },
  { operation: 'retrieveProfile', invoke: (c, i, o) => c.profiles.retrieve(id('profileId')(i), o), path: { profileId: opaqueId } },
  { operation: 'deleteProfile', invoke: (c, i, o) => c.profiles.delete(id('profileId')(i), o), path: { profileId: opaqueId } },
  { operation: 'listProfileSubscriptions', invoke: (c, i, o) => c.profiles.listSubscriptions(id('profileId')(i), o), path: { profileId: opaqueId } },
  // Templates
  {
    operation: 'listTemplates',
    invoke: (c, i, o) => c.templates.list(i.query as never, o),
    query: query(object({ status: { field: array(templateStatus) }, purpose: { field: templatePurpose } }, { extraKeys: false })),
  },
  {
    operation: 'createTemplate',
    invoke: (c, i, o) => c.templates.create(i.body as never, o),
    body: object({
      name: { field: string(1, 200), required: true },
      key: { field: templateKey },
      purpose: { field: templatePurpose },
      definition: { field: templateDefinition },
      senderProfileId: { field: senderId },
      brandKitId: { field: brandId },
      language: { field: string(2, 35) },
    }),
  },
  { operation: 'retrieveTemplate', invoke: (c, i, o) => c.templates.retrieve(id('id')(i), o), path: { id: templateId } },
  {
    operation: 'updateTemplate',
    invoke: (c, i, o) => c.templates.update(id('id')(i), i.body as never, o),
    path: { id: templateId },
    body: object({
      name: { field: string(1, 200) },
      key: { field: nullable(templateKey) },
      definition: { field: templateDefinition },
      senderProfileId: { field: nullable(senderId) },
      brandKitId: { field: brandId },
      subType: { field: string(1) },
      defaultSegmentId: { field: nullable(string()) },
      language: { field: string(2, 35) },
      purpose: { field: templatePurpose },
    }),
  },
  { operation: 'deleteTemplate', invoke: (c, i, o) => c.templates.delete(id('id')(i), o), path: { id: templateId } },
  {
    operation: 'duplicateTemplate',
    invoke: (c, i, o) => c.templates.duplicate(id('id')(i), i.body as never, o),
    path: { id: templateId },
    body: object({ name: { field: string(1, 200) } }),
    bodyOptional: true,
  },
  { operation: 'archiveTemplate', invoke: (c, i, o) => c.templates.archive(id('id')(i), o), path: { id: templateId } },
  { operation: 'unarchiveTemplate', invoke: (c, i, o) => c.templates.unarchive(id('id')(i), o), path: { id: templateId } },
  // Assets
  {
    operation: 'listAssets',
    invoke: (c, i, o) => c.assets.list(i.query as never, o),
    query: query(
      object({ cursor: { field: queryString(1) }, limit: { field: integer(1, 100) }, assetType: { field: assetType }, imageType: { field: imageType } }, { extraKeys: false }),
    ),
  },
  {
    operation: 'createAsset',
    invoke: (c, i, o) => c.assets.create(i.body as never, o),
    body: object({
      filename: { field: string(1), required: true },
      s3Key: { field: string(1), required: true },
      contentType: { field: assetContentType, required: true },
      size: { field: assetSize, required: true },
      assetType: { field: assetType },
      imageType: { field: imageType },
      websiteId: { field: string(1) },
    }),
  },
  {
    operation: 'createAssetUploadUrl',
    invoke: (c, i, o) => c.assets.createUploadUrl(i.body as never, o),
    body: object({
      filename: { field: string(1), required: true },
      contentType: { field: assetContentType, required: true },
      size: { field: assetSize, required: true },
      assetType: { field: assetType },
      websiteId: { field: string(1) },
    }),
  },
  { operation: 'retrieveAsset', invoke: (c, i, o) => c.assets.retrieve(id('id')(i), o), path: { id: uuid } },
  {
    operation: 'updateAsset',
    invoke: (c, i, o) => c.assets.update(id('id')(i), i.body as never, o),
    path: { id: uuid },
    body: object({ altText: { field: nullable(string(0, 200)) }, tags: { field: array(string(1, 50), 0, 20) }, imageType: { field: nullable(imageType) } }),
  },
  { operation: 'deleteAsset', invoke: (c, i, o) => c.assets.delete(id('id')(i), o), path: { id: uuid } },
  {
    operation: 'finalizeAsset',
    invoke: (c, i, o) => c.assets.finalize(id('id')(i), i.body as never, o),
    path: { id: uuid },
    body: object({ altText: { field: string(0, 200) }, imageType: { field: imageType } }),
    bodyOptional: true,
  },
  // Brand kits
  { operation: 'listBrandKits', invoke: (c, _i, o) => c.brandKits.list(o) },
  {
    operation: 'createBrandKit',
    invoke: (c, i, o) => c.brandKits.create(i.body as never, o),
    body: object({ name: { field: string(1, 200), required: true }, websiteUrl: { field: url }, senderProfileId: { field: senderId }, ...brandKitShape }),
  },
  { operation: 'retrieveBrandKit', invoke: (c, i, o) => c.brandKits.retrieve(id('brandId')(i), o), path: { brandId } },
  {
    operation: 'updateBrandKit',
    invoke: (c, i, o) => c.brandKits.update(id('brandId')(i), i.body as never, o),
    path: { brandId },
    body: object({ name: { field: string(1, 200) }, websiteUrl: { field: nullable(url) }, senderProfileId: { field: nullable(senderId) }, ...brandKitShape }),
  },
  { operation: 'deleteBrandKit', invoke: (c, i, o) => c.brandKits.delete(id('brandId')(i), o), path: { brandId } },
  { operation: 'clearBrandKit', invoke: (c, i, o) => c.brandKits.clear(id('brandId')(i), o), path: { brandId } },
  { operation: 'setDefaultBrandKit', invoke: (c, i, o) => c.brandKits.setDefault(id('brandId')(i), o), path: { brandId } },
  {
    operation: 'extractBrandKit',
    invoke: (c, i, o) => c.brandKits.extract(id('brandId')(i), i.body as never, o),
    path: { brandId },
    body: object({ websiteUrl: { field: url } }),
    bodyOptional: true,
  },
  { operation: 'retrieveBrandKitExtractionProgress', invoke: (c, i, o) => c.brandKits.extractionProgress(id('brandId')(i), o), path: { brandId } },
  // Emails and events
  { operation: 'sendEmail', invoke: (c, i, o) => c.emails.send(i.body as never, o), body: sendEmailBody },
  { operation: 'batchSendEmails', invoke: (c, i, o) => c.emails.batchSend(i.body as never, o), body: batchBody },
  { operation: 'retrieveEmail', invoke: (c, i, o) => c.emails.retrieve(id('id')(i), o), path: { id: uuid } },
  { operation: 'trackEvent', invoke: (c, i, o) => c.events.track(i.body as never, o), body: trackBody },
]

/** A valid input of the operation: every part valid; an optional body sometimes left out. */
export function validInput(op: OperationCase): fc.Arbitrary<Input> {
  const parts: Record<string, fc.Arbitrary<unknown>> = {}
  if (op.path) parts.path = fc.record(Object.fromEntries(Object.entries(op.path).map(([name, field]) => [name, field.valid])))
  if (op.body) parts.body = op.bodyOptional ? fc.option(op.body.valid, { nil: undefined }) : op.body.valid
  if (op.query) parts.query = fc.option(op.query.valid, { nil: undefined })
  return fc.record(parts) as fc.Arbitrary<Input>
}

/** An input with exactly one part broken: a path id, the body, or the query. */
export function invalidInput(op: OperationCase): fc.Arbitrary<Input> | undefined {
  const valid = validInput(op)
  const broken: fc.Arbitrary<Input>[] = []
  for (const [name, field] of Object.entries(op.path ?? {})) {
    broken.push(fc.tuple(valid, field.invalid).map(([input, bad]) => ({ ...input, path: { ...input.path, [name]: bad as string } })))
  }
  if (op.body) broken.push(fc.tuple(valid, op.body.invalid).map(([input, bad]) => ({ ...input, body: bad })))
  if (op.query) broken.push(fc.tuple(valid, op.query.invalid).map(([input, bad]) => ({ ...input, query: bad })))
  return broken.length > 0 ? fc.oneof(...broken) : undefined
}
