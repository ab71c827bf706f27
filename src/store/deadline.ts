/**
 * The deadline every store call runs under: past it the caller gets StoreUnavailableError("timeout") and the work is
 * told, through an AbortSignal, that nobody waits for it any more, so that it does not start (or commit) late.
 */
import { StoreUnavailableError } from "./store.js";

/** How long a store call may take unless openStore is told otherwise. */
export const DEFAULT_CALL_TIMEOUT_MS = 2000;

/**
 * `work`'s result, or a rejection with StoreUnavailableError("timeout", "<what>: …") after `ms`. A late settlement of
 * `work` is ignored (its rejection is not reported as unhandled).
 */
export async function withinDeadline<T>(
  what: string,
  ms: number,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new StoreUnavailableError("timeout", `${what}: no answer within ${ms} ms`));
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
