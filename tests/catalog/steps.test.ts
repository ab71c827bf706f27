import { describe, expect, it } from "vitest";
import { ShardedMap } from "../../src/catalog/sharded-map.js";
import { runSteps, sortedSteps, sortedStringSteps } from "../../src/catalog/steps.js";
import { groupByKey } from "../../src/catalog/typed-arrays.js";
import { seededRandom } from "../support/seeded-random.js";

describe("sorts in steps", () => {
  const random = seededRandom(7);
  // More than two runs of the sort, so that runs are merged more than once, and a length that is no power of two.
  const length = 16_384 * 5 + 123;

  it("sorts numbers as Float64Array.prototype.sort does, yielding along the way", () => {
    const values = Float64Array.from(
      { length },
      () => Math.floor(random() * 1000) * 2 ** 21 + Math.floor(random() * 50),
    );
    const expected = values.slice().sort();
    const steps = sortedSteps(values);
    let yields = 0;
    for (let step = steps.next(); !step.done; step = steps.next()) yields++;
    expect(yields).toBeGreaterThan(5);
    expect(values).toEqual(expected);
  });

  it("sorts strings as Array.prototype.sort does, leaving its input as it was", () => {
    const words = Array.from({ length }, () => Math.floor(random() * 1e9).toString(36));
    const before = [...words];
    expect(runSteps(sortedStringSteps(words))).toEqual([...words].sort());
    expect(words).toEqual(before);
  });
});

describe("ShardedMap", () => {
  it("keeps what a Map keeps", () => {
    const map = new ShardedMap<number>();
    const plain = new Map<string, number>();
    const random = seededRandom(3);
    for (let i = 0; i < 20_000; i++) {
      const key = `film-${Math.floor(random() * 5000)}-${i % 7 === 0 ? "" : "é"}`;
      map.set(key, i);
      plain.set(key, i);
    }
    expect(map.size).toBe(plain.size);
    for (const [key, value] of plain) expect(map.get(key)).toBe(value);
    expect(map.has("")).toBe(false);
    expect(map.get("missing")).toBeUndefined();
    map.set("", 1);
    expect(map.get("")).toBe(1);
  });
});

describe("groupByKey", () => {
  it("groups values by key, in their order, across many steps", () => {
    const count = 200_000;
    const keys = Int32Array.from({ length: count }, (_, i) => (i * 7919) % 1000);
    const values = Int32Array.from({ length: count }, (_, i) => i);
    const { offsets, grouped } = groupByKey(keys, values, count, 1000);
    for (const key of [0, 1, 999]) {
      const expected = [...values].filter((i) => keys[i] === key);
      expect([...grouped.subarray(offsets[key]!, offsets[key + 1]!)]).toEqual(expected);
    }
  });
});
