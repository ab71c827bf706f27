/**
 * The deadline every store call runs under: past it the caller gets StoreUnavailableError("timeout") and the work is
 * told, through an AbortSignal, that nobody waits for it any more, so that it does not start (or commit) late.
 */
import { StoreUnavailableError, type StoreFailure } from "./store.js";

/** How long a store call may take unless openStore is told otherwise. */
export const DEFAULT_CALL_TIMEOUT_MS = 2000;

/**
 * `work`'s result, or a rejection with StoreUnavailableError after `ms`: reason "timeout" unless `knownCause` names
 * what the time went on (such as waiting for another process's lock). A late settlement of `work` is ignored (its
 * rejection is not reported as unhandled).
 */
export async function withinDeadline<T>(
  what: string,
  ms: number,
  work: (signal: AbortSignal) => Promise<T>,
  knownCause?: () => { reason: StoreFailure; detail: string } | undefined,
): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      const cause = knownCause?.();
      const detail = cause === undefined ? "" : ` (${cause.detail})`;
      reject(new StoreUnavailableError(cause?.reason ?? "timeout", `${what}: no answer within ${ms} ms${detail}`));
    }, ms);
  });
  const running = work(controller.signal);
  running.catch(() => undefined);
  try {
    return await Promise.race([running, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Resolves after `ms`, or at once when `signal` aborts (the caller gave up, so there is no point waiting). */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
