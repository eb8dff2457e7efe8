import { batchSendEmails } from '../../generated/clients/emails/batchSendEmails.ts'
import { retrieveEmail } from '../../generated/clients/emails/retrieveEmail.ts'
import { sendEmail } from '../../generated/clients/emails/sendEmail.ts'
import type { BatchSendEmailsRequest } from '../../generated/types/BatchSendEmailsRequest.ts'
import type { BatchSendEmailsResponse } from '../../generated/types/BatchSendEmailsResponse.ts'
import type { EmailSend } from '../../generated/types/EmailSend.ts'
import { emailSendStatusEnum, type EmailSendStatus } from '../../generated/types/EmailSendStatus.ts'
import type { SendEmailRequest } from '../../generated/types/SendEmailRequest.ts'
import type { APIPromise } from '../core/api-promise.ts'
import { ValidationError } from '../core/errors.ts'
import { poll, readWaitOptions, type WaitOptions } from '../core/poll.ts'
import type { RequestOptions } from '../core/requester.ts'
import { sendBatch, type EmailBatchSendItem, type EmailBatchSendOptions, type EmailBatchSendParams } from './email-batch.ts'
import { APIResource } from './resource.ts'

/** One email: exactly one of `templateId` or `templateKey`, and a recipient. */
export type EmailSendParams = SendEmailRequest
export type { EmailBatchSendItem, EmailBatchSendOptions, EmailBatchSendParams }
export type EmailBatchSendResponse = BatchSendEmailsResponse

export type EmailWaitOptions = WaitOptions & {
  /** The statuses to wait for. Default: the terminal ones, `Sent`, `Failed` and `Skipped`. */
  until?: EmailSendStatus | readonly EmailSendStatus[] | undefined
}

/** An email in one of these statuses will not change any more. */
export const TERMINAL_EMAIL_STATUSES: readonly EmailSendStatus[] = ['Sent', 'Failed', 'Skipped']
const STATUSES: readonly string[] = Object.values(emailSendStatusEnum)
/** Long enough for a send to clear the queue in normal operation; pass `timeout` for more. */
const DEFAULT_WAIT_MS = 60_000

export class Emails extends APIResource {
  /** Queues one email (202). Sent with an Idempotency-Key: a retry never sends twice. */
  send(body: EmailSendParams, options?: RequestOptions): APIPromise<EmailSend> {
    return this._requester.write('sendEmail', sendEmail, { body }, options)
  }

  /**
   * Queues any number of emails; each item's outcome is in `items`, in order, with `index` into
   * `body.items`. Items without an `idempotencyKey` get a random one (see the result's items).
   *
   * Up to 100 items this is one request. More are sent in chunks of 100, `concurrency` at a time
   * (default 4), merged into one result. If a chunk still fails after its retries, the call throws
   * a `BatchSendError` with the outcome of the other chunks and the items without one; sending
   * `error.items` again is safe, their keys make the accepted ones a replay.
   */
  batchSend(body: EmailBatchSendParams, options?: EmailBatchSendOptions): APIPromise<EmailBatchSendResponse> {
    return sendBatch(this._requester, (chunk, chunkOptions, bodyChecked) => this.#post(chunk, chunkOptions, bodyChecked), body, options)
  }

  #post(body: BatchSendEmailsRequest, options: RequestOptions, bodyChecked = false): APIPromise<EmailBatchSendResponse> {
    return this._requester.write('batchSendEmails', batchSendEmails, { body, bodyChecked }, options)
  }

  /** The email and its delivery status (`Sent`, `Failed` and `Skipped` are final). */
  retrieve(id: string, options?: RequestOptions): APIPromise<EmailSend> {
    return this._requester.read('retrieveEmail', retrieveEmail, { path: { id } }, options)
  }

  /**
   * Polls the email until its status is one of `until` (default: a terminal one) and resolves with
   * it; it also resolves on a terminal status outside `until`, which cannot change any more (check
   * `status`). Polls after 0.5 s, then 1.5 times slower each time up to every 5 s. Throws a
   * `WaitTimeoutError` (with `lastSeen`) after `timeout` ms (default 60 s), an `APIUserAbortError`
   * as soon as `signal` aborts.
   */
  async waitForStatus(id: string, options: EmailWaitOptions = {}): Promise<EmailSend> {
    options = readWaitOptions<EmailWaitOptions>(options, ['until'], 'waitForStatus')
    const until: readonly string[] = options.until === undefined ? TERMINAL_EMAIL_STATUSES : typeof options.until === 'string' ? [options.until] : options.until
    const unknown = Array.isArray(until) ? until.filter((status) => !STATUSES.includes(status)) : [String(until)]
    if (unknown.length > 0 || until.length === 0) {
      throw new ValidationError([{ path: 'until', message: `must name statuses among ${STATUSES.join(', ')}` }], { operation: 'waitForStatus' })
    }
    const final: readonly string[] = [...until, ...TERMINAL_EMAIL_STATUSES]
    return poll<EmailSend>({
      ...options,
      defaultTimeout: DEFAULT_WAIT_MS,
      look: (signal) => this.retrieve(id, { signal }),
      done: (email) => final.includes(email.status),
      describe: `email ${String(id)} to reach ${until.join(', ')}`,
      summarize: (email) => email.status,
    })
  }
}
