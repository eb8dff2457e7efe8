// The tool table against a hand-written one: names, operations, scopes and annotations. A change to
// any of them is a change to what a host shows its user before a tool runs, so it must be deliberate.
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { tools } from '../src/tools/catalog.ts'
import { SEND_FLAGS, startHarness, type Harness } from './harness.ts'

type Row = [tool: string, operationId: string, scope: string, readOnly: boolean, destructive: boolean, idempotent: boolean, openWorld: boolean]

const R = true
const _ = false

// prettier-ignore
const expected: Row[] = [
  //  tool                              operation                             scope              RO destr idem  open
  ['profiles_list',                    'listProfiles',                       'profiles:read',   R, _, R, _],
  ['profiles_retrieve',                'retrieveProfile',                    'profiles:read',   R, _, R, _],
  ['profiles_list_subscriptions',      'listProfileSubscriptions',           'profiles:read',   R, _, R, _],
  ['profiles_delete',                  'deleteProfile',                      'profiles:write',  _, R, R, _],
  ['profiles_bulk_delete',             'bulkDeleteProfiles',                 'profiles:write',  _, R, _, _],
  ['templates_list',                   'listTemplates',                      'templates:read',  R, _, R, _],
  ['templates_retrieve',               'retrieveTemplate',                   'templates:read',  R, _, R, _],
  ['templates_create',                 'createTemplate',                     'templates:write', _, _, _, _],
  ['templates_update',                 'updateTemplate',                     'templates:write', _, R, R, _],
  ['templates_delete',                 'deleteTemplate',                     'templates:write', _, R, R, _],
  ['templates_duplicate',              'duplicateTemplate',                  'templates:write', _, _, _, _],
  ['templates_archive',                'archiveTemplate',                    'templates:write', _, R, R, _],
  ['templates_unarchive',              'unarchiveTemplate',                  'templates:write', _, _, R, _],
  ['assets_list',                      'listAssets',                         'assets:read',     R, _, R, _],
  ['assets_retrieve',                  'retrieveAsset',                      'assets:read',     R, _, R, _],
  ['assets_create_upload_url',         'createAssetUploadUrl',               'assets:write',    _, _, _, _],
  ['assets_create',                    'createAsset',                        'assets:write',    _, _, _, _],
  ['assets_finalize',                  'finalizeAsset',                      'assets:write',    _, _, R, _],
  ['assets_update',                    'updateAsset',                        'assets:write',    _, R, R, _],
  ['assets_delete',                    'deleteAsset',                        'assets:write',    _, R, R, _],
  ['brand_kits_list',                  'listBrandKits',                      'brand-kit:read',  R, _, R, _],
  ['brand_kits_retrieve',              'retrieveBrandKit',                   'brand-kit:read',  R, _, R, _],
  ['brand_kits_create',                'createBrandKit',                     'brand-kit:write', _, _, _, _],
  ['brand_kits_update',                'updateBrandKit',                     'brand-kit:write', _, R, R, _],
  ['brand_kits_delete',                'deleteBrandKit',                     'brand-kit:write', _, R, R, _],
  ['brand_kits_clear',                 'clearBrandKit',                      'brand-kit:write', _, R, R, _],
  ['brand_kits_set_default',           'setDefaultBrandKit',                 'brand-kit:write', _, _, R, _],
  ['brand_kits_extract',               'extractBrandKit',                    'brand-kit:write', _, R, _, R],
  ['brand_kits_extraction_progress',   'retrieveBrandKitExtractionProgress', 'brand-kit:read',  R, _, R, _],
  ['emails_send',                      'sendEmail',                          'emails:write',    _, _, R, R],
  ['emails_batch_send',                'batchSendEmails',                    'emails:write',    _, _, R, R],
  ['emails_retrieve',                  'retrieveEmail',                      'emails:read',     R, _, R, _],
  ['events_track',                     'trackEvent',                         'events:write',    _, _, R, R],
]

const specPath = fileURLToPath(new URL('../../openapi.yaml', import.meta.url))

