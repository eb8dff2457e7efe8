/**
 * Settles as soon as `signal` aborts, even when the work underneath ignores its signal (a custom
 * `fetch` may; the sandbox's handler does, like a real server that goes on after the caller gives
 * up). The transport passes the attempt's own signal, never the caller's: listeners added here come
 * and go with the attempt, however many calls share one caller signal.
 */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason)
    if (signal.aborted) onAbort()
    else signal.addEventListener('abort', onAbort, { once: true })
    // Both handlers are attached even after an abort, so a late rejection is never unhandled.
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort)
        resolve(value)
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(error)
      },
    )
  })
}
