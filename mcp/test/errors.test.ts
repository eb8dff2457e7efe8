// Errors a model can act on: the API's code, its message, the scopes at stake, the request id and a
// one-line hint saying what to change. Never a bare "failed".
import { SEED } from '@segmentflow/segmentflow-typescript/testing'
import { CallToolResultSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import { afterEach, describe, expect, it } from 'vitest'
import { SEND_FLAGS, startHarness, type Harness, type HarnessOptions } from './harness.ts'

const missing = '0f0e0d0c-0b0a-4909-8807-060504030201'

let harness: Harness | undefined
afterEach(async () => {
  await harness?.close()
  harness = undefined
})

async function failing(flags: string[], tool: string, args: Record<string, unknown>, options?: HarnessOptions) {
  harness = await startHarness(flags, options)
  const call = await harness.call(tool, args)
  expect(call.isError, call.summary).toBe(true)
  expect(call.structured.hint, 'every error has a hint').toEqual(expect.any(String))
  expect(call.summary).toMatch(/^Error [a-z_0-9]+: .+ Hint: .+/)
  expect(call.summary).not.toMatch(/^failed$/i)
  return call
}

describe('an API error', () => {
  it('not_found names the list tool to find a valid id', async () => {
    const call = await failing([], 'templates_retrieve', { id: missing })
    expect(call.structured).toMatchObject({ errorCode: 'not_found', status: 404, requiredScopes: ['templates:read'] })
    expect(call.structured.requestId).toMatch(/^req_/)
    expect(call.structured.hint).toContain('templates_list')
    expect(harness!.audit).toEqual([expect.objectContaining({ tool: 'templates_retrieve', outcome: 'error', errorCode: 'not_found', requestId: call.structured.requestId })])
  })

  it('insufficient_scope (the key lacks a scope the operator did not declare) names it', async () => {
    harness = undefined
    const sandboxKey = 'sk_test_templates_read_only'
    const call = await failing([], 'templates_create', { name: 'Nope' }, {
      apiKey: sandboxKey,
      sandbox: { apiKeys: [{ key: sandboxKey, scopes: ['templates:read'] }] },
    })
    expect(call.structured).toMatchObject({ errorCode: 'insufficient_scope', status: 403, requiredScopes: ['templates:write'] })
    expect(call.structured.hint).toContain('templates:write')
    expect(call.structured.hint).toContain('--scopes')
  })

  it('unauthorized points at the key, and never shows it', async () => {
    const call = await failing([], 'templates_list', {}, { apiKey: 'sk_test_not_a_key_at_all' })
    expect(call.structured).toMatchObject({ errorCode: 'unauthorized', status: 401 })
    expect(call.structured.hint).toContain('SEGMENTFLOW_API_KEY')
    expect(JSON.stringify(call.result)).not.toContain('sk_test_not_a_key_at_all')
    expect(JSON.stringify(harness!.audit)).not.toContain('sk_test_not_a_key_at_all')
  })

  it('conflict says to change the state first', async () => {
    const call = await failing([], 'brand_kits_delete', { brandId: SEED.brandKit.id })
    expect(call.structured).toMatchObject({ errorCode: 'conflict', status: 409 })
    expect(call.structured.message).toBeTruthy()
  })

  it('validation_failed on a send points at the template and sender', async () => {
    const call = await failing(SEND_FLAGS, 'emails_send', { templateKey: SEED.templates.newsletter.key, to: { email: 'alex@example.com' } })
    expect(call.structured).toMatchObject({ errorCode: 'validation_failed', status: 422 })
    expect(call.structured.hint).toContain('Transactional')
  })

  it('idempotency_key_reuse says to pick a new key', async () => {
    harness = await startHarness(SEND_FLAGS)
    await harness.call('emails_send', { templateKey: 'receipt-default', to: { email: 'alex@example.com' }, idempotency_key: 'order:1' })
    const call = await harness.call('emails_send', { templateKey: 'receipt-default', to: { email: 'sam@example.com' }, idempotency_key: 'order:1' })
    expect(call.structured).toMatchObject({ errorCode: 'idempotency_key_reuse', status: 409, idempotencyKey: 'order:1' })
    expect(call.structured.hint).toContain('new idempotency_key')
  })

  it('rate_limited, after the SDK\'s retries, says how long to wait', async () => {
    harness = await startHarness([])
    harness.sandbox.faults.add({ kind: 'status', status: 429, operation: 'listTemplates' })
    const call = await harness.call('templates_list')
    expect(call.structured).toMatchObject({ errorCode: 'rate_limited', status: 429, retryAfter: 1 })
    expect(call.structured.hint).toContain('wait 1 seconds')
  })

  it('a lost answer to a send is retried with the same derived key: one email, no error', async () => {
    harness = await startHarness(SEND_FLAGS)
    // The email is queued, then the answer is lost: only the idempotency key prevents a second one.
    harness.sandbox.faults.add({ kind: 'after-commit', operation: 'sendEmail', times: 1 })
    const call = await harness.call('emails_send', { templateKey: 'receipt-default', to: { email: 'alex@example.com' } })
    expect(call.isError, call.summary).toBe(false)
    const attempts = harness.sandbox.state.requests.filter((request) => request.operation === 'sendEmail')
    expect(attempts.map((request) => request.status)).toEqual([500, 202])
    expect(new Set(attempts.map((request) => request.headers['idempotency-key'])).size).toBe(1)
    expect(harness.sandbox.state.emailSends.size).toBe(1)
  })

  it('a lost answer to a create says to look before repeating: the spec marks it unsafe to repeat', async () => {
    // The template is created, then the answer is lost; the SDK does not retry a create.
    harness = await startHarness([])
    harness.sandbox.faults.add({ kind: 'after-commit', operation: 'createTemplate', times: 1 })
    const call = await harness.call('templates_create', { name: 'Welcome' })
    expect(call.isError, call.summary).toBe(true)
    expect(harness.sandbox.state.requests.filter((request) => request.operation === 'createTemplate')).toHaveLength(1)
    expect(call.structured.hint).toContain('may have taken effect')
    expect(call.structured.hint).toContain('templates_list')
    expect(call.structured.hint).not.toContain('call again with the same arguments')
  })

  it('a failure of an operation safe to repeat says to call again', async () => {
    harness = await startHarness([])
    harness.sandbox.faults.add({ kind: 'status', status: 503, operation: 'archiveTemplate' })
    const call = await harness.call('templates_archive', { id: SEED.templates.receipt.id })
    expect(call.isError, call.summary).toBe(true)
    expect(call.structured.hint).toContain('call again with the same arguments')
  })

  it('a connection failure names the base URL', async () => {
    const call = await failing(['--toolsets', 'templates'], 'templates_list', {}, {
      fetch: () => () => Promise.reject(new TypeError('fetch failed')),
      sandbox: {},
    })
    expect(call.structured.errorCode).toBe('connection_error')
    expect(call.structured.hint).toContain('https://sandbox.segmentflow.test')
  })
})

describe('invalid arguments', () => {
  it('name each issue, and nothing is sent', async () => {
    const call = await failing(SEND_FLAGS, 'emails_send', { to: { email: 'alex@example.com' } })
    expect(call.structured.errorCode).toBe('invalid_arguments')
    expect(call.structured.issues).toEqual([{ path: '', message: 'Give exactly one of templateId or templateKey.' }])
    expect(harness!.sandbox.state.requests).toHaveLength(0)
    expect(harness!.audit).toEqual([expect.objectContaining({ outcome: 'invalid', errorCode: 'invalid_arguments' })])
  })

  it('catch a malformed id before it reaches the URL', async () => {
    const call = await failing([], 'templates_retrieve', { id: '../assets' })
    expect(call.structured.issues).toEqual([expect.objectContaining({ path: 'id' })])
    expect(harness!.sandbox.state.requests).toHaveLength(0)
  })

  it('refuse an argument the tool does not take', async () => {
    const call = await failing([], 'templates_list', { status: ['Active'], limit: 5 })
    expect(call.structured.issues).toEqual([{ path: 'limit', message: expect.stringContaining('Unknown argument') }])
  })

  it('check the server’s own arguments too', async () => {
    const call = await failing([], 'templates_archive', { id: SEED.templates.receipt.id, dry_run: 'yes', idempotency_key: '' })
    expect([...new Set(call.structured.issues.map((issue: { path: string }) => issue.path))].sort()).toEqual(['dry_run', 'idempotency_key'])
  })

  it('include the SDK\'s own checks, reported the same way', async () => {
    // The spec allows any non-empty profile id; the SDK refuses a dot segment, which would change the route.
    const call = await failing([], 'profiles_retrieve', { profileId: '..' })
    expect(call.structured.errorCode).toBe('invalid_arguments')
    expect(call.structured.issues).toEqual([{ path: 'profileId', message: expect.stringContaining('".."') }])
    expect(harness!.sandbox.state.requests).toHaveLength(0)
  })

  it('list missing required arguments', async () => {
    const call = await failing([], 'assets_create_upload_url', { filename: 'x.png' })
    expect(call.structured.issues.map((issue: { path: string }) => issue.path)).toEqual(expect.arrayContaining(['contentType', 'size']))
  })

  it('come before the policy, all at once, with paths', async () => {
    // With an allowlist, a malformed send is about its arguments first: the model can fix those.
    const call = await failing([...SEND_FLAGS, '--allowed-recipients', '*@example.com'], 'emails_send', {
      subject: 42,
      to: { email: 'someone@elsewhere.test' },
      cc: [7],
    })
    expect(call.structured.errorCode).toBe('invalid_arguments')
    const paths = call.structured.issues.map((issue: { path: string }) => issue.path)
    expect(paths).toEqual(expect.arrayContaining(['subject', 'cc', '']))
    expect(call.structured.issues.find((issue: { path: string }) => issue.path === 'subject').message).toMatch(/expected string/)
    expect(call.structured.issues.find((issue: { path: string }) => issue.path === '').message).toBe('Give exactly one of templateId or templateKey.')
    expect(harness!.sandbox.state.requests).toHaveLength(0)
  })

  it('say in words that two fields exclude each other', async () => {
    const call = await failing(SEND_FLAGS, 'emails_send', { templateId: SEED.templates.receipt.id, templateKey: 'receipt-default', to: { email: 'alex@example.com' } })
    expect(call.structured.issues).toEqual([{ path: '', message: 'Give exactly one of templateId or templateKey, not both.' }])
    expect(JSON.stringify(call.structured)).not.toContain('expected null')
  })

  it("report the chosen branch's own issues, not the other branch's", async () => {
    const call = await failing(SEND_FLAGS, 'emails_send', { templateKey: 'Not A Key', to: { email: 'alex@example.com' } })
    expect(call.structured.issues).toEqual([{ path: 'templateKey', message: expect.any(String) }])
    const bulk = await harness!.call('profiles_bulk_delete', { profileIds: [SEED.profiles.sam.id], filter: { search: 'x' } })
    expect(bulk.structured.issues).toEqual([{ path: '', message: 'Give exactly one of profileIds or filter, not both.' }])
  })

  it.each([null, 'templateKey=receipt-default', [1, 2], 42])('that are not an object (%j) get a tool error the model reads', async (args) => {
    harness = await startHarness(SEND_FLAGS)
    const result = (await harness.client.request(
      { method: 'tools/call', params: { name: 'templates_list', arguments: args as never } },
      CallToolResultSchema,
    )) as CallToolResult
    expect(result.isError).toBe(true)
    expect(result.structuredContent).toMatchObject({ errorCode: 'invalid_arguments', issues: [{ path: '', message: expect.stringContaining('must be an object') }] })
  })
})

describe('single values', () => {
  it('are taken as a list of one where the API takes a list', async () => {
    harness = await startHarness([])
    const call = await harness.call('templates_list', { purpose: 'Transactional', status: 'Active' })
    expect(call.isError, call.summary).toBe(false)
    const [request] = harness.sandbox.state.requests
    expect(new URL(request!.url).searchParams.getAll('purpose')).toEqual(['Transactional'])
    expect(call.structured.data.every((template: { purpose: string }) => template.purpose === 'Transactional')).toBe(true)
  })

  it("are taken as a list of one in a list tool's filters", async () => {
    harness = await startHarness([])
    const call = await harness.call('profiles_list', { sourceFilter: 'api', limit: 5 })
    expect(call.isError, call.summary).toBe(false)
    expect(harness.sandbox.state.requests[0]?.body).toEqual({ sourceFilter: ['api'], limit: 5 })
  })

  it('are taken as a list of one for an open enum filter, known value or not', async () => {
    harness = await startHarness([])
    const call = await harness.call('profiles_list', { deliverySuppressionReasonFilter: 'spam_trap', segmentFilter: 'seg_1' })
    expect(call.isError, call.summary).toBe(false)
    expect(harness.sandbox.state.requests[0]?.body).toEqual({ deliverySuppressionReasonFilter: ['spam_trap'], segmentFilter: ['seg_1'] })
  })

  it('are the only form of a filter the API reads as one value', async () => {
    const call = await failing([], 'templates_list', { purpose: ['Transactional'] })
    expect(call.structured).toMatchObject({ errorCode: 'invalid_arguments', issues: [expect.objectContaining({ path: 'purpose' })] })
    expect(harness!.sandbox.state.requests).toEqual([])
  })
})
