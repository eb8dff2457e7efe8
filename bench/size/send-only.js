// An app that only sends emails: what it ships of the SDK once a bundler has tree-shaken it.
import { SegmentFlow } from '@segmentflow/segmentflow-typescript'

const client = new SegmentFlow()
export const send = (to) => client.emails.send({ templateKey: 'receipt-default', to: { email: to } })
