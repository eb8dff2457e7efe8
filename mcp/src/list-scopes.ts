/**
 * `segmentflow-mcp list-scopes`: the scopes each tool needs, read from the spec, and the smallest
 * set of scopes a key needs for the tools this configuration would offer. Operators run it to create
 * a least-privilege key before they hand the server to a model.
 */
import type { ServerConfig } from './config.ts'
import { decide } from './policy.ts'
import { tools } from './tools/catalog.ts'

export interface ScopeRow {
  readonly tool: string
  readonly operationId: string
  readonly method: string
  readonly path: string
  readonly scopes: readonly string[]
  readonly access: 'read' | 'write' | 'send'
  readonly offered: boolean
  /** Why the tool is not offered under this configuration. */
  readonly reason?: string
}

export function scopeRows(config: ServerConfig): ScopeRow[] {
  return tools.map((tool) => {
    const decision = decide(tool, config)
    return {
      tool: tool.name,
      operationId: tool.operation.operationId,
      method: tool.operation.method,
      path: tool.operation.path,
      scopes: tool.operation.scopes,
      access: tool.sends ? 'send' : tool.annotations.readOnlyHint ? 'read' : 'write',
      offered: decision.enabled,
      ...(decision.enabled ? {} : { reason: decision.refusal.message }),
    }
  })
}

/** The scopes the tools offered by this configuration need, whatever the key has today. */
export function neededScopes(config: ServerConfig): string[] {
  const withoutScopeFilter = { ...config, scopes: undefined }
  return [...new Set(tools.filter((tool) => decide(tool, withoutScopeFilter).enabled).flatMap((tool) => tool.operation.scopes))]
}

export function renderScopes(config: ServerConfig, json: boolean): string {
  const rows = scopeRows(config)
  const needed = neededScopes(config)
  if (json) return `${JSON.stringify({ tools: rows, neededScopes: needed }, null, 2)}\n`

  const header = ['TOOL', 'SCOPES', 'ACCESS', 'OFFERED']
  const table = rows.map((row) => [row.tool, row.scopes.join(','), row.access, row.offered ? 'yes' : `no: ${row.reason}`])
  const widths = header.map((title, column) => Math.max(title.length, ...table.map((cells) => cells[column]!.length)))
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd()
  return [
    'Scopes each tool needs (x-required-scopes in openapi.yaml):',
    '',
    line(header),
    ...table.map(line),
    '',
    needed.length > 0
      ? `A key for the tools this configuration offers needs: ${needed.join(', ')}`
      : 'This configuration offers no tools.',
    '',
  ].join('\n')
}
