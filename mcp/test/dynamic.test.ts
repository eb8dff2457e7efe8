// `--tools-mode dynamic`: three meta-tools, and every rule of the static tools still holds when an
// operation is run through them.
import { afterEach, describe, expect, it } from 'vitest'
import { expectOk, SEND_FLAGS, startHarness, type Harness } from './harness.ts'

let harness: Harness | undefined
afterEach(async () => {
  await harness?.close()
  harness = undefined
})

const receipt = { templateKey: 'receipt-default', to: { email: 'alex@example.com' } }

describe('dynamic mode', () => {
  it('lists three meta-tools with full schemas', async () => {
    harness = await startHarness(['--tools-mode', 'dynamic', ...SEND_FLAGS])
    const tools = await harness.listTools()
    expect(tools.map((tool) => tool.name)).toEqual(['search_operations', 'describe_operation', 'call_operation'])
    for (const tool of tools) {
      expect(tool.inputSchema.type).toBe('object')
      for (const property of Object.values(tool.inputSchema.properties ?? {})) expect((property as { description?: string }).description).toBeTruthy()
    }
  })

  it('finds, describes and calls an operation', async () => {
    harness = await startHarness(['--tools-mode', 'dynamic', ...SEND_FLAGS])
    const found = expectOk(await harness.call('search_operations', { query: 'send email' }))
    expect(found.structured.operations.map((operation: { name: string }) => operation.name)).toEqual(['emails_send', 'emails_batch_send'])
    expect(expectOk(await harness.call('search_operations', {})).structured.operations).toHaveLength(33)

    const described = expectOk(await harness.call('describe_operation', { name: 'emails_send' }))
    expect(described.structured.inputSchema.properties).toHaveProperty('templateKey')
    expect(described.structured.inputSchema.properties).toHaveProperty('dry_run')

    const sent = expectOk(await harness.call('call_operation', { name: 'emails_send', arguments: receipt }))
    expect(sent.structured.data.status).toBe('Queued')
    const again = expectOk(await harness.call('call_operation', { name: 'emails_send', arguments: receipt }))
    expect(again.structured.replayed).toBe(true)
    expect(harness.sandbox.state.emailSends.size).toBe(1)
    // The audit line names the operation, not the meta-tool.
    expect(harness.audit.map((entry) => `${entry.tool}:${entry.outcome}`)).toEqual(['emails_send:ok', 'emails_send:replayed'])
  })

  it('keeps every filter and send rule at call time', async () => {
    harness = await startHarness(['--tools-mode', 'dynamic', '--read-only'])
    const search = expectOk(await harness.call('search_operations', { query: 'send' }))
    expect(search.structured.operations.map((operation: { name: string }) => operation.name)).not.toContain('emails_send')
    const described = await harness.call('describe_operation', { name: 'templates_delete' })
    expect(described.structured.errorCode).toBe('unknown_operation')
    const deleted = await harness.call('call_operation', { name: 'templates_delete', arguments: { id: '0f0e0d0c-0b0a-4909-8807-060504030201' } })
    expect(deleted.structured.errorCode).toBe('tool_disabled')
    const sent = await harness.call('call_operation', { name: 'emails_send', arguments: receipt })
    expect(sent.isError).toBe(true)
    expect(harness.sandbox.state.requests).toHaveLength(0)
    await harness.close()

    harness = await startHarness(['--tools-mode', 'dynamic', ...SEND_FLAGS, '--allowed-recipients', '*@example.com', '--max-sends-per-hour', '1'])
    const elsewhere = await harness.call('call_operation', { name: 'emails_send', arguments: { ...receipt, to: { email: 'x@elsewhere.test' } } })
    expect(elsewhere.structured.errorCode).toBe('recipient_not_allowed')
    const sender = await harness.call('call_operation', { name: 'emails_send', arguments: { ...receipt, from: 'ceo@example.com' } })
    expect(sender.structured.errorCode).toBe('sender_not_allowed')
    const invalid = await harness.call('call_operation', { name: 'emails_send', arguments: { ...receipt, subject: 42 } })
    expect(invalid.structured).toMatchObject({ errorCode: 'invalid_arguments', issues: [{ path: 'subject' }] })
    expectOk(await harness.call('call_operation', { name: 'emails_send', arguments: receipt }))
    const over = await harness.call('call_operation', { name: 'events_track', arguments: { event: 'order.created', profile: { email: 'alex@example.com' } } })
    expect(over.structured.errorCode).toBe('send_quota_exceeded')
    expect(harness.sandbox.state.emailSends.size).toBe(1)
  })

  it('answers an unknown operation with the way to find one', async () => {
    harness = await startHarness(['--tools-mode', 'dynamic'])
    const call = await harness.call('call_operation', { arguments: {} })
    expect(call.structured).toMatchObject({ errorCode: 'unknown_operation', hint: expect.stringContaining('search_operations') })
    const unknown = await harness.call('call_operation', { name: 'emails_unsend' })
    expect(unknown.structured.errorCode).toBe('unknown_tool')
  })
})
