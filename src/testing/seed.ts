/**
 * The data a fresh sandbox starts with, so that the product quickstart works unchanged: a
 * Transactional template keyed `receipt-default`, a verified sender for `receipts@example.com`,
 * profiles (alex@example.com among them), a default brand kit, subscription groups and a Journey on
 * `order.created`. Ids are fixed (the spec's example ids where it has them) so tests and docs can name
 * them; they are exported as `SEED`.
 */
import type { Scope } from '../../generated/types/index.ts'
import { ALL_SCOPES, READ_SCOPES, registerKey } from './auth.ts'
import { iso } from './clock.ts'
import { createBrandKit } from './routes/brand-kits.ts'
import { createProfile } from './routes/profiles.ts'
import { createTemplate } from './routes/templates.ts'
import type { Store } from './store.ts'

const DAY = 24 * 60 * 60 * 1000

export const SEED = {
  organizationId: 'org_sandbox',
  /** Full-scope and read-only keys of the seeded organization. */
  apiKey: 'sk_test_sandbox_full_access',
  readOnlyApiKey: 'sk_test_sandbox_read_only',
  templates: {
    receipt: { id: '3f9a1c2e-7b4d-4e8f-9a0b-1c2d3e4f5a6b', key: 'receipt-default' },
    passwordReset: { id: '5d2c8e41-6a3b-4f7e-9c1d-2b4a6e8f0c13', key: 'password-reset' },
    /** A Newsletter template: sending it is 422, only Transactional templates go through the Emails API. */
    newsletter: { id: '8a7b6c5d-4e3f-4a2b-8c1d-0e9f8a7b6c5d', key: 'monthly-newsletter' },
  },
  senders: {
    receipts: { id: '8d7c6b5a-4f3e-4d2c-9b1a-0f9e8d7c6b5a', email: 'receipts@example.com' },
    /** Not verified: sending from it is 422. */
    marketing: { id: '2c4e6a8b-1d3f-4a5c-8e7b-9d1f3a5c7e9b', email: 'marketing@example.com' },
  },
  brandKit: { id: '6c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f' },
  subscriptionGroups: {
    /** OptOut: everyone is subscribed unless they unsubscribed (unsubscribed@example.com did). */
    productUpdates: { id: '7d3f1a52-9c1e-4b7a-8f0e-2a6c5d4b3e21', name: 'Product updates' },
    /** OptIn: only jordan@example.com subscribed; a send to alex with this group is `Skipped`. */
    newsletter: { id: '0b8e6f4d-2c3a-4e59-a1b7-9d8c7e6f5a43', name: 'Weekly newsletter' },
  },
  journeys: {
    postPurchase: { id: '9f8e7d6c-5b4a-4c3d-8e2f-1a0b9c8d7e6f', event: 'order.created' },
  },
  profiles: {
    alex: { id: '0f8e2c4a-7b1d-4e6f-9a3c-5d2b8e1f4a70', email: 'alex@example.com', externalId: 'shopify:customer_123' },
    sam: { id: '1c9d3b5e-8a2f-4c7d-b6e1-2f4a7c9e0b31', email: 'sam@example.com' },
    jordan: { id: '2d0e4c6f-9b3a-4d8e-87f2-3a5b8d0f1c42', email: 'jordan@example.com' },
    /** Hard-bounced: a send to it ends `Failed`. */
    bounced: { id: '3e1f5d7a-0c4b-4e9f-98a3-4b6c9e1a2d53', email: 'bounced@example.com' },
    /** Unsubscribed from Product updates: a send gated on that group ends `Skipped`. */
    unsubscribed: { id: '4f2a6e8b-1d5c-4fa0-a9b4-5c7d0f2b3e64', email: 'unsubscribed@example.com' },
  },
} as const

export function seedKeys(store: Store, organizationId: string, fullKey: string, readOnlyKey: string): void {
  registerKey(store, { key: fullKey, scopes: [...ALL_SCOPES] as Scope[] }, organizationId)
  registerKey(store, { key: readOnlyKey, scopes: READ_SCOPES }, organizationId)
}

