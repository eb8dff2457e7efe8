/**
 * `--sandbox`: the SDK's in-memory SegmentFlow behind the same gateway as production, so that an
 * operator can try every tool (sends included) with nothing leaving the process.
 */
import type { Logger } from '@segmentflow/segmentflow-typescript'
import { createSandbox } from '@segmentflow/segmentflow-typescript/testing'
import { SdkGateway } from './sdk-gateway.ts'

export function sandboxGateway(logger: Logger): SdkGateway {
  const sandbox = createSandbox()
  return new SdkGateway({ apiKey: sandbox.apiKey, baseURL: sandbox.baseURL, fetch: sandbox.fetch, logger })
}
