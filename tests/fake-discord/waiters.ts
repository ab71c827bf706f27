/** Options shared by every `waitFor...` helper of the fake. */
export interface WaitOptions {
  /** Give up after this long (ms). Each helper documents its default. */
  timeoutMs?: number;
}

export const DEFAULT_WAIT_MS = 5000;

interface PendingWait {
  /** Returns the awaited value once available, undefined while not; throws to fail the wait. */
  check: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * Condition waits driven by state changes: whenever the fake's state changes it calls
 * {@link ChangeWaiters.notify}, which re-evaluates every pending condition. This avoids polling
 * and keeps the promises free of races (a condition already true resolves immediately).
 */
export class ChangeWaiters {
  private readonly pending = new Set<PendingWait>();
  private closedReason: Error | undefined;

  /**
   * Resolves with `check()`'s value as soon as it is not `undefined`; rejects when `check` throws,
   * when `timeoutMs` passes (with `describe()` in the message) or when the fake closes.
   */
  waitFor<T>(check: () => T | undefined, options: { timeoutMs: number; describe: () => string }): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.closedReason) {
        reject(this.closedReason);
        return;
      }
      const timer = setTimeout(() => {
        this.pending.delete(wait);
        reject(new Error(`Timed out after ${options.timeoutMs} ms waiting for ${options.describe()}`));
      }, options.timeoutMs);
      // A forgotten wait must not keep the test process alive.
      timer.unref();
      const wait: PendingWait = { check, resolve: (value) => resolve(value as T), reject, timer };
      this.pending.add(wait);
      this.evaluate(wait);
    });
  }

  /** Re-evaluates every pending condition; call after any state change. */
  notify(): void {
    // Deleting the visited entry while iterating a Set is safe.
    for (const wait of this.pending) this.evaluate(wait);
  }

  /** Fails every pending wait (used by `close()`), and any wait started later. */
  closeAll(reason: Error): void {
    this.closedReason = reason;
    for (const wait of this.pending) this.settle(wait, () => wait.reject(reason));
  }

  private evaluate(wait: PendingWait): void {
    let value: unknown;
    try {
      value = wait.check();
    } catch (error) {
      this.settle(wait, () => wait.reject(error instanceof Error ? error : new Error(String(error))));
      return;
    }
    if (value !== undefined) this.settle(wait, () => wait.resolve(value));
  }

  private settle(wait: PendingWait, finish: () => void): void {
    clearTimeout(wait.timer);
    this.pending.delete(wait);
    finish();
  }
}
