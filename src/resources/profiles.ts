import { bulkDeleteProfiles } from '../../generated/clients/profiles/bulkDeleteProfiles.ts'
import { deleteProfile } from '../../generated/clients/profiles/deleteProfile.ts'
import { listProfiles } from '../../generated/clients/profiles/listProfiles.ts'
import { listProfileSubscriptions } from '../../generated/clients/profiles/listProfileSubscriptions.ts'
import { retrieveProfile } from '../../generated/clients/profiles/retrieveProfile.ts'
import type { BulkDeleteProfilesRequest } from '../../generated/types/BulkDeleteProfilesRequest.ts'
import type { BulkDeleteProfilesResponse } from '../../generated/types/BulkDeleteProfilesResponse.ts'
import type { ListProfilesRequest } from '../../generated/types/ListProfilesRequest.ts'
import type { ListProfilesResponse } from '../../generated/types/ListProfilesResponse.ts'
import type { Profile } from '../../generated/types/Profile.ts'
import type { ProfileSubscriptions } from '../../generated/types/ProfileSubscriptions.ts'
import type { APIPromise } from '../core/api-promise.ts'
import type { Page, PagePromise } from '../core/pagination.ts'
import type { RequestOptions } from '../core/requester.ts'
import { APIResource } from './resource.ts'

/** The filter (`search`, `segmentFilter`, ...) plus `limit` and, for a given page, `cursor`. */
export type ProfileListParams = ListProfilesRequest
/** Exactly one of `profileIds` or `filter`. */
export type ProfileBulkDeleteParams = BulkDeleteProfilesRequest
export type ProfileBulkDeleteResponse = BulkDeleteProfilesResponse
/** A page of profiles: `data`, `nextCursor`, and the response's `profiles`, `profileCount`, `previousCursor`. */
export type ProfilesPage = Page<Profile, ListProfilesResponse>
export type ProfilesPagePromise = PagePromise<Profile, ListProfilesResponse>

export class Profiles extends APIResource {
  /**
   * Profiles matching the filter, a page at a time: `await` it for the first page, or
   * `for await (const profile of client.profiles.list(filter))` for all of them.
   */
  list(params?: ProfileListParams, options?: RequestOptions): ProfilesPagePromise {
    return this._requester.page(
      'listProfiles',
      listProfiles,
      { body: params, optionalBody: true },
      options,
      {
        items: (body) => body.profiles,
        nextInput: (cursor) => ({ body: { ...params, cursor }, optionalBody: true }),
      },
    )
  }

  retrieve(profileId: string, options?: RequestOptions): APIPromise<Profile> {
    return this._requester.read('retrieveProfile', retrieveProfile, { path: { profileId } }, options)
  }

  /** The profile's status in every subscription group. */
  listSubscriptions(profileId: string, options?: RequestOptions): APIPromise<ProfileSubscriptions> {
    return this._requester.read('listProfileSubscriptions', listProfileSubscriptions, { path: { profileId } }, options)
  }

  delete(profileId: string, options?: RequestOptions): APIPromise<void> {
    return this._requester.write('deleteProfile', deleteProfile, { path: { profileId } }, options)
  }

  bulkDelete(body: ProfileBulkDeleteParams, options?: RequestOptions): APIPromise<ProfileBulkDeleteResponse> {
    return this._requester.write('bulkDeleteProfiles', bulkDeleteProfiles, { body }, options)
  }
}
