// The same send-only app written with resend (a devDependency, pinned), for comparison.
import { Resend } from 'resend'

const resend = new Resend('re_123')
export const send = (to) => resend.emails.send({ from: 'shop@example.com', to, subject: 'Receipt', html: '<p>Thanks</p>' })