describe('the tool table', () => {
  let harness: Harness
  beforeAll(async () => {
    harness = await startHarness(SEND_FLAGS)
  })
  afterAll(() => harness.close())

  it('has one tool per operation of the spec, and no other', () => {
    const spec = parse(readFileSync(specPath, 'utf8'))
    const operationIds = Object.values(spec.paths as Record<string, Record<string, { operationId?: string }>>)
      .flatMap((item) => Object.values(item))
      .flatMap((op) => (op && typeof op === 'object' && op.operationId ? [op.operationId] : []))
    expect(operationIds).toHaveLength(33)
    expect(tools.map((tool) => tool.operation.operationId).sort()).toEqual([...operationIds].sort())
    expect(expected.map(([, operationId]) => operationId).sort()).toEqual([...operationIds].sort())
  })

  it('offers every tool, with the annotations of the hand-written table', async () => {
    const listed = await harness.listTools()
    expect(listed.map((tool) => tool.name).sort()).toEqual(expected.map(([name]) => name).sort())
    for (const [name, , , readOnlyHint, destructiveHint, idempotentHint, openWorldHint] of expected) {
      const tool = listed.find((candidate) => candidate.name === name)
      // A hint left out means MCP's default (readOnly false, destructive true, idempotent false, openWorld true);
      // MCP reads the destructive and idempotent hints of a write tool only, so a read-only tool leaves them out.
      const hints = { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true, ...tool?.annotations }
      if (readOnlyHint) {
        expect(hints, name).toMatchObject({ readOnlyHint, openWorldHint })
        expect(tool?.annotations, name).not.toHaveProperty('destructiveHint')
        expect(tool?.annotations, name).not.toHaveProperty('idempotentHint')
      } else expect(hints, name).toMatchObject({ readOnlyHint, destructiveHint, idempotentHint, openWorldHint })
    }
  })

  it.each(expected)('%s calls %s and needs %s, as the spec says', (name, operationId, scope) => {
    const spec = parse(readFileSync(specPath, 'utf8'))
    const operation = Object.values(spec.paths as Record<string, Record<string, any>>)
      .flatMap((item) => Object.values(item))
      .find((op) => op?.operationId === operationId)
    const tool = tools.find((candidate) => candidate.name === name)
    expect(tool?.operation.operationId).toBe(operationId)
    expect(operation['x-required-scopes']).toEqual([scope])
    expect(tool?.operation.scopes).toEqual([scope])
  })

  it('uses short snake_case names', () => {
    for (const tool of tools) {
      expect(tool.name).toMatch(/^[a-z][a-z0-9]*(_[a-z0-9]+)+$/)
      expect(tool.name.length).toBeLessThanOrEqual(40)
    }
  })

  it('marks exactly the operations without an idempotency key as read-only', () => {
    // The spec gives writes an Idempotency-Key and reads none: the annotation must agree.
    for (const tool of tools) {
      expect(tool.annotations.readOnlyHint, tool.name).toBe(tool.operation.idempotency === 'none')
    }
  })

  it('writes descriptions for a model: purpose, rules and scope; dry runs are offered once per write tool', async () => {
    const listed = await harness.listTools()
    for (const tool of listed) {
      expect(tool.description, tool.name).toMatch(/Scope: [a-z-]+:(read|write)\./)
      // The `dry_run` argument offers the preview; the server's instructions say what it returns.
      if (!tool.annotations?.readOnlyHint) expect(tool.inputSchema.properties, tool.name).toHaveProperty('dry_run', expect.objectContaining({ type: 'boolean' }))
    }
    expect(harness.client.getInstructions()).toContain('`dry_run: true`')
    const profilesList = listed.find((tool) => tool.name === 'profiles_list')
    expect(profilesList?.description).toContain('`cursor`')
    const send = listed.find((tool) => tool.name === 'emails_send')
    expect(send?.description).toContain('exactly one of `templateId` or `templateKey`')
  })

  it('marks the operations the spec infers in a phrase, explained once in the instructions', async () => {
    const listed = await harness.listTools()
    const inferred = tools.filter((tool) => tool.operation.provenance === 'inferred').map((tool) => tool.name)
    expect(inferred.length).toBeGreaterThan(0)
    expect(listed.filter((tool) => tool.description?.includes('Inferred route.')).map((tool) => tool.name).sort()).toEqual(inferred.sort())
    // The spec's provenance and retry paragraphs stay in the spec.
    expect(JSON.stringify(listed)).not.toMatch(/Documented:|Inferred:|Retries:|reference page|API reference/)
    const instructions = harness.client.getInstructions()
    expect(instructions).toContain('"Inferred route."')
    expect(instructions).toContain('`Scope:`')
  })

  it('gives every tool a plain object input schema, as hosts require', async () => {
    for (const tool of await harness.listTools()) {
      expect(tool.inputSchema.type, tool.name).toBe('object')
      for (const keyword of ['anyOf', 'allOf', 'oneOf']) expect(tool.inputSchema, `${tool.name} ${keyword}`).not.toHaveProperty(keyword)
      expect(tool.inputSchema.additionalProperties, tool.name).toBe(false)
    }
  })

  it('takes path ids, query and body fields as top-level arguments', async () => {
    const listed = await harness.listTools()
    const schema = (name: string) => listed.find((tool) => tool.name === name)!.inputSchema
    expect(schema('templates_update').required).toEqual(['id'])
    expect(Object.keys(schema('templates_update').properties!)).toEqual(expect.arrayContaining(['id', 'name', 'definition', 'dry_run', 'idempotency_key']))
    expect(Object.keys(schema('assets_list').properties!)).toEqual(['cursor', 'limit', 'assetType', 'imageType'])
    expect(Object.keys(schema('profiles_bulk_delete').properties!)).toEqual(['profileIds', 'filter', 'dry_run', 'idempotency_key'])
    expect(schema('templates_list').properties).not.toHaveProperty('dry_run')
  })

  it('keeps the generated operation metadata in step with openapi.yaml', () => {
    const script = fileURLToPath(new URL('../scripts/generate-operations.mjs', import.meta.url))
    const check = spawnSync(process.execPath, [script, '--check'], { encoding: 'utf8' })
    expect(check.stderr).toBe('')
    expect(check.status).toBe(0)
  })

  it('describes every argument, in words true to the argument', async () => {
    const listed = await harness.listTools()
    for (const tool of listed) {
      for (const [name, property] of Object.entries(tool.inputSchema.properties ?? {})) {
        expect((property as { description?: string }).description, `${tool.name}.${name}`).toEqual(expect.stringMatching(/\S/))
      }
      const text = JSON.stringify(tool)
      // Wire words that contradict a tool argument.
      expect(text, tool.name).not.toMatch(/Repeat the key/i)
      expect(text, tool.name).not.toMatch(/Idempotency-Key. header is required/i)
    }
    const send = listed.find((tool) => tool.name === 'emails_send')!
    expect((send.inputSchema.properties as Record<string, { description: string }>).idempotency_key!.description).toMatch(/derived if left out/)
    expect(harness.client.getInstructions()).toContain('pass a new `idempotency_key` to send it again')
    // Fields that are another tool's arguments point to it, and the batch's own item key stays described.
    const batch = listed.find((tool) => tool.name === 'emails_batch_send')!.inputSchema.properties as Record<string, any>
    expect(batch.items.description).toContain('emails_send')
    expect(batch.items.items.properties.idempotencyKey.description).toMatch(/left out/)
    const bulk = listed.find((tool) => tool.name === 'profiles_bulk_delete')!.inputSchema.properties as Record<string, any>
    expect(bulk.filter.description).toContain('profiles_list')
    const filters = listed.find((tool) => tool.name === 'templates_list')!.inputSchema.properties as Record<string, any>
    // `status` takes several values, `purpose` one (the API reads a single `purpose`).
    expect(filters.status.description).toContain('One value or a list')
    expect(filters.status.anyOf).toEqual([expect.objectContaining({ type: 'string' }), expect.objectContaining({ type: 'array' })])
    expect(filters.purpose.description).toMatch(/one value/i)
    expect(filters.purpose.description).not.toMatch(/list/i)
    expect(filters.purpose).toMatchObject({ type: 'string', enum: expect.arrayContaining(['Transactional']) })
    expect(filters.purpose.anyOf).toBeUndefined()
    // An open enum as a filter: any string, or a list of known values or other strings.
    const sources = (listed.find((tool) => tool.name === 'profiles_list')!.inputSchema.properties as Record<string, any>).sourceFilter
    expect(sources.description).toContain('One value or a list')
    expect(sources.anyOf).toEqual([
      { type: 'string' },
      {
        type: 'array',
        items: { anyOf: [{ type: 'string' }, expect.objectContaining({ type: 'string', enum: expect.arrayContaining(['api']) })] },
      },
    ])
  })

  it('gives every tool an output schema for its structured content', async () => {
    for (const tool of await harness.listTools()) {
      expect(tool.outputSchema, tool.name).toMatchObject({ type: 'object', properties: { data: expect.any(Object), requestId: { type: 'string' } } })
    }
  })
})
