/** Percentiles and the formatting of the report's numbers. */

export function percentile(sorted: ReadonlyArray<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN
  // Nearest rank: a reported p99 is a latency some call really had.
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[rank]!
}

export function median(values: ReadonlyArray<number>): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  )
}

export function sortNumbers(values: ReadonlyArray<number>): number[] {
  return Float64Array.from(values).sort() as unknown as number[]
}

export const fmt = {
  us: (ms: number) => `${Math.round(ms * 1000)}`,
  ms: (ms: number, digits = 1) => ms.toFixed(digits),
  ratio: (r: number) => `${r.toFixed(2)}x`,
  int: (n: number) => Math.round(n).toLocaleString('en-US'),
  kB: (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`,
  MB: (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`,
}

/** A GitHub-flavoured markdown table. */
export function table(head: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>, align?: ReadonlyArray<'l' | 'r'>): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const pad = (cells: ReadonlyArray<string>) =>
    `| ${cells.map((c, i) => (align?.[i] === 'r' ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(' | ')} |`
  const rule = `|${widths.map((w, i) => (align?.[i] === 'r' ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`
  return [pad(head), rule, ...rows.map(pad)].join('\n')
}
