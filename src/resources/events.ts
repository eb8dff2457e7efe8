import { trackEvent } from '../../generated/clients/events/trackEvent.ts'
import type { TrackEventRequest } from '../../generated/types/TrackEventRequest.ts'
import type { TrackEventResponse } from '../../generated/types/TrackEventResponse.ts'
import type { APIPromise } from '../core/api-promise.ts'
import type { RequestOptions } from '../core/requester.ts'
import { APIResource } from './resource.ts'

export type EventTrackParams = TrackEventRequest
export type EventTrackResponse = TrackEventResponse

export class Events extends APIResource {
  /** Records an event for a profile (created if new) and runs the Journeys it triggers (202). */
  track(body: EventTrackParams, options?: RequestOptions): APIPromise<EventTrackResponse> {
    return this._requester.write('trackEvent', trackEvent, { body }, options)
  }
}
