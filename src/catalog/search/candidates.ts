/**
 * Candidate generation: from a query, the few hundred titles worth scoring out of the whole index, in microseconds —
 * titles that start with what was typed, titles sharing its words (exactly, as the start of the word being typed, or
 * within a typo or two), and as a last resort titles sharing letter trigrams. Every posting list is ordered
 * most-popular-first, so "the most popular N of a set" is "the N smallest ranks".
 */
import { compactStartsWith, SMALL_WORDS } from "../normalize.js";
import { PREFIX_BUCKET, SHORT_PREFIX, shortPrefixCode, type SearchIndexData } from "./index-build.js";
import { maxTypos, NUMBER_TWIN, type QueryVariant } from "./query.js";
import { trigramCodes } from "./trigrams.js";
import { float64Array, int32Array } from "../index-arrays.js";

/** How many candidates one source may contribute, and how many reach the word-level scorer. */
const PREFIX_CANDIDATES = 50;
const TOKEN_CANDIDATES = 80;
/** A word whose postings exceed this is too common to select candidates on its own ("the", "love"). */
const COMMON_WORD_POSTINGS = 20_000;
/** Titles read for a word being typed, shared among the words it starts (less for one or two letters). */
const SHORT_WORD_POSTINGS = 2000;
const PARTIAL_WORD_POSTINGS = 8000;
/** A word this rare always selects candidates; a commoner one only when no word is much rarer. */
const TELLING_WORD_POSTINGS = 3000;
/** A longer prefix range is not read further (its most popular titles come first in the short-prefix lists). */
const PREFIX_SCAN_LIMIT = 20_000;
const FALLBACK_CANDIDATES = 40;
/** The fallback reads at most this many trigrams of the query, and this many titles of each. */
const FALLBACK_TRIGRAMS = 16;
const FALLBACK_POSTINGS = 4000;
/** Past this many vocabulary words sharing a prefix, a one- or two-letter last word selects nothing by itself. */
const PREFIX_EXPANSION_LIMIT = 400;

interface TokenExpansion {
  postings: Int32Array;
  weight: number;
}

/** The first index in a sorted array whose value is ≥ key. */
function lowerBound(sorted: readonly string[], key: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! < key) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * Marks per index entry, renewed per use without clearing the array: an entry is marked for the current use when its
 * mark equals the current stamp.
 */
export class Stamps {
  readonly marks: Int32Array;
  private current = 0;

  constructor(size: number) {
    this.marks = int32Array(size);
  }

  next(): number {
    this.current++;
    if (this.current === 0x7fffffff) {
      this.marks.fill(0);
      this.current = 1;
    }
    return this.current;
  }
}

export class CandidateFinder {
  /** Scratch arrays sized to the index, reused by every query (one query runs at a time in Node). */
  private readonly hitStamps: Stamps;
  private readonly hits: Float64Array;

  constructor(private readonly data: SearchIndexData) {
    this.hitStamps = new Stamps(data.originalIndex.length);
    this.hits = float64Array(data.originalIndex.length);
  }

  /**
   * The most popular titles whose compact form (or compact form after an article, or from the second word) starts with
   * what was typed.
   */
  prefix(compact: string): Iterable<number> {
    if (compact.length === 0) return [];
    if (compact.length <= SHORT_PREFIX) {
      const code = shortPrefixCode(compact, compact.length);
      const { ranks, starts } = this.data.shortPrefixes;
      return ranks.subarray(starts[code]!, starts[code + 1]!);
    }
    const bucket = this.data.prefixBuckets.get(shortPrefixCode(compact, PREFIX_BUCKET));
    if (!bucket) return [];
    const ranks: number[] = [];
    const end = Math.min(bucket.ranks.length, PREFIX_SCAN_LIMIT);
    for (let i = 0; i < end && ranks.length < PREFIX_CANDIDATES; i++) {
      const rank = bucket.ranks[i]!;
      if (
        compact.length === PREFIX_BUCKET ||
        compactStartsWith(this.data.normalized[rank]!, compact, bucket.starts[i])
      ) {
        ranks.push(rank);
      }
    }
    return ranks;
  }

  /** Titles sharing the most letter trigrams with the query, most popular first among equals. */
  byTrigrams(variant: QueryVariant): number[] {
    // The rarest trigrams carry the most information and cost the least; very common ones ("the") are read only
    // as far as their most popular titles.
    const grams = [...new Set(trigramCodes(variant.compact, !variant.lastIsPartial))]
      .map((code) => this.data.titleGrams.postings(code))
      .filter((ranks) => ranks.length > 0)
      .sort((a, b) => a.length - b.length)
      .slice(0, FALLBACK_TRIGRAMS);
    const stamp = this.hitStamps.next();
    const touched: number[] = [];
    let best = 0;
    for (const ranks of grams) {
      const length = Math.min(ranks.length, FALLBACK_POSTINGS);
      for (let i = 0; i < length; i++) {
        const rank = ranks[i]!;
        if (this.hitStamps.marks[rank] !== stamp) {
          this.hitStamps.marks[rank] = stamp;
          this.hits[rank] = 0;
          touched.push(rank);
        }
        const hits = this.hits[rank]! + 1;
        this.hits[rank] = hits;
        if (hits > best) best = hits;
      }
    }
    return this.mostHit(touched, best, FALLBACK_CANDIDATES, 1);
  }

