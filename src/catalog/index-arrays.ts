/**
 * Typed arrays for the catalog's indexes and their builds, and for the batches load workers send, allocated on a
 * SharedArrayBuffer (for the indexes, never shared with another thread: it is only the kind of memory).
 *
 * Why: V8 counts an ordinary ArrayBuffer's memory as "external" and, when external memory has grown by a fixed amount
 * since the last full collection, starts another one, then adds a marking step to every further allocation of an
 * ArrayBuffer until it ends. A reload of a big catalog builds its indexes (and their scratch arrays) beside the
 * catalog in service, so it crossed that mark two or three times: each time a full collection of both catalogs, with
 * the main thread doing much of the marking while members typed in autocomplete. A SharedArrayBuffer's memory is not
 * counted so (V8 cannot tell which isolate should pay for it): collections come when the heap needs them, and these
 * arrays are freed the same way as any other, when the collector finds them unreachable.
 *
 * A load worker's batches are the same case: thousands of small buffers per load, which reached this thread as
 * ordinary (transferred) ones and each added a marking step while a collection ran; on shared memory they come without
 * a copy and without being counted.
 *
 * Array methods that make a new array (slice, map, from) make an ordinary one: use `copyOf` and `int32ArrayOf`.
 */

import type { Steps } from "./steps.js";

export function int32Array(length: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(length * Int32Array.BYTES_PER_ELEMENT));
}

export function float64Array(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(length * Float64Array.BYTES_PER_ELEMENT));
}

export function float32Array(length: number): Float32Array {
  return new Float32Array(new SharedArrayBuffer(length * Float32Array.BYTES_PER_ELEMENT));
}

export function uint8Array(length: number): Uint8Array {
  return new Uint8Array(new SharedArrayBuffer(length));
}

/** The numbers of `values` in an index array. */
export function int32ArrayOf(values: ArrayLike<number>): Int32Array {
  const array = int32Array(values.length);
  array.set(values);
  return array;
}

export function float64ArrayOf(values: ArrayLike<number>): Float64Array {
  const array = float64Array(values.length);
  array.set(values);
  return array;
}

export function uint8ArrayOf(values: ArrayLike<number>): Uint8Array {
  const array = uint8Array(values.length);
  array.set(values);
  return array;
}

/** `array.slice(start, end)`, in an index array. */
export function copyOf(array: Int32Array, start = 0, end = array.length): Int32Array {
  const copy = int32Array(end - start);
  copy.set(array.subarray(start, end));
  return copy;
}

/**
 * Memory touched between two yields of the *Steps allocations below: about a megabyte.
 *
 * Why: the first write to each page of fresh memory costs a page fault, and on some machines (virtual ones above all)
 * that is most of the cost of writing a big array once. A step that filled, copied into or scattered over tens of
 * megabytes of new array held the event loop for tens of milliseconds; touched a megabyte at a time beforehand, the
 * same faults are paid in short steps, and the writes that follow are cheap wherever they land.
 */
const TOUCHED_PER_STEP = 1 << 20;
const PAGE_BYTES = 4096;

function* touchedSteps<T extends Int32Array | Float64Array>(array: T): Steps<T> {
  const perPage = PAGE_BYTES / array.BYTES_PER_ELEMENT;
  const perStep = TOUCHED_PER_STEP / array.BYTES_PER_ELEMENT;
  for (let i = 0; i < array.length; i += perPage) {
    array[i] = 0;
    if (i % perStep === 0) yield;
  }
  return array;
}

/** int32Array(length), its memory touched in steps (see TOUCHED_PER_STEP): for arrays written at once or at random. */
export function int32ArraySteps(length: number): Steps<Int32Array> {
  return touchedSteps(int32Array(length));
}

/** int32ArrayOf(values), in steps (see TOUCHED_PER_STEP). */
export function* int32ArrayOfSteps(values: ArrayLike<number>): Steps<Int32Array> {
  const array = yield* int32ArraySteps(values.length);
  array.set(values);
  return array;
}

/** copyOf(array, start, end), in steps (see TOUCHED_PER_STEP). */
export function* copyOfSteps(array: Int32Array, start = 0, end = array.length): Steps<Int32Array> {
  const copy = yield* int32ArraySteps(end - start);
  copy.set(array.subarray(start, end));
  return copy;
}
