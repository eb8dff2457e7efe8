import { batchSendEmails } from '../../generated/clients/emailsController/batchSendEmails.ts'
import { retrieveEmail } from '../../generated/clients/emailsController/retrieveEmail.ts'
import { sendEmail } from '../../generated/clients/emailsController/sendEmail.ts'
import type { BatchSendEmailsRequest } from '../../generated/types/BatchSendEmailsRequest.ts'
import type { BatchSendEmailsResponse } from '../../generated/types/BatchSendEmailsResponse.ts'
import type { EmailSend } from '../../generated/types/EmailSend.ts'
import type { SendEmailRequest } from '../../generated/types/SendEmailRequest.ts'
import type { APIPromise } from '../core/api-promise.ts'
import type { RequestOptions } from '../core/requester.ts'
import { APIResource } from './resource.ts'

/** One email: exactly one of `templateId` or `templateKey`, and a recipient. */
export type EmailSendParams = SendEmailRequest
/** Up to 100 emails, each with its own `idempotencyKey`, plus optional `defaults`. */
export type EmailBatchSendParams = BatchSendEmailsRequest
export type EmailBatchSendResponse = BatchSendEmailsResponse

export class Emails extends APIResource {
  /** Queues one email (202). Sent with an Idempotency-Key: a retry never sends twice. */
  send(body: EmailSendParams, options?: RequestOptions): APIPromise<EmailSend> {
    return this._requester.write('sendEmail', { body }, options, (config, input) =>
      sendEmail({ data: input.body, headers: { idempotencyKey: input.idempotencyKey } }, config),
    )
  }

  /** Queues up to 100 emails in one request; each item's outcome is in `items`, in order. */
  batchSend(body: EmailBatchSendParams, options?: RequestOptions): APIPromise<EmailBatchSendResponse> {
    return this._requester.write('batchSendEmails', { body }, options, (config, input) =>
      batchSendEmails({ data: input.body, headers: { idempotencyKey: input.idempotencyKey } }, config),
    )
  }

  /** The email and its delivery status (`Sent`, `Failed` and `Skipped` are final). */
  retrieve(id: string, options?: RequestOptions): APIPromise<EmailSend> {
    return this._requester.read('retrieveEmail', { path: { id } }, options, (config, input) => retrieveEmail({ id: input.path.id }, config))
  }
}
