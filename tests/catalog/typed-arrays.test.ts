import { describe, expect, it } from "vitest";
import { groupByKey, grown } from "../../src/catalog/typed-arrays.js";

describe("grown", () => {
  it("copies into a longer array of the same kind, at least doubling", () => {
    const bigger = grown(Int32Array.from([1, 2, 3]), 4);
    expect(bigger).toBeInstanceOf(Int32Array);
    expect(Array.from(bigger)).toEqual([1, 2, 3, 0, 0, 0]);
    expect(grown(new Uint16Array(2), 10)).toHaveLength(10);
  });
});

describe("groupByKey", () => {
  it("groups values by key, keeping their order within a group, empty groups included", () => {
    const keys = Int32Array.from([2, 0, 2, 0, 9]);
    const values = Int32Array.from([10, 11, 12, 13, 99]);
    // Only the first four pairs count; key 1 has no values.
    const { offsets, grouped } = groupByKey(keys, values, 4, 3);
    expect(Array.from(offsets)).toEqual([0, 2, 2, 4]);
    expect(Array.from(grouped)).toEqual([11, 13, 10, 12]);
  });
});
