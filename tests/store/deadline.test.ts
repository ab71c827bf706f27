import { describe, expect, it } from "vitest";
import { pause, withinDeadline } from "../../src/store/deadline.js";
import { StoreUnavailableError } from "../../src/store/store.js";

describe("withinDeadline", () => {
  it("passes on the work's result and its errors", async () => {
    expect(await withinDeadline("read", 1000, async () => "value")).toBe("value");
    await expect(withinDeadline("read", 1000, async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
  });

  it("rejects with a one-line timeout once the deadline passes, and tells the work it was given up", async () => {
    let signal: AbortSignal | undefined;
    const error = await withinDeadline("watchlist add: sqlite://x", 20, (given) => {
      signal = given;
      return new Promise<never>((_, reject) => setTimeout(() => reject(new Error("late")), 100));
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect(error).toMatchObject({ reason: "timeout", message: "watchlist add: sqlite://x: no answer within 20 ms" });
    expect(signal?.aborted).toBe(true);
  });

  it("names a known cause instead of a plain timeout", async () => {
    const error = await withinDeadline(
      "add",
      10,
      () => new Promise(() => undefined),
      () => ({
        reason: "locked",
        detail: "SQLITE_BUSY: database is locked",
      }),
    ).catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      reason: "locked",
      message: "add: no answer within 10 ms (SQLITE_BUSY: database is locked)",
    });
  });
});

describe("pause", () => {
  it("ends early when the caller gives up", async () => {
    const controller = new AbortController();
    const started = performance.now();
    const paused = pause(10_000, controller.signal);
    controller.abort();
    await paused;
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
