import { describe, expect, it } from "vitest";
import {
  copyOf,
  copyOfSteps,
  float32Array,
  float64Array,
  int32Array,
  int32ArrayOf,
  int32ArrayOfSteps,
  int32ArraySteps,
  uint8Array,
} from "../../src/catalog/index-arrays.js";
import { SearchIndex } from "../../src/catalog/search/search-index.js";
import type { Steps } from "../../src/catalog/steps.js";

/** The value of `steps` run to the end, and how many times they yielded. */
function run<T>(steps: Steps<T>): { value: T; yields: number } {
  let yields = 0;
  for (;;) {
    const step = steps.next();
    if (step.done) return { value: step.value, yields };
    yields++;
  }
}

describe("index arrays", () => {
  it("are zeroed arrays of the asked kind and length, on memory V8 does not count as external", () => {
    const arrays = [int32Array(5), float64Array(5), float32Array(5), uint8Array(5)];
    expect(arrays.map((array) => array.constructor)).toEqual([Int32Array, Float64Array, Float32Array, Uint8Array]);
    for (const array of arrays) {
      expect(array).toHaveLength(5);
      expect(Array.from(array)).toEqual([0, 0, 0, 0, 0]);
      expect(array.buffer).toBeInstanceOf(SharedArrayBuffer);
    }
  });

  it("copy as slice and from would, into index arrays", () => {
    const values = int32ArrayOf([4, -1, 7, 2]);
    expect(Array.from(values)).toEqual([4, -1, 7, 2]);
    expect(values.buffer).toBeInstanceOf(SharedArrayBuffer);
    const copy = copyOf(values, 1, 3);
    expect(Array.from(copy)).toEqual([-1, 7]);
    expect(copy.buffer).toBeInstanceOf(SharedArrayBuffer);
    copy[0] = 99;
    expect(values[1]).toBe(-1);
    expect(Array.from(copyOf(values))).toEqual([4, -1, 7, 2]);
  });

  it("can be made in steps that each touch about a megabyte of the new memory", () => {
    const { value, yields } = run(int32ArraySteps(1_000_000));
    expect(value).toHaveLength(1_000_000);
    expect(value.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(value.every((item) => item === 0)).toBe(true);
    // 4 MB: a yield per megabyte touched, not one for the lot.
    expect(yields).toBeGreaterThanOrEqual(4);
    expect(yields).toBeLessThanOrEqual(5);
    const values = Array.from({ length: 300_000 }, (_, i) => i * 7 - 5);
    const copied = run(int32ArrayOfSteps(values));
    expect(Array.from(copied.value)).toEqual(values);
    expect(copied.yields).toBeGreaterThanOrEqual(2);
    const sliced = run(copyOfSteps(copied.value, 10, 200_010)).value;
    expect(Array.from(sliced)).toEqual(values.slice(10, 200_010));
    expect(sliced.buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  it("hold a search index, so that building one does not grow the external memory that starts full collections", () => {
    const words = ["red", "blue", "night", "city", "river", "ghost", "summer", "king", "last", "road"];
    const entries = Array.from({ length: 20_000 }, (_, i) => ({
      text: `${words[i % 10]} ${words[Math.floor(i / 10) % 10]} ${words[Math.floor(i / 100) % 10]} ${i}`,
      popularity: i,
      year: 1950 + (i % 70),
    }));
    const before = process.memoryUsage();
    const index = SearchIndex.build(entries);
    const after = process.memoryUsage();
    expect(index.search("ghost river", { limit: 1 })).toHaveLength(1);
    // The index's arrays are megabytes (arrayBuffers counts every buffer); external memory barely moves.
    expect(after.arrayBuffers - before.arrayBuffers).toBeGreaterThan(2_000_000);
    expect(after.external - before.external).toBeLessThan(500_000);
  });
});