export function seedOrganization(store: Store, organizationId: string, now: number): void {
  store.ensureOrganization(organizationId, 'Acme (sandbox)')
  const past = now - 14 * DAY
  const at = iso(past)

  const { receipts, marketing } = SEED.senders
  store.state.senders.set(receipts.id, { id: receipts.id, organizationId, email: receipts.email, name: 'Acme Receipts', verified: true })
  store.state.senders.set(marketing.id, { id: marketing.id, organizationId, email: marketing.email, name: 'Acme Marketing', verified: false })

  const { productUpdates, newsletter } = SEED.subscriptionGroups
  store.state.subscriptionGroups.set(productUpdates.id, { id: productUpdates.id, organizationId, name: productUpdates.name, policy: 'OptOut' })
  store.state.subscriptionGroups.set(newsletter.id, { id: newsletter.id, organizationId, name: newsletter.name, policy: 'OptIn' })

  const { postPurchase } = SEED.journeys
  store.state.journeys.set(postPurchase.id, {
    id: postPurchase.id,
    organizationId,
    name: 'Post-purchase follow-up',
    event: postPurchase.event,
    enrolled: new Set(),
  })

  createBrandKit(
    store,
    organizationId,
    {
      id: SEED.brandKit.id,
      name: 'Acme',
      websiteUrl: 'https://www.example.com',
      colors: { primary: '#0b5fff', secondary: '#00c2a8', accent: '#ffb020', background: '#ffffff', text: '#1a1a1a' },
      fonts: { heading: 'Inter', body: 'Inter' },
      senderProfileId: receipts.id,
      senderDefaults: { fromName: 'Acme', fromEmail: receipts.email, replyTo: 'support@example.com' },
    },
    past,
  )

  const body = (text: string) => ({
    root: 'el_root',
    elements: { el_root: { type: 'Container', children: ['el_text'] }, el_text: { type: 'Text', text } },
  })
  const { receipt, passwordReset, newsletter: newsletterTemplate } = SEED.templates
  createTemplate(
    store,
    organizationId,
    {
      id: receipt.id,
      key: receipt.key,
      name: 'Order receipt',
      purpose: 'Transactional',
      senderProfileId: receipts.id,
      brandKitId: SEED.brandKit.id,
      source: 'editor',
      definition: {
        from: 'Acme Receipts <receipts@example.com>',
        subject: 'Receipt for order {{ data.orderId }}',
        preheader: 'Thanks for your order',
        replyTo: 'Acme Support <support@example.com>',
        body: body('Hi {{ data.firstName }}, your total is {{ data.orderTotal }}.'),
      },
    },
    past,
  )
  createTemplate(
    store,
    organizationId,
    {
      id: passwordReset.id,
      key: passwordReset.key,
      name: 'Password reset',
      purpose: 'Transactional',
      senderProfileId: receipts.id,
      source: 'editor',
      definition: {
        from: 'Acme <receipts@example.com>',
        subject: 'Reset your password',
        body: body('Reset it here: {{ data.resetUrl }}'),
        sensitiveTransactionalVariablePaths: ['/data/resetUrl'],
      },
    },
    past,
  )
  createTemplate(
    store,
    organizationId,
    {
      id: newsletterTemplate.id,
      key: newsletterTemplate.key,
      name: 'Monthly newsletter',
      purpose: 'Newsletter',
      source: 'editor',
      definition: { from: 'Acme <receipts@example.com>', subject: 'What is new at Acme', body: body('News.') },
    },
    past,
  )

  const { alex, sam, jordan, bounced, unsubscribed } = SEED.profiles
  createProfile(
    store,
    organizationId,
    {
      id: alex.id,
      email: alex.email,
      externalId: alex.externalId,
      sources: ['shopify', 'api'],
      properties: { firstName: 'Alex' },
      segments: [{ id: 'seg_vip', name: 'VIP customers', type: 'Manual' }],
    },
    past,
  )
  createProfile(store, organizationId, { id: sam.id, email: sam.email, sources: ['form_submission'], properties: { firstName: 'Sam' } }, past)
  createProfile(store, organizationId, { id: jordan.id, email: jordan.email, sources: ['csv_import'], properties: { firstName: 'Jordan' } }, past)
  createProfile(store, organizationId, { id: bounced.id, email: bounced.email, sources: ['csv_import'], suppression: 'hard_bounce' }, past)
  createProfile(store, organizationId, { id: unsubscribed.id, email: unsubscribed.email, sources: ['form_submission'] }, past)
  store.setSubscription(jordan.id, newsletter.id, { status: 'Subscribed', updatedAt: at })
  store.setSubscription(unsubscribed.id, productUpdates.id, { status: 'Unsubscribed', updatedAt: at })
}

/**
 * Extra profiles for volume tests (`seedProfiles: 100_000`): `person-000001@example.com`, ... with
 * uuids numbered the same way (`5eed0000-0000-4000-8000-000000000001`, ...), so that a test can name
 * one. Kept cheap: one record and three index entries each.
 */
export function seedExtraProfiles(store: Store, organizationId: string, count: number, now: number): void {
  const width = Math.max(6, String(count).length)
  const past = now - 7 * DAY
  for (let i = 1; i <= count; i++) {
    const n = String(i).padStart(width, '0')
    createProfile(store, organizationId, { id: seededProfileId(i), email: `person-${n}@example.com`, sources: ['csv_import'] }, past)
  }
}

/** The id of extra profile number `n` (from 1): a valid uuid that reads as its number. */
export function seededProfileId(n: number): string {
  return `5eed0000-0000-4000-8000-${String(n).padStart(12, '0')}`
}
