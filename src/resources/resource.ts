import type { Requester } from '../core/requester.ts'

/** A namespace of the client (`client.emails`, ...): thin methods over the generated functions. */
export abstract class APIResource {
  protected readonly _requester: Requester

  constructor(requester: Requester) {
    this._requester = requester
  }
}
