/**
 * One line per tool call on stderr, for the operator: which tool, how it ended, the request id to
 * quote to SegmentFlow support, how long it took. Never arguments, never the key: the line is meant
 * to be safe to ship to any log store.
 */
export type Outcome = 'ok' | 'replayed' | 'dry_run' | 'refused' | 'invalid' | 'error'

export interface AuditEntry {
  readonly tool: string
  readonly outcome: Outcome
  readonly errorCode?: string | undefined
  readonly requestId?: string | undefined
  readonly durationMs: number
}

export type AuditSink = (entry: AuditEntry) => void

export function auditLine(entry: AuditEntry, now: Date = new Date()): string {
  const fields = Object.entries({ time: now.toISOString(), ...entry }).filter(([, value]) => value !== undefined)
  return `segmentflow-mcp audit ${JSON.stringify(Object.fromEntries(fields))}\n`
}

export function streamAudit(write: (line: string) => void): AuditSink {
  return (entry) => write(auditLine(entry))
}
