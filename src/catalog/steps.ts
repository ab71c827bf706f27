import { float64Array } from "./index-arrays.js";

/**
 * Long computations written once as generators that `yield` between pieces of work, and run either in one go or
 * with pauses: building a 100,000-film catalog takes seconds, and during a /reload the bot must keep answering
 * interactions (Discord gives each 3 s).
 */
export type Steps<T> = Generator<void, T, void>;

export function runSteps<T>(steps: Steps<T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Runs the steps, letting the event loop in whenever `sliceMs` of work has passed. */
export async function runStepsWithPauses<T>(steps: Steps<T>, sliceMs = 10): Promise<T> {
  let sliceStart = performance.now();
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (performance.now() - sliceStart >= sliceMs) {
      await new Promise((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
  }
}

/**
 * How often loops over many items yield. A yield costs a generator resume and a clock read, while an item can cost
 * tens of microseconds (a title tokenized, a name normalized): a few thousand of those between two yields held the
 * event loop well past `sliceMs`.
 */
export const ITEMS_PER_STEP = 256;

/** Elements sorted or merged between two yields of the sorts below. */
const SORT_RUN = 16_384;

/**
 * `values` sorted in place, as `values.sort()` would, in steps: runs of SORT_RUN sorted natively, then merged pairwise.
 * Sorting a million keys in one go holds the event loop for a tenth of a second.
 */
export function* sortedSteps(values: Float64Array): Steps<Float64Array> {
  const sortRun = (start: number, end: number): void => void values.subarray(start, end).sort();
  return yield* mergeSortSteps(values, float64Array(values.length), sortRun);
}

/** `values` sorted as `[...values].sort()` would (by UTF-16 code units), in steps; `values` is left as it was. */
export function* sortedStringSteps(values: readonly string[]): Steps<string[]> {
  const sorted = [...values];
  const sortRun = (start: number, end: number): void => {
    const run = sorted.slice(start, end).sort();
    for (let i = start; i < end; i++) sorted[i] = run[i - start]!;
  };
  return yield* mergeSortSteps(sorted, Array.from<string>({ length: values.length }), sortRun);
}

/**
 * A bottom-up merge sort: runs of SORT_RUN sorted by `sortRun`, then merged back and forth between `values` and
 * `scratch` until one run remains; the result ends in `values`. Stable, like the sorts it stands for.
 */
function* mergeSortSteps<T, A extends { length: number; [index: number]: T }>(
  values: A,
  scratch: A,
  sortRun: (start: number, end: number) => void,
): Steps<A> {
  const length = values.length;
  for (let start = 0; start < length; start += SORT_RUN) {
    sortRun(start, Math.min(length, start + SORT_RUN));
    yield;
  }
  let from = values;
  let to = scratch;
  let merged = 0;
  for (let width = SORT_RUN; width < length; width *= 2) {
    for (let start = 0; start < length; start += 2 * width) {
      const middle = Math.min(length, start + width);
      const end = Math.min(length, start + 2 * width);
      let left = start;
      let right = middle;
      for (let out = start; out < end; out++) {
        to[out] = right >= end || (left < middle && !(from[right]! < from[left]!)) ? from[left++]! : from[right++]!;
        if (++merged % SORT_RUN === 0) yield;
      }
    }
    [from, to] = [to, from];
  }
  if (from !== values) for (let i = 0; i < length; i++) values[i] = from[i]!;
  return values;
}
