import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { KeyedLock } from "../../src/store/keyed-lock.js";

describe("KeyedLock", () => {
  it("runs tasks of one key one at a time, in arrival order", async () => {
    const lock = new KeyedLock();
    const events: string[] = [];
    const task = (name: string, ms: number) =>
      lock.run("k", async () => {
        events.push(`start ${name}`);
        await sleep(ms);
        events.push(`end ${name}`);
        return name;
      });
    expect(await Promise.all([task("a", 20), task("b", 1), task("c", 5)])).toEqual(["a", "b", "c"]);
    expect(events).toEqual(["start a", "end a", "start b", "end b", "start c", "end c"]);
  });

  it("runs different keys side by side", async () => {
    const lock = new KeyedLock();
    const events: string[] = [];
    await Promise.all(
      ["x", "y"].map((key) =>
        lock.run(key, async () => {
          events.push(`start ${key}`);
          await sleep(10);
          events.push(`end ${key}`);
        }),
      ),
    );
    expect(events.slice(0, 2).sort()).toEqual(["start x", "start y"]);
  });

  it("goes on after a task fails, and settles when idle", async () => {
    const lock = new KeyedLock();
    await expect(lock.run("k", async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await lock.run("k", async () => "after")).toBe("after");
    let finished = false;
    void lock.run("k", async () => {
      await sleep(10);
      finished = true;
    });
    await lock.settled();
    expect(finished).toBe(true);
  });
});
