import { describe, expectTypeOf, it } from 'vitest'

import type { APIPromise, SegmentFlow, Template, TemplateSummary, TemplateUpdateParams } from '../../src/index.ts'
import { checkOperation, ROWS } from '../helpers/operations.ts'

describe('client.templates', () => {
  it.each(ROWS.templates.map((row) => [row.operation, row] as const))('%s sends the right request and returns the body', async (_name, row) => {
    await checkOperation(row)
  })

  it('returns the types of the spec', () => {
    expectTypeOf<SegmentFlow['templates']['list']>().returns.toEqualTypeOf<APIPromise<TemplateSummary[]>>()
    expectTypeOf<SegmentFlow['templates']['retrieve']>().returns.toEqualTypeOf<APIPromise<Template>>()
    expectTypeOf<SegmentFlow['templates']['update']>().parameter(1).toEqualTypeOf<TemplateUpdateParams>()
    expectTypeOf<SegmentFlow['templates']['duplicate']>().returns.toEqualTypeOf<APIPromise<Template>>()
    expectTypeOf<SegmentFlow['templates']['delete']>().returns.toEqualTypeOf<APIPromise<void>>()
  })
})
