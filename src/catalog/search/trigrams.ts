/**
 * Letter trigrams of normalized text ([a-z0-9], "^" before the start, "$" after the end) as small integers, and
 * posting lists keyed by them in one flat array: no per-trigram strings, maps or arrays, so indexing 300,000 titles
 * stays fast and light on the garbage collector.
 */
import { ITEMS_PER_STEP, runSteps, type Steps } from "../steps.js";
import { copyOf, int32Array, int32ArraySteps } from "../index-arrays.js";

const ALPHABET = 38;
const START = 36;
const END = 37;
export const TRIGRAM_SPACE = ALPHABET ** 3;

function letterCode(charCode: number): number {
  if (charCode >= 97 && charCode <= 122) return charCode - 97;
  if (charCode >= 48 && charCode <= 57) return charCode - 48 + 26;
  return -1; // spaces and anything else break the run
}

/**
 * The trigram codes of a word or compact text, "^" + text (+ "$" when `closed`), appended to `out`. Characters
 * outside [a-z0-9] are skipped.
 */
export function trigramCodes(text: string, closed: boolean, out: number[] = []): number[] {
  // A window over the last two codes, starting with "^".
  let first = -1;
  let second = START;
  for (let i = 0; i <= text.length; i++) {
    let code: number;
    if (i === text.length) {
      if (!closed) break;
      code = END;
    } else {
      code = letterCode(text.charCodeAt(i));
      if (code < 0) continue;
    }
    if (first >= 0) out.push((first * ALPHABET + second) * ALPHABET + code);
    first = second;
    second = code;
  }
  return out;
}

/** For each trigram, the ids (ascending) of the items containing it. */
export class TrigramPostings {
  private readonly offsets: Int32Array;
  private readonly ids: Int32Array;

  private constructor(parts: { offsets: Int32Array; ids: Int32Array }) {
    this.offsets = parts.offsets;
    this.ids = parts.ids;
  }

  /** `codesOf(id, out)` appends the trigram codes of item `id` (duplicates allowed). */
  static build(count: number, codesOf: (id: number, out: number[]) => void): TrigramPostings {
    return new TrigramPostings(runSteps(trigramPostingSteps(count, codesOf)));
  }

  /** The same, built in steps (see steps.ts): 300,000 titles in one go hold the event loop for hundreds of milliseconds. */
  static *steps(count: number, codesOf: (id: number, out: number[]) => void): Steps<TrigramPostings> {
    return new TrigramPostings(yield* trigramPostingSteps(count, codesOf));
  }

  /** The ids containing a trigram (a view, not a copy). */
  postings(code: number): Int32Array {
    return this.ids.subarray(this.offsets[code]!, this.offsets[code + 1]!);
  }
}

/** Codes per chunk of pass 1's list: growing one flat array of millions by copying held the event loop. */
const CHUNK_BITS = 20;
const CHUNK = 1 << CHUNK_BITS;
/** Codes handled between two yields in pass 2's simple loops. */
const CODES_PER_STEP = 1 << 16;

function* trigramPostingSteps(
  count: number,
  codesOf: (id: number, out: number[]) => void,
): Steps<{ offsets: Int32Array; ids: Int32Array }> {
  // Pass 1: each item's distinct codes, kept flat in typed arrays of CHUNK codes (a growing JS array of a million
  // numbers kept the collector busy).
  const seenBy = int32Array(TRIGRAM_SPACE).fill(-1);
  const chunks: Int32Array[] = [];
  let total = 0;
  const itemEnds = int32Array(count);
  const scratch: number[] = [];
  for (let id = 0; id < count; id++) {
    scratch.length = 0;
    codesOf(id, scratch);
    for (const code of scratch) {
      if (seenBy[code] === id) continue;
      seenBy[code] = id;
      if (total >> CHUNK_BITS === chunks.length) chunks.push(int32Array(CHUNK));
      chunks[total >> CHUNK_BITS]![total & (CHUNK - 1)] = code;
      total++;
    }
    itemEnds[id] = total;
    if (id % ITEMS_PER_STEP === ITEMS_PER_STEP - 1) yield;
  }
  const codeAt = (i: number): number => chunks[i >> CHUNK_BITS]![i & (CHUNK - 1)]!;
  // Pass 2: counting sort by code; ids come out ascending because items are visited in order.
  const offsets = int32Array(TRIGRAM_SPACE + 1);
  for (let i = 0; i < total; i++) {
    offsets[codeAt(i) + 1]!++;
    if ((i & (CODES_PER_STEP - 1)) === CODES_PER_STEP - 1) yield;
  }
  for (let code = 0; code < TRIGRAM_SPACE; code++) offsets[code + 1]! += offsets[code]!;
  yield;
  const cursor = copyOf(offsets, 0, TRIGRAM_SPACE);
  // Written at random: touched in steps first (see index-arrays.ts).
  const ids = yield* int32ArraySteps(total);
  let start = 0;
  for (let id = 0; id < count; id++) {
    const end = itemEnds[id]!;
    for (let i = start; i < end; i++) ids[cursor[codeAt(i)]!++] = id;
    start = end;
    if (id % ITEMS_PER_STEP === ITEMS_PER_STEP - 1) yield;
  }
  return { offsets, ids };
}
