import { constants, PerformanceObserver } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { startCollection } from "../../src/reload/collector.js";

const MB = 1024 * 1024;

/** The collection steps V8 reports (their kind and start), while `run` runs and the event loop turns once after. */
async function collectionsDuring(run: () => void): Promise<{ kind: number; startTime: number }[]> {
  const seen: { kind: number; startTime: number }[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries())
      seen.push({ kind: (entry as unknown as { detail: { kind: number } }).detail.kind, startTime: entry.startTime });
  });
  observer.observe({ entryTypes: ["gc"] });
  run();
  await sleep(50);
  observer.disconnect();
  return seen;
}

describe("startCollection", () => {
  it("starts V8's incremental marking during the call, not when the heap limit is reached", async () => {
    let asked = 0;
    let returned = 0;
    const seen = await collectionsDuring(() => {
      asked = performance.now();
      startCollection();
      returned = performance.now();
    });
    const marking = seen.filter((step) => step.kind === constants.NODE_PERFORMANCE_GC_INCREMENTAL);
    expect(marking.some((step) => step.startTime >= asked && step.startTime <= returned)).toBe(true);
  });

  it("leaves no external memory counted (later buffers add no marking steps), and frees its buffer", async () => {
    const before = process.memoryUsage();
    startCollection();
    expect(process.memoryUsage().external - before.external).toBeLessThan(MB);
    // The buffer goes with the message, when the closed ports are released by the event loop.
    const deadline = performance.now() + 2_000;
    while (process.memoryUsage().arrayBuffers - before.arrayBuffers >= MB && performance.now() < deadline)
      await sleep(10);
    expect(process.memoryUsage().arrayBuffers - before.arrayBuffers).toBeLessThan(MB);
  });
});
