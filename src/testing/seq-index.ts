/**
 * Insertion-ordered ids with O(1) append and delete and O(page) cursor paging.
 *
 * A Map keeps insertion order but cannot start iterating at a key, so paging a Map costs O(position):
 * iterating 100,000 profiles page by page would cost O(n²). Here every id gets a sequence number; a
 * cursor carries the sequence number to continue from, and deleted slots are skipped.
 */

export type Order = 'asc' | 'desc'

/** `after`: the items that follow `seq` in list order; `before`: the page that precedes it. */
export interface Position {
  after?: number
  before?: number
}

export interface Page {
  ids: string[]
  /** Continue after this sequence number, or null at the end. */
  next: number | null
  /** The page before starts before this sequence number, or null at the start. */
  prev: number | null
}

export class SeqIndex {
  private readonly slots: (string | undefined)[] = []
  private readonly seqOf = new Map<string, number>()

  get size(): number {
    return this.seqOf.size
  }

  append(id: string): void {
    if (this.seqOf.has(id)) return
    this.seqOf.set(id, this.slots.length)
    this.slots.push(id)
  }

  remove(id: string): void {
    const seq = this.seqOf.get(id)
    if (seq === undefined) return
    this.slots[seq] = undefined
    this.seqOf.delete(id)
  }

  /** Walks raw sequence numbers from `from` in steps of `step` (+1 or -1), skipping deleted slots. */
  private *walk(from: number, step: 1 | -1): Generator<[number, string]> {
    for (let seq = from; seq >= 0 && seq < this.slots.length; seq += step) {
      const id = this.slots[seq]
      if (id !== undefined) yield [seq, id]
    }
  }

  /** Items strictly past `seq` in list order (or from the start when `seq` is undefined). */
  private *onward(order: Order, seq: number | undefined): Generator<[number, string]> {
    if (order === 'asc') yield* this.walk(seq === undefined ? 0 : seq + 1, 1)
    else yield* this.walk(seq === undefined ? this.slots.length - 1 : seq - 1, -1)
  }

  /** Items strictly before `seq` in list order, nearest first. */
  private *backward(order: Order, seq: number): Generator<[number, string]> {
    if (order === 'asc') yield* this.walk(seq - 1, -1)
    else yield* this.walk(seq + 1, 1)
  }

  private anyBefore(order: Order, seq: number, match: (id: string) => boolean): boolean {
    for (const [, id] of this.backward(order, seq)) if (match(id)) return true
    return false
  }

  private anyOnward(order: Order, seq: number, match: (id: string) => boolean): boolean {
    for (const [, id] of this.onward(order, seq)) if (match(id)) return true
    return false
  }

  page(order: Order, position: Position, limit: number, match: (id: string) => boolean = () => true): Page {
    const found: [number, string][] = []
    if (position.before !== undefined) {
      for (const entry of this.backward(order, position.before)) {
        if (!match(entry[1])) continue
        found.push(entry)
        if (found.length > limit) break
      }
      const hasPrev = found.length > limit
      const items = found.slice(0, limit).reverse()
      const first = items[0]
      const last = items[items.length - 1]
      return {
        ids: items.map(([, id]) => id),
        prev: hasPrev && first ? first[0] : null,
        next: last && this.anyOnward(order, last[0], match) ? last[0] : null,
      }
    }
    for (const entry of this.onward(order, position.after)) {
      if (!match(entry[1])) continue
      found.push(entry)
      if (found.length > limit) break
    }
    const items = found.slice(0, limit)
    const first = items[0]
    const last = items[items.length - 1]
    return {
      ids: items.map(([, id]) => id),
      next: found.length > limit && last ? last[0] : null,
      prev: position.after !== undefined && first && this.anyBefore(order, first[0], match) ? first[0] : null,
    }
  }

  *ids(): Generator<string> {
    for (const [, id] of this.walk(0, 1)) yield id
  }
}
