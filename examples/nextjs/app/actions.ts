'use server'
/**
 * The server action behind the signup form. It runs on the server only, so the API key (from
 * SEGMENTFLOW_API_KEY) never reaches the browser bundle, and the SDK's default of refusing to run in
 * a browser is never in play.
 */
import { APIError, SegmentFlow, SegmentFlowError, ValidationError } from '@segmentflow/segmentflow-typescript'

import type { SignupState } from './signup-state'

export async function trackSignup(_previous: SignupState, form: FormData): Promise<SignupState> {
  const email = String(form.get('email') ?? '').trim().toLowerCase()
  if (email === '') return { status: 'error', message: 'Enter your email address.' }

  try {
    // A client per call: server actions may run in any worker, and the constructor is cheap.
    const client = new SegmentFlow()
    const { eventId } = await client.events.track(
      { event: 'user.signed_up', profile: { email }, data: { source: 'website' } },
      // Pressing the button twice, or a retried action, records one signup.
      { idempotencyKey: `user.signed_up:form:${email}` },
    )
    return { status: 'tracked', eventId }
  } catch (error) {
    if (error instanceof ValidationError) return { status: 'error', message: 'That does not look like an email address.' }
    if (error instanceof APIError) {
      console.error(`SegmentFlow answered ${error.status} ${error.errorCode ?? ''} (request ${error.requestId ?? 'unknown'})`)
      return { status: 'error', message: 'We could not sign you up just now. Please try again.' }
    }
    // A missing SEGMENTFLOW_API_KEY lands here: a configuration error, not the visitor's.
    if (error instanceof SegmentFlowError) console.error(error.message)
    return { status: 'error', message: 'Something went wrong on our side.' }
  }
}
