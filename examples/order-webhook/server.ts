/**
 * The order webhook against SegmentFlow (or any server SEGMENTFLOW_BASE_URL names):
 *
 *   SEGMENTFLOW_API_KEY=sk_live_... PORT=3000 npm start
 *
 * Against the sandbox without an account: `npm run local` (local.ts).
 */
import { SegmentFlow } from '@segmentflow/segmentflow-typescript'

import { createWebhookServer, serve } from './app.js'

// One client for the process: it reads SEGMENTFLOW_API_KEY (and SEGMENTFLOW_BASE_URL) from the
// environment and fails here, at start-up, when the key is missing.
const client = new SegmentFlow()

const url = await serve(createWebhookServer(client), Number(process.env.PORT ?? 3000))
console.log(`order webhook listening on ${url}`)
