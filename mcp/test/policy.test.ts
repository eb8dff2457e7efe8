// Least privilege, enforced twice: what tools/list shows under each combination of flags, and the
// refusal a hidden tool gives when a model calls it by name anyway.
import { describe, expect, it } from 'vitest'
import { startHarness } from './harness.ts'

const READS = [
  'profiles_list',
  'profiles_retrieve',
  'profiles_list_subscriptions',
  'templates_list',
  'templates_retrieve',
  'assets_list',
  'assets_retrieve',
  'brand_kits_list',
  'brand_kits_retrieve',
  'brand_kits_extraction_progress',
  'emails_retrieve',
]
const SENDS = ['emails_send', 'emails_batch_send', 'events_track']
const TEMPLATES = [
  'templates_list',
  'templates_retrieve',
  'templates_create',
  'templates_update',
  'templates_delete',
  'templates_duplicate',
  'templates_archive',
  'templates_unarchive',
]
const BRAND_KITS = [
  'brand_kits_list',
  'brand_kits_retrieve',
  'brand_kits_create',
  'brand_kits_update',
  'brand_kits_delete',
  'brand_kits_clear',
  'brand_kits_set_default',
  'brand_kits_extract',
  'brand_kits_extraction_progress',
]
const ALL_COUNT = 33

type Case = [label: string, flags: string[], env: Record<string, string>, expected: string[] | number]

// prettier-ignore
const cases: Case[] = [
  ['no flags: everything but sends', [], {}, ALL_COUNT - SENDS.length],
  ['--allow-sends: everything', ['--allow-sends'], {}, ALL_COUNT],
  ['--read-only', ['--read-only'], {}, READS],
  ['--read-only beats --allow-sends', ['--read-only', '--allow-sends'], {}, READS],
  ['--read-only beats --tools', ['--read-only', '--tools', 'templates_create,templates_list'], {}, ['templates_list']],
  ['--toolsets emails,templates', ['--toolsets', 'emails,templates'], {}, [...TEMPLATES, 'emails_retrieve']],
  ['--toolsets emails with sends', ['--toolsets', 'emails', '--allow-sends'], {}, ['emails_send', 'emails_batch_send', 'emails_retrieve']],
  ['--toolsets spelled with a hyphen', ['--toolsets', 'brand-kits'], {}, BRAND_KITS],
  ['--tools keeps sends off', ['--tools', 'templates_list,emails_send'], {}, ['templates_list']],
  ['--tools with sends', ['--tools', 'templates_list,emails_send', '--allow-sends'], {}, ['templates_list', 'emails_send']],
  ['--exclude-tools', ['--toolsets', 'profiles', '--exclude-tools', 'profiles_delete,profiles_bulk_delete'], {}, ['profiles_list', 'profiles_retrieve', 'profiles_list_subscriptions']],
  ['--tools and --exclude-tools', ['--tools', 'templates_list,templates_delete', '--exclude-tools', 'templates_delete'], {}, ['templates_list']],
  ['--scopes', ['--scopes', 'templates:read,emails:read'], {}, ['templates_list', 'templates_retrieve', 'emails_retrieve']],
  ['--scopes with sends', ['--scopes', 'emails:write,emails:read', '--allow-sends'], {}, ['emails_send', 'emails_batch_send', 'emails_retrieve']],
  ['--scopes without the sends flag', ['--scopes', 'emails:write,events:write'], {}, []],
  ['--scopes, sends and read-only', ['--scopes', 'emails:write', '--allow-sends', '--read-only'], {}, []],
  ['SEGMENTFLOW_SCOPES', [], { SEGMENTFLOW_SCOPES: 'brand-kit:read' }, ['brand_kits_list', 'brand_kits_retrieve', 'brand_kits_extraction_progress']],
  ['--scopes wins over SEGMENTFLOW_SCOPES', ['--scopes', 'assets:read'], { SEGMENTFLOW_SCOPES: 'brand-kit:read' }, ['assets_list', 'assets_retrieve']],
  ['SEGMENTFLOW_READ_ONLY and SEGMENTFLOW_TOOLSETS', [], { SEGMENTFLOW_READ_ONLY: '1', SEGMENTFLOW_TOOLSETS: 'emails,events' }, ['emails_retrieve']],
  ['SEGMENTFLOW_ALLOW_SENDS and --toolsets events', ['--toolsets', 'events'], { SEGMENTFLOW_ALLOW_SENDS: 'true' }, ['events_track']],
]

