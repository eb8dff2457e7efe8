import { describe, expect, it } from 'vitest'
import { SeqIndex } from '../../src/testing/seq-index.ts'

function indexOf(count: number): SeqIndex {
  const index = new SeqIndex()
  for (let i = 0; i < count; i++) index.append(`id${i}`)
  return index
}

describe('SeqIndex paging', () => {
  it('pages ascending and descending with next and prev positions', () => {
    const index = indexOf(5)
    const first = index.page('asc', {}, 2)
    expect(first).toEqual({ ids: ['id0', 'id1'], next: 1, prev: null })
    const second = index.page('asc', { after: 1 }, 2)
    expect(second).toEqual({ ids: ['id2', 'id3'], next: 3, prev: 2 })
    expect(index.page('asc', { before: 2 }, 2)).toEqual({ ids: ['id0', 'id1'], next: 1, prev: null })
    expect(index.page('desc', {}, 2)).toEqual({ ids: ['id4', 'id3'], next: 3, prev: null })
    expect(index.page('desc', { after: 3 }, 2)).toEqual({ ids: ['id2', 'id1'], next: 1, prev: 2 })
    expect(index.page('desc', { after: 1 }, 2)).toEqual({ ids: ['id0'], next: null, prev: 0 })
  })

  it('skips removed ids and filters with a predicate', () => {
    const index = indexOf(6)
    index.remove('id1')
    index.remove('id4')
    expect(index.size).toBe(4)
    expect(index.page('asc', {}, 10).ids).toEqual(['id0', 'id2', 'id3', 'id5'])
    expect(index.page('asc', {}, 1, (id) => id > 'id2')).toEqual({ ids: ['id3'], next: 3, prev: null })
    expect([...index.ids()]).toEqual(['id0', 'id2', 'id3', 'id5'])
  })

  it('has no next page when the last item fills it exactly', () => {
    expect(indexOf(4).page('asc', { after: 1 }, 2)).toEqual({ ids: ['id2', 'id3'], next: null, prev: 2 })
  })
})