  /**
   * Entries sharing words with the query — exactly, as a prefix of the word being typed, or within a typo or two —
   * most matching words first, most popular first among equals.
   */
  byWords(variant: QueryVariant): number[] {
    const perWord: { expansions: TokenExpansion[]; total: number; importance: number }[] = [];
    for (let i = 0; i < variant.tokens.length; i++) {
      const token = variant.tokens[i]!;
      const expansions = this.expandWord(token, i === variant.tokens.length - 1 && variant.lastIsPartial);
      let total = 0;
      for (const expansion of expansions) total += expansion.postings.length;
      // Small words ("a", "of") count as little here as in the scoring: a title sharing only "a" is no candidate.
      if (expansions.length > 0) perWord.push({ expansions, total, importance: SMALL_WORDS.has(token) ? 0.3 : 1 });
    }
    // Select on the telling words: a common word ("the") or a barely begun one ("w") adds thousands of titles and
    // almost no information when rarer words are there; the scorer still counts them.
    const rarest = perWord.reduce((min, word) => Math.min(min, word.total), Infinity);
    const expansionsPerWord = perWord
      .filter(({ total }) => total <= COMMON_WORD_POSTINGS && (total <= TELLING_WORD_POSTINGS || total <= 8 * rarest))
      .map(({ expansions, importance }) =>
        expansions.map(({ postings, weight }) => ({ postings, weight: weight * importance })),
      );
    if (expansionsPerWord.length === 0) {
      // Only common words ("the love"): their most popular titles are the best guess.
      for (const token of variant.tokens) {
        const id = this.data.wordIds.get(token);
        if (id !== undefined)
          expansionsPerWord.push([{ postings: this.data.postings.of(id).subarray(0, TOKEN_CANDIDATES), weight: 1 }]);
      }
    }

    const stamp = this.hitStamps.next();
    const touched: number[] = [];
    let best = 0;
    for (const expansions of expansionsPerWord) {
      const wordStamp = this.hitStamps.next();
      for (const { postings, weight } of expansions) {
        for (let i = 0; i < postings.length; i++) {
          const rank = postings[i]!;
          if (this.hitStamps.marks[rank]! < stamp) {
            this.hitStamps.marks[rank] = wordStamp;
            this.hits[rank] = weight;
            touched.push(rank);
          } else if (this.hitStamps.marks[rank] !== wordStamp) {
            // Expansions come best first, so a title matching two of them counts once, at the better weight.
            this.hitStamps.marks[rank] = wordStamp;
            this.hits[rank] = this.hits[rank]! + weight;
          }
          const hits = this.hits[rank]!;
          if (hits > best) best = hits;
        }
      }
    }
    return this.mostHit(touched, best, TOKEN_CANDIDATES, 0.25);
  }

  /**
   * The `wanted` touched entries with the most hits (in steps of `step`), ties to the most popular, without sorting
   * them all.
   */
  private mostHit(touched: number[], best: number, wanted: number, step: number): number[] {
    if (touched.length <= wanted) return touched;
    // One pass into levels of `step` hits, best level first; within a level the most popular (smallest rank) first.
    const levels: number[][] = [];
    const top = Math.floor(best / step + 1e-9);
    for (const rank of touched) {
      const level = top - Math.floor(this.hits[rank]! / step + 1e-9);
      (levels[level] ??= []).push(rank);
    }
    const chosen: number[] = [];
    for (const level of levels) {
      if (!level) continue;
      if (chosen.length + level.length > wanted) level.sort((a, b) => a - b);
      for (const rank of level) {
        if (chosen.length >= wanted) return chosen;
        chosen.push(rank);
      }
    }
    return chosen;
  }

  /** What a typed word may stand for in the vocabulary, each with the postings and how much a match is worth. */
  private expandWord(token: string, isPartial: boolean): TokenExpansion[] {
    const expansions: TokenExpansion[] = [];
    const exact = this.data.wordIds.get(token);
    if (exact !== undefined) expansions.push({ postings: this.data.postings.of(exact), weight: 1 });
    const twin = NUMBER_TWIN.get(token);
    const twinId = twin === undefined ? undefined : this.data.wordIds.get(twin);
    if (twinId !== undefined) expansions.push({ postings: this.data.postings.of(twinId), weight: 1 });

    let startsKnownWords = false;
    if (isPartial && token.length >= 1) {
      const from = lowerBound(this.data.vocabulary, token);
      let to = from;
      while (to < this.data.vocabulary.length && this.data.vocabulary[to]!.startsWith(token)) to++;
      startsKnownWords = to - from > (exact === undefined ? 0 : 1);
      if (token.length >= 3 || to - from <= PREFIX_EXPANSION_LIMIT) {
        // A barely begun word ("w", "ble") can start thousands of words: their most popular titles stand for them,
        // within a budget shared by all the words it starts.
        const cap = Math.max(
          2,
          Math.ceil((token.length <= 2 ? SHORT_WORD_POSTINGS : PARTIAL_WORD_POSTINGS) / Math.max(1, to - from)),
        );
        for (let id = from; id < to; id++) {
          if (id !== exact) expansions.push({ postings: this.data.postings.of(id).subarray(0, cap), weight: 0.9 });
        }
      }
    }

    // A word the catalog knows is most likely spelled as meant: look only one typo away (cheap). A word being typed
    // that already starts known words needs no search for typos in its start.
    const typos = exact === undefined ? maxTypos(token.length) : Math.min(1, maxTypos(token.length));
    if (typos > 0 && !/^\d+$/.test(token)) {
      for (const id of this.data.typos.similar(token, typos, isPartial && !startsKnownWords)) {
        if (id !== exact) expansions.push({ postings: this.data.postings.of(id), weight: 0.7 });
      }
    }
    return expansions;
  }
}
