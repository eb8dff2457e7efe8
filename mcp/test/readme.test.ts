// The README is what operators configure from: its tool table and flag table must match the server.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { ENV } from '../src/config.ts'
import { tools } from '../src/tools/catalog.ts'

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')

describe('the README', () => {
  it('lists every tool with its operation, scope and annotations', () => {
    const section = readme.slice(readme.indexOf('<!-- tools:start -->'), readme.indexOf('<!-- tools:end -->'))
    const rows = section
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .map((line) => line.split('|').slice(1, -1).map((cell) => cell.trim()))
    const yn = (value: boolean) => (value ? 'yes' : 'no')
    expect(rows).toEqual(
      tools.map((tool) => [
        `\`${tool.name}\`${tool.sends ? ' (send)' : ''}`,
        `\`${tool.operation.operationId}\``,
        `\`${tool.operation.scopes.join(', ')}\``,
        yn(tool.annotations.readOnlyHint),
        yn(tool.annotations.destructiveHint),
        yn(tool.annotations.idempotentHint),
        yn(tool.annotations.openWorldHint),
      ]),
    )
  })

  it('documents every flag with its environment variable', () => {
    for (const [flag, variable] of Object.entries(ENV)) {
      expect(readme).toMatch(new RegExp(`\\| \`--${flag}[^\`]*\` \\| \`${variable}\` \\|`))
    }
  })

  it('shows the Claude Desktop and Cursor configuration as valid JSON', () => {
    const blocks = [...readme.matchAll(/```json\n([\s\S]*?)```/g)].map((match) => JSON.parse(match[1]!))
    expect(blocks.length).toBeGreaterThanOrEqual(4)
    for (const block of blocks) expect(block).toHaveProperty('mcpServers.segmentflow')
    expect(readme).toContain('### Claude Desktop')
    expect(readme).toContain('### Cursor')
  })
})
