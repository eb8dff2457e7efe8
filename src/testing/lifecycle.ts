/**
 * Things that change with time: an email send walks `Queued -> Processing -> Sent | Failed | Skipped`,
 * a brand kit extraction completes one step after another. The outcome is decided when the request is
 * accepted; `settle()` moves records along to where the clock says they are. The sandbox settles
 * before every request, whenever a test reads `state`, and when the clock moves.
 */
import type { BrandKitColors, ExtractionProgress } from '../../generated/types/index.ts'
import { iso } from './clock.ts'
import { uuid } from './random.ts'
import type { BrandKitRecord, EmailSendRecord, ExtractionRun, Store } from './store.ts'

export interface Timings {
  /** How long a send stays `Queued` (default 500 ms). */
  emailQueuedMs: number
  /** How long it stays `Processing` before its terminal status (default 1000 ms). */
  emailProcessingMs: number
  /** How long each brand kit extraction step takes (default 500 ms). */
  extractionStepMs: number
}

export const DEFAULT_TIMINGS: Timings = { emailQueuedMs: 500, emailProcessingMs: 1000, extractionStepMs: 500 }

export const EXTRACTION_STEPS = ['fetching_website', 'extracting_logos', 'extracting_colors', 'extracting_fonts'] as const

export function settle(store: Store, now: number, timings: Timings): void {
  for (const id of store.pendingSends) {
    const record = store.state.emailSends.get(id)
    if (!record) {
      store.pendingSends.delete(id)
      continue
    }
    settleSend(record, now)
    if (record.status === record.outcome) store.pendingSends.delete(id)
  }
  for (const id of store.runningExtractions) {
    const kit = store.state.brandKits.get(id)
    const run = kit?.extraction
    if (!kit || !run) {
      store.runningExtractions.delete(id)
      continue
    }
    const progress = extractionProgress(run, now, timings)
    if (progress.isComplete && !run.applied) applyExtraction(kit, run, timings)
    if (progress.isComplete || progress.isFailed) store.runningExtractions.delete(id)
  }
}

function settleSend(record: EmailSendRecord, now: number): void {
  if (now >= record.doneAt) {
    if (record.status !== record.outcome) {
      record.status = record.outcome
      record.updatedAt = iso(record.doneAt)
      if (record.outcome === 'Sent') record.messageId = uuid()
      else record.failureMessage = record.outcomeMessage
    }
  } else if (now >= record.processingAt) {
    if (record.status !== 'Processing') {
      record.status = 'Processing'
      record.updatedAt = iso(record.processingAt)
    }
  }
}

export function extractionProgress(run: ExtractionRun | null, now: number, timings: Timings): ExtractionProgress {
  const totalSteps = EXTRACTION_STEPS.length
  if (!run) {
    return { currentStep: 'not_started', completedSteps: 0, totalSteps, isComplete: false, isFailed: false, error: null }
  }
  const stepsDone = Math.min(totalSteps, Math.floor((now - run.startedAt) / timings.extractionStepMs))
  if (run.failAtStep !== null && stepsDone > run.failAtStep) {
    return {
      currentStep: EXTRACTION_STEPS[run.failAtStep] ?? 'failed',
      completedSteps: run.failAtStep,
      totalSteps,
      isComplete: false,
      isFailed: true,
      error: run.error,
    }
  }
  return {
    currentStep: EXTRACTION_STEPS[stepsDone] ?? 'complete',
    completedSteps: stepsDone,
    totalSteps,
    isComplete: stepsDone === totalSteps,
    isFailed: false,
    error: null,
  }
}

export function isExtractionRunning(run: ExtractionRun | null, now: number, timings: Timings): boolean {
  if (!run) return false
  const progress = extractionProgress(run, now, timings)
  return !progress.isComplete && !progress.isFailed
}

/**
 * Hosts under the reserved `.invalid` TLD (RFC 2606) cannot be fetched, so extracting from one fails
 * at its first step: the way to make an extraction fail on purpose.
 */
export function plannedFailure(websiteUrl: string): { failAtStep: number; error: string } | null {
  const host = new URL(websiteUrl).hostname
  if (host === 'invalid' || host.endsWith('.invalid')) {
    return { failAtStep: 0, error: `Could not reach ${websiteUrl}: the host does not resolve.` }
  }
  return null
}

/** Deterministic "extracted" colors and fonts, so two runs on one site agree. */
function applyExtraction(kit: BrandKitRecord, run: ExtractionRun, timings: Timings): void {
  const host = new URL(run.websiteUrl).hostname
  let hash = 2166136261
  for (const char of host) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0
  const color = (shift: number) => `#${(((hash >>> shift) | (hash << (32 - shift))) & 0xffffff).toString(16).padStart(6, '0')}`
  const colors: BrandKitColors = {
    primary: color(0),
    secondary: color(8),
    accent: color(16),
    background: '#ffffff',
    text: '#1a1a1a',
  }
  kit.colors = colors
  kit.fonts = { heading: 'Inter', body: 'Inter' }
  kit.updatedAt = iso(run.startedAt + EXTRACTION_STEPS.length * timings.extractionStepMs)
  run.applied = true
}
