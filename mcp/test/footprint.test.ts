// What the tool list costs a host's context, measured on the list a client receives, and checked
// against the figures the README gives; and the compaction behind it keeps every constraint.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { sendSchemaTweak } from '../src/sends.ts'
import { tools } from '../src/tools/catalog.ts'
import { inputSchema } from '../src/tools/input.ts'
import { startHarness } from './harness.ts'

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')

/** Characters of the `tools/list` result as JSON, the way it travels. */
async function listSize(flags: string[]): Promise<{ tools: number; characters: number }> {
  const harness = await startHarness(flags)
  try {
    const listed = await harness.client.listTools()
    return { tools: listed.tools.length, characters: JSON.stringify(listed).length }
  } finally {
    await harness.close()
  }
}

const modes: [row: string, flags: string[]][] = [
  ['static, every tool (`--allow-sends`)', ['--allow-sends']],
  ['static, `--read-only`', ['--read-only']],
  ['static, `--toolsets emails --allow-sends`', ['--toolsets', 'emails', '--allow-sends']],
  ['dynamic (`--tools-mode dynamic --allow-sends`)', ['--tools-mode', 'dynamic', '--allow-sends']],
]

describe('the size of the tool list', () => {
  it.each(modes)('%s is what the README says', async (row, flags) => {
    const { tools: count, characters } = await listSize(flags)
    const line = readme.split('\n').find((text) => text.startsWith(`| ${row} |`))
    expect(line, `README row "${row}": ${count} tools, ${characters.toLocaleString('en-US')} characters`).toBe(
      `| ${row} | ${count} | ${characters.toLocaleString('en-US')} | ~${Math.round(characters / 4 / 100) / 10}k |`,
    )
  })

  it('stays within its budgets', async () => {
    // The static list was 52,390 characters before compaction; the budget keeps it from creeping back.
    expect((await listSize(['--allow-sends'])).characters).toBeLessThanOrEqual(35_000)
    expect((await listSize(['--tools-mode', 'dynamic', '--allow-sends'])).characters).toBeLessThanOrEqual(3_000)
  })
})

type Json = Record<string, unknown>

/** Every constraint in a schema, wherever it sits, as `keyword=value`; descriptions are not constraints. */
function constraints(schema: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) {
    for (const item of schema) constraints(item, out)
    return out
  }
  if (schema === null || typeof schema !== 'object') return out
  const node = schema as Json
  for (const [keyword, value] of Object.entries(node)) {
    if (keyword === 'description') continue
    if (keyword === 'type') for (const type of [value].flat()) out.add(`type=${String(type)}`)
    else if (keyword === 'properties') {
      for (const [name, property] of Object.entries(value as Json)) {
        out.add(`property=${name}`)
        constraints(property, out)
      }
    } else if (['items', 'anyOf', 'oneOf', 'allOf', 'additionalProperties'].includes(keyword) && typeof value === 'object') {
      if (keyword === 'additionalProperties' && Object.keys(value as Json).length > 0) out.add('additionalProperties=schema')
      constraints(value, out)
    } else if (keyword === 'pattern' && typeof node.format === 'string') {
      // A format's own regex: the format says it.
      out.add(`format=${JSON.stringify(node.format)}`)
    } else out.add(`${keyword}=${JSON.stringify(value)}`)
  }
  return out
}

describe('the compact schemas', () => {
  const config = { allowSends: true, sender: {}, maxBatchSize: 10 } as never

  it.each(tools.map((tool) => [tool.name, tool] as const))('of %s keep every constraint of the full ones', (_name, tool) => {
    const tweak = tool.sends ? sendSchemaTweak(tool.name, config) : undefined
    const full = constraints(inputSchema(tool, tweak, { compact: false }))
    const compact = constraints(inputSchema(tool, tweak))
    expect([...full].filter((constraint) => !compact.has(constraint))).toEqual([])
    // And say nothing the full schema does not: compaction only rewrites.
    expect([...compact].filter((constraint) => !full.has(constraint) && !constraint.startsWith('anyOf'))).toEqual([])
  })
})
