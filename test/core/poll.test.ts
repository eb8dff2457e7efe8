import { describe, expect, it } from 'vitest'

import { SegmentFlowError, ValidationError } from '../../src/index.ts'
import { checkWaitOptions, DEFAULT_INTERVAL_MS, MAX_INTERVAL_MS, nextInterval, poll } from '../../src/core/poll.ts'

describe('poll', () => {
  it('grows the interval by half each time, up to 5 s', () => {
    const schedule = [DEFAULT_INTERVAL_MS]
    while (schedule.length < 9) schedule.push(nextInterval(schedule.at(-1) as number))
    expect(schedule).toEqual([500, 750, 1125, 1687.5, 2531.25, 3796.875, 5000, 5000, 5000])
    expect(MAX_INTERVAL_MS).toBe(5000)
  })

  it('keeps an interval chosen above the cap', () => {
    expect(nextInterval(30_000)).toBe(30_000)
  })

  it('resolves on the first state that is done, reporting each state seen', async () => {
    const states = [1, 2, 3]
    const seen: number[] = []
    const value = await poll({
      look: async () => states.shift() as number,
      done: (n) => n === 3,
      onLook: (n) => seen.push(n),
      interval: 1,
      defaultTimeout: 10_000,
      describe: 'three',
      summarize: String,
    })
    expect(value).toBe(3)
    expect(seen).toEqual([1, 2, 3])
  })

  it('throws the failure a state maps to', async () => {
    const failure = new SegmentFlowError('broken')
    await expect(
      poll({ look: async () => 'bad', done: () => false, failure: () => failure, defaultTimeout: 1_000, describe: 'x', summarize: String }),
    ).rejects.toBe(failure)
  })

  it('refuses options it cannot honour', async () => {
    expect(checkWaitOptions({ timeout: 2 ** 31, interval: 0 }).map((i) => i.path)).toEqual(['timeout', 'interval'])
    expect(checkWaitOptions(undefined)).toEqual([])
    await expect(poll({ look: async () => 1, done: () => true, timeout: -1, defaultTimeout: 1, describe: 'x', summarize: String })).rejects.toBeInstanceOf(
      ValidationError,
    )
  })
})
