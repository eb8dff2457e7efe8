import { describe, expectTypeOf, it } from 'vitest'

import type { APIPromise, SegmentFlow, BrandKit, ExtractionProgress } from '../../src/index.ts'
import { checkOperation, ROWS } from '../helpers/operations.ts'

describe('client.brandKits', () => {
  it.each(ROWS.brandKits.map((row) => [row.operation, row] as const))('%s sends the right request and returns the body', async (_name, row) => {
    await checkOperation(row)
  })

  it('returns the types of the spec', () => {
    expectTypeOf<SegmentFlow['brandKits']['list']>().returns.toEqualTypeOf<APIPromise<BrandKit[]>>()
    expectTypeOf<SegmentFlow['brandKits']['extract']>().returns.toEqualTypeOf<APIPromise<ExtractionProgress>>()
    expectTypeOf<SegmentFlow['brandKits']['extractionProgress']>().returns.toEqualTypeOf<APIPromise<ExtractionProgress>>()
    expectTypeOf<SegmentFlow['brandKits']['setDefault']>().returns.toEqualTypeOf<APIPromise<BrandKit>>()
  })
})
