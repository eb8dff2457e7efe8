/**
 * Checked by `tsc --noEmit` (part of `npm test`), never run: each line below must stay a type
 * error, or its `@ts-expect-error` fails the build. An operation id and its generated function are
 * tied by the types, so a resource method cannot send one operation's request to another's route.
 */
import { retrieveTemplate } from '../../generated/clients/templates/retrieveTemplate.ts'
import { sendEmail } from '../../generated/clients/emails/sendEmail.ts'
import type { Requester } from '../../src/core/requester.ts'

export function mispairings(requester: Requester): void {
  // @ts-expect-error retrieveTemplate is not the function of sendEmail
  void requester.write('sendEmail', retrieveTemplate, { body: {} }, undefined)
  // @ts-expect-error sendEmail is not the function of retrieveTemplate
  void requester.read('retrieveTemplate', sendEmail, { path: { id: 'a' } }, undefined)
  // @ts-expect-error an operation id that does not exist
  void requester.read('sendEmails', sendEmail, { body: {} }, undefined)
}
