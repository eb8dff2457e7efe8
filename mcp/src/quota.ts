/**
 * `--max-sends-per-hour`: a rolling hour of emails and events, counted across the sending tools (a
 * batch counts its items). A model in a loop is stopped by the count, not by the operator's bill.
 * Replays cost nothing, since nothing was sent again; refusals and failures the API answered with a
 * 4xx cost nothing either.
 */
export const HOUR_MS = 3_600_000

export interface QuotaRefusal {
  readonly errorCode: 'send_quota_exceeded'
  readonly message: string
  readonly hint: string
}

export interface Reservation {
  /** Gives the units back: the call turned out to send nothing. */
  release(): void
}

export class SendQuota {
  readonly #limit: number
  readonly #clock: () => number
  /** Per tenant (one per API key): the times of the units still in the window. */
  readonly #windows = new Map<string, number[]>()

  constructor(limit: number, clock: () => number = Date.now) {
    this.#limit = limit
    this.#clock = clock
  }

  /** Checks `count` more units against the window; `commit` also takes them. */
  reserve(tenant: string, count: number, commit: boolean): { ok: true; reservation: Reservation } | { ok: false; refusal: QuotaRefusal } {
    const now = this.#clock()
    const window = (this.#windows.get(tenant) ?? []).filter((time) => time > now - HOUR_MS)
    this.#windows.set(tenant, window)
    const left = this.#limit - window.length
    if (count > left) {
      const minutes = window.length > 0 ? Math.max(1, Math.ceil((window[0]! + HOUR_MS - now) / 60_000)) : 60
      return {
        ok: false,
        refusal: {
          errorCode: 'send_quota_exceeded',
          message: `This server sends at most ${this.#limit} emails and events per hour; ${window.length} went out in the last hour, so ${left} more may go now${count > 1 ? ` (this call has ${count})` : ''}.`,
          hint:
            left > 0
              ? `Send at most ${left} now, the rest later; the next slot frees up in about ${minutes} minutes. The operator sets the cap with --max-sends-per-hour.`
              : `Try again in about ${minutes} minutes; do not retry sooner. The operator sets the cap with --max-sends-per-hour.`,
        },
      }
    }
    if (!commit) return { ok: true, reservation: { release() {} } }
    const stamps = Array.from({ length: count }, () => now)
    window.push(...stamps)
    let released = false
    return {
      ok: true,
      reservation: {
        release: () => {
          if (released) return
          released = true
          const current = this.#windows.get(tenant) ?? []
          for (let i = 0; i < count; i += 1) {
            const index = current.lastIndexOf(now)
            if (index !== -1) current.splice(index, 1)
          }
        },
      },
    }
  }
}
