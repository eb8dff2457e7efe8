import { describe, expectTypeOf, it } from 'vitest'

import type { APIPromise, SegmentFlow, Asset, AssetResponse, AssetsPage, AssetsPagePromise, UploadUrlResponse } from '../../src/index.ts'
import { checkOperation, ROWS } from '../helpers/operations.ts'

describe('client.assets', () => {
  it.each(ROWS.assets.map((row) => [row.operation, row] as const))('%s sends the right request and returns the body', async (_name, row) => {
    await checkOperation(row)
  })

  it('returns the types of the spec', () => {
    expectTypeOf<SegmentFlow['assets']['list']>().returns.toEqualTypeOf<AssetsPagePromise>()
    expectTypeOf<AssetsPage['data']>().toEqualTypeOf<Asset[]>()
    expectTypeOf<SegmentFlow['assets']['createUploadUrl']>().returns.toEqualTypeOf<APIPromise<UploadUrlResponse>>()
    expectTypeOf<SegmentFlow['assets']['finalize']>().returns.toEqualTypeOf<APIPromise<AssetResponse>>()
  })
})
