import { describe, expect, it } from "vitest";
import { deferDelay, withDeadline } from "../../src/interactions/deadline.js";

describe("deferDelay", () => {
  it("counts the time the interaction already waited", () => {
    expect(deferDelay(10_000, 1500, 10_000)).toBe(1500);
    expect(deferDelay(10_000, 1500, 11_000)).toBe(500);
    expect(deferDelay(10_000, 1500, 13_000)).toBe(0);
  });

  it("never waits longer than the full delay when the clock is behind Discord's", () => {
    expect(deferDelay(20_000, 1500, 10_000)).toBe(1500);
  });
});

describe("withDeadline", () => {
  it("gives the work's result in time, the fallback after", async () => {
    expect(await withDeadline(Promise.resolve([1]), 50, [])).toEqual([1]);
    expect(await withDeadline(new Promise<number[]>((resolve) => setTimeout(() => resolve([1]), 200)), 20, [])).toEqual(
      [],
    );
    expect(
      await withDeadline(new Promise<number[]>((_, reject) => setTimeout(() => reject(new Error("late")), 50)), 10, []),
    ).toEqual([]);
  });
});