describe('the tool list under each filter combination', () => {
  it.each(cases)('%s', async (_label, flags, env, expected) => {
    const harness = await startHarness(flags, { env })
    try {
      const names = (await harness.listTools()).map((tool) => tool.name)
      if (typeof expected === 'number') {
        expect(names).toHaveLength(expected)
        if (!flags.includes('--allow-sends')) for (const send of SENDS) expect(names).not.toContain(send)
      } else {
        expect(names.sort()).toEqual([...expected].sort())
      }
    } finally {
      await harness.close()
    }
  })
})

type Refusal = [label: string, flags: string[], tool: string, args: Record<string, unknown>, errorCode: string, hint: RegExp]

// prettier-ignore
const refusals: Refusal[] = [
  ['sends are off by default', [], 'emails_send', { templateKey: 'receipt-default', to: { email: 'alex@example.com' } }, 'sends_disabled', /--allow-sends/],
  ['events are sends too', [], 'events_track', { event: 'order.created', profile: { email: 'alex@example.com' } }, 'sends_disabled', /--allow-sends/],
  ['read-only refuses writes', ['--read-only', '--allow-sends'], 'templates_delete', { id: '3f9a1c2e-7b4d-4e8f-9a0b-1c2d3e4f5a6b' }, 'tool_disabled', /--read-only/],
  ['read-only refuses even a dry run', ['--read-only'], 'templates_archive', { id: '3f9a1c2e-7b4d-4e8f-9a0b-1c2d3e4f5a6b', dry_run: true }, 'tool_disabled', /--read-only/],
  ['a toolset not enabled', ['--toolsets', 'templates'], 'profiles_list', {}, 'tool_disabled', /--toolsets/],
  ['a tool not listed', ['--tools', 'templates_list'], 'templates_retrieve', { id: '3f9a1c2e-7b4d-4e8f-9a0b-1c2d3e4f5a6b' }, 'tool_disabled', /--tools/],
  ['an excluded tool', ['--exclude-tools', 'profiles_delete'], 'profiles_delete', { profileId: 'prof_01HZX3K8Q3' }, 'tool_disabled', /--exclude-tools/],
  ['a scope the key lacks', ['--scopes', 'templates:read'], 'templates_create', { name: 'Nope' }, 'insufficient_scope', /templates:write.*--scopes/],
  ['an unknown tool', [], 'templates_destroy_all', {}, 'unknown_tool', /tools\/list/],
]

describe('a hidden tool called by name', () => {
  it.each(refusals)('is refused: %s', async (_label, flags, tool, args, errorCode, hint) => {
    const harness = await startHarness(flags)
    try {
      const before = harness.sandbox.state.requests.length
      const call = await harness.call(tool, args)
      expect(call.isError).toBe(true)
      expect(call.structured).toMatchObject({ errorCode })
      expect(call.structured.hint).toMatch(hint)
      expect(call.structured.message).toContain(tool)
      expect(call.summary).toContain(`Error ${errorCode}`)
      expect(Array.isArray(call.structured.requiredScopes)).toBe(true)
      // Refused before the SDK: SegmentFlow never heard of it.
      expect(harness.sandbox.state.requests.length).toBe(before)
      expect(harness.audit).toEqual([expect.objectContaining({ tool, outcome: 'refused', errorCode })])
    } finally {
      await harness.close()
    }
  })

  it('names the missing scope in requiredScopes', async () => {
    const harness = await startHarness(['--scopes', 'templates:read'])
    try {
      const call = await harness.call('templates_delete', { id: '3f9a1c2e-7b4d-4e8f-9a0b-1c2d3e4f5a6b' })
      expect(call.structured.requiredScopes).toEqual(['templates:write'])
      expect(harness.sandbox.state.templates.has('3f9a1c2e-7b4d-4e8f-9a0b-1c2d3e4f5a6b')).toBe(true)
    } finally {
      await harness.close()
    }
  })
})
