/**
 * Letter trigrams of normalized text ([a-z0-9], "^" before the start, "$" after the end) as small integers, and
 * posting lists keyed by them in one flat array: no per-trigram strings, maps or arrays, so indexing 300,000 titles
 * stays fast and light on the garbage collector.
 */
import { grown } from "../typed-arrays.js";

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

  /** `codesOf(id, out)` appends the trigram codes of item `id` (duplicates allowed). */
  constructor(count: number, codesOf: (id: number, out: number[]) => void) {
    // Pass 1: each item's distinct codes, kept flat in a typed array (a growing JS array of a million numbers kept
    // the collector busy).
    const seenBy = new Int32Array(TRIGRAM_SPACE).fill(-1);
    let flatCodes = new Int32Array(Math.max(1024, count * 16));
    let total = 0;
    const itemEnds = new Int32Array(count);
    const scratch: number[] = [];
    for (let id = 0; id < count; id++) {
      scratch.length = 0;
      codesOf(id, scratch);
      if (total + scratch.length > flatCodes.length) flatCodes = grown(flatCodes, total + scratch.length);
      for (const code of scratch) {
        if (seenBy[code] === id) continue;
        seenBy[code] = id;
        flatCodes[total++] = code;
      }
      itemEnds[id] = total;
    }
    // Pass 2: counting sort by code; ids come out ascending because items are visited in order.
    this.offsets = new Int32Array(TRIGRAM_SPACE + 1);
    for (let i = 0; i < total; i++) this.offsets[flatCodes[i]! + 1]!++;
    for (let code = 0; code < TRIGRAM_SPACE; code++) this.offsets[code + 1]! += this.offsets[code]!;
    const cursor = this.offsets.slice(0, TRIGRAM_SPACE);
    this.ids = new Int32Array(total);
    let start = 0;
    for (let id = 0; id < count; id++) {
      const end = itemEnds[id]!;
      for (let i = start; i < end; i++) this.ids[cursor[flatCodes[i]!]!++] = id;
      start = end;
    }
  }

  /** The ids containing a trigram (a view, not a copy). */
  postings(code: number): Int32Array {
    return this.ids.subarray(this.offsets[code]!, this.offsets[code + 1]!);
  }
}
