import { boundedEditDistance, boundedPrefixDistance } from "./edit-distance.js";
import { ITEMS_PER_STEP, runSteps, sortedSteps, type Steps } from "../steps.js";
import { TrigramPostings, trigramCodes } from "./trigrams.js";
import { float64Array, int32Array } from "../index-arrays.js";

/**
 * Finds the words of a vocabulary within a typo or two of a typed word, without comparing against every word.
 *
 * - One typo (the common case): a symmetric-delete index. Two words one edit apart — a wrong, missing, extra or
 *   swapped letter — always share a form with one letter deleted ("mluan" and "mulan" both give "mlan"). The forms
 *   are stored as 32-bit hashes packed with the word id in one sorted Float64Array: compact and fast to build.
 * - Two typos, and words still being typed: trigram overlap, then a bounded edit distance check.
 */
const ID_BITS = 2 ** 21;
/** At most this many trigram candidates get an edit-distance check per typed word. */
const TRIGRAM_CHECKS = 400;

/** FNV-1a of `text` without its character at `skip` (-1: the whole text). */
function hashSkipping(text: string, skip: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    if (i === skip) continue;
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

function isNumber(word: string): boolean {
  return /^\d+$/.test(word);
}

export class TypoIndex {
  private readonly words: readonly string[];
  private readonly deletions: Float64Array;
  private readonly grams: TrigramPostings;
  private readonly gramCounts: Int32Array;

  private constructor(words: readonly string[], deletions: Float64Array, grams: TrigramPostings) {
    this.words = words;
    this.deletions = deletions;
    this.grams = grams;
    this.gramCounts = int32Array(words.length);
  }

  static build(words: readonly string[]): TypoIndex {
    return runSteps(TypoIndex.steps(words));
  }

  /** Built in steps (see steps.ts): the vocabulary of 300,000 titles takes a few hundred milliseconds. */
  static *steps(words: readonly string[]): Steps<TypoIndex> {
    const deletions = words.length < ID_BITS ? yield* deletionSteps(words) : new Float64Array(0);
    // Numbers and words under three letters have no typo variants worth finding.
    const grams = yield* TrigramPostings.steps(words.length, (id, out) => {
      const word = words[id]!;
      if (word.length >= 3 && !isNumber(word)) trigramCodes(word, true, out);
    });
    return new TypoIndex(words, deletions, grams);
  }

  /**
   * Ids of the words within `typos` edits of `typed` (or of their start, when `typed` is still being typed); never
   * `typed` itself.
   */
  similar(typed: string, typos: number, isPartial: boolean): number[] {
    if (typos <= 0 || isNumber(typed)) return [];
    const found = new Set<number>();
    for (const id of this.oneTypoAway(typed)) found.add(id);
    if (typos >= 2 || isPartial) for (const id of this.byTrigrams(typed, typos, isPartial)) found.add(id);
    return [...found];
  }

  private oneTypoAway(typed: string): number[] {
    const ids: number[] = [];
    for (let skip = -1; skip < typed.length; skip++) {
      const low = hashSkipping(typed, skip) * ID_BITS;
      for (let i = this.firstAtLeast(low); i < this.deletions.length && this.deletions[i]! < low + ID_BITS; i++) {
        const id = this.deletions[i]! - low;
        const word = this.words[id]!;
        if (word !== typed && boundedEditDistance(typed, word, 1) === 1) ids.push(id);
      }
    }
    return ids;
  }

  private firstAtLeast(value: number): number {
    let low = 0;
    let high = this.deletions.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.deletions[middle]! < value) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  private byTrigrams(typed: string, typos: number, isPartial: boolean): number[] {
    const grams = [...new Set(trigramCodes(typed, !isPartial))];
    const counts = this.gramCounts;
    const touched: number[] = [];
    for (const gram of grams) {
      const ids = this.grams.postings(gram);
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i]!;
        if (counts[id] === 0) touched.push(id);
        counts[id]!++;
      }
    }
    // An edit breaks at most three trigrams (four for a swap, which the deletion index finds).
    const needed = Math.max(1, grams.length - 3 * typos);
    // Check the words sharing the most trigrams first, and only so many: the rest are unlikely to be close.
    const byShared: number[][] = [];
    for (const id of touched) {
      const shared = counts[id]!;
      counts[id] = 0;
      if (shared < needed) continue;
      const word = this.words[id]!;
      const lengthGap = word.length - typed.length;
      if (lengthGap < -typos || (!isPartial && lengthGap > typos)) continue;
      (byShared[shared] ??= []).push(id);
    }
    const similar: number[] = [];
    let checked = 0;
    for (let shared = byShared.length - 1; shared >= needed && checked < TRIGRAM_CHECKS; shared--) {
      for (const id of byShared[shared] ?? []) {
        if (checked++ >= TRIGRAM_CHECKS) break;
        const word = this.words[id]!;
        if (word === typed || (isPartial && word.startsWith(typed))) continue;
        const distance = isPartial
          ? boundedPrefixDistance(typed, word, typos)
          : boundedEditDistance(typed, word, typos);
        if (distance <= typos) similar.push(id);
      }
    }
    return similar;
  }
}

/** Each word and its one-letter deletions, as sorted (hash, id) keys. */
function* deletionSteps(words: readonly string[]): Steps<Float64Array> {
  let total = 0;
  for (const word of words) if (word.length >= 3 && !isNumber(word)) total += word.length + 1;
  const packed = float64Array(total);
  let at = 0;
  for (let id = 0; id < words.length; id++) {
    const word = words[id]!;
    if (word.length >= 3 && !isNumber(word)) {
      // The word itself and each one-letter deletion, hashed without building the strings.
      packed[at++] = hashSkipping(word, -1) * ID_BITS + id;
      for (let skip = 0; skip < word.length; skip++) packed[at++] = hashSkipping(word, skip) * ID_BITS + id;
    }
    if (id % ITEMS_PER_STEP === ITEMS_PER_STEP - 1) yield;
  }
  return yield* sortedSteps(packed);
}
