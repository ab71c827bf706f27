import { runSteps, type Steps } from "./steps.js";
import { copyOfSteps, int32ArraySteps } from "./index-arrays.js";

/**
 * Typed-array building blocks of the index and the page workers, which build flat arrays of hundreds of thousands
 * of numbers: growing arrays of JS numbers or an array per group would keep the garbage collector busy.
 */

/** A copy of `array`, at least `atLeast` long (doubling, so that repeated growth stays linear). */
export function grown<T extends Int32Array | Uint16Array | Uint8Array>(array: T, atLeast: number): T {
  const bigger = new (array.constructor as new (length: number) => T)(Math.max(atLeast, array.length * 2));
  bigger.set(array);
  return bigger;
}

/**
 * `values[0 .. count)` grouped by their key (`keys[i]` in [0, keyCount)) with one counting sort: group k is
 * grouped[offsets[k] .. offsets[k + 1]), values in their original order.
 */
export function groupByKey(
  keys: Int32Array,
  values: Int32Array,
  count: number,
  keyCount: number,
): { offsets: Int32Array; grouped: Int32Array } {
  return runSteps(groupByKeySteps(keys, values, count, keyCount));
}

/** Typed-array items handled between two yields: a few milliseconds of the simple loops below. */
const TYPED_ITEMS_PER_STEP = 1 << 16;

/** groupByKey in steps (see steps.ts): millions of credits in one go hold the event loop for tens of milliseconds. */
export function* groupByKeySteps(
  keys: Int32Array,
  values: Int32Array,
  count: number,
  keyCount: number,
): Steps<{ offsets: Int32Array; grouped: Int32Array }> {
  // Written at random: touched in steps first (see index-arrays.ts).
  const offsets = yield* int32ArraySteps(keyCount + 1);
  for (let i = 0; i < count; i++) {
    offsets[keys[i]! + 1]!++;
    if ((i & (TYPED_ITEMS_PER_STEP - 1)) === 0) yield;
  }
  for (let key = 0; key < keyCount; key++) offsets[key + 1]! += offsets[key]!;
  yield;
  const cursor = yield* copyOfSteps(offsets, 0, keyCount);
  const grouped = yield* int32ArraySteps(count);
  for (let i = 0; i < count; i++) {
    grouped[cursor[keys[i]!]!++] = values[i]!;
    if ((i & (TYPED_ITEMS_PER_STEP - 1)) === 0) yield;
  }
  return { offsets, grouped };
}
