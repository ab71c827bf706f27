import { readFileSync } from "node:fs";
import { constants, PerformanceObserver } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { configureCollector, START_SETTINGS, startCollection } from "../../src/reload/collector.js";

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

describe("the settings the process starts with", () => {
  const scripts = (
    JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
      scripts: Record<string, string>;
    }
  ).scripts;

  it.each(["start", "bench"])("npm run %s gives glibc's setting and Node's options", (name) => {
    const script = scripts[name]!;
    for (const [variable, value] of Object.entries(START_SETTINGS.env))
      expect(script).toContain(`${variable}=${value} `);
    for (const option of START_SETTINGS.nodeOptions) expect(script).toMatch(new RegExp(`node [^&|;]*${option}`));
  });

  it("npm start still puts node in the shell's place, so that signals reach the bot", () => {
    expect(scripts["start"]).toMatch(/ exec node /);
  });

  it("names what a process started otherwise lacks", () => {
    const saved = process.env["MALLOC_MMAP_THRESHOLD_"];
    try {
      delete process.env["MALLOC_MMAP_THRESHOLD_"];
      expect(configureCollector()).toContain("MALLOC_MMAP_THRESHOLD_=8388608");
      process.env["MALLOC_MMAP_THRESHOLD_"] = "8388608";
      expect(configureCollector()).not.toContain("MALLOC_MMAP_THRESHOLD_=8388608");
      // The test runner is not started with npm start's Node options.
      expect(configureCollector()).toContain("--concurrent-marking-max-worker-num=1");
    } finally {
      if (saved === undefined) delete process.env["MALLOC_MMAP_THRESHOLD_"];
      else process.env["MALLOC_MMAP_THRESHOLD_"] = saved;
    }
  });
});
