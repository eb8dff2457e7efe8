import { describe, expectTypeOf, it } from 'vitest'

import type { APIPromise, SegmentFlow, Profile, ProfileSubscriptions, ProfileBulkDeleteResponse, ProfilesPagePromise } from '../../src/index.ts'
import { checkOperation, ROWS } from '../helpers/operations.ts'

describe('client.profiles', () => {
  it.each(ROWS.profiles.map((row) => [row.operation, row] as const))('%s sends the right request and returns the body', async (_name, row) => {
    await checkOperation(row)
  })

  it('returns the types of the spec', () => {
    expectTypeOf<SegmentFlow['profiles']['list']>().returns.toEqualTypeOf<ProfilesPagePromise>()
    expectTypeOf<SegmentFlow['profiles']['retrieve']>().returns.toEqualTypeOf<APIPromise<Profile>>()
    expectTypeOf<SegmentFlow['profiles']['listSubscriptions']>().returns.toEqualTypeOf<APIPromise<ProfileSubscriptions>>()
    expectTypeOf<SegmentFlow['profiles']['delete']>().returns.toEqualTypeOf<APIPromise<void>>()
    expectTypeOf<SegmentFlow['profiles']['bulkDelete']>().returns.toEqualTypeOf<APIPromise<ProfileBulkDeleteResponse>>()
  })
})
