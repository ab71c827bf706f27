/**
 * Discord's clock: an interaction must have its first response within 3 s of being created, autocomplete included,
 * and the response itself needs a round trip. Time spent before a handler runs (a busy event loop, a burst) counts
 * against that window too.
 */

/** How long after an interaction was created the router defers a reply that is not ready, leaving room for the trip. */
export const DEFER_AFTER_MS = 1500;

/**
 * How long from now until `afterMs` after the interaction was created. A clock behind Discord's only makes this the
 * full delay; one ahead makes the bot defer sooner, which is harmless.
 */
export function deferDelay(createdAt: number, afterMs: number, now = Date.now()): number {
  const waited = Math.max(0, now - createdAt);
  return Math.max(0, afterMs - waited);
}

/** `work`'s result, or `fallback` if it takes longer than `ms`. A late rejection is ignored (the answer was given). */
export async function withDeadline<T>(work: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), ms);
  });
  work.catch(() => undefined);
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Marks a result that was not ready in time. */
export const LATE: unique symbol = Symbol("late");

/**
 * `work`'s result if it settles within `ms`, else LATE (the work goes on; its rejection is not reported as unhandled).
 */
export function inTime<T>(work: Promise<T>, ms: number): Promise<T | typeof LATE> {
  return withDeadline<T | typeof LATE>(work, ms, LATE);
}
