/** The route table: one entry per operationId of the spec, each with its scopes and handler. */
import type { operations } from '../../../generated/zod/operations.ts'
import type { AnyRoute } from '../route.ts'
import { assetRoutes } from './assets.ts'
import { brandKitRoutes } from './brand-kits.ts'
import { emailRoutes } from './emails.ts'
import { eventRoutes } from './events.ts'
import { profileRoutes } from './profiles.ts'
import { templateRoutes } from './templates.ts'

export type OperationId = keyof typeof operations

/** Typed by the spec's operation ids: an operation added to openapi.yaml fails to compile until it has a route. */
export const routeTable: Record<OperationId, AnyRoute> = {
  ...profileRoutes,
  ...templateRoutes,
  ...assetRoutes,
  ...brandKitRoutes,
  ...emailRoutes,
  ...eventRoutes,
}
