/**
 * Building the search index's structures (see search-index.ts for how queries use them), as steps that yield every
 * few thousand entries so a reload can build a big catalog without holding the event loop (see steps.ts).
 *
 * Entries are renumbered by popularity ("rank": 0 is the most voted), so every list built here is ordered
 * most-popular-first.
 */
import { leadingArticleLength, normalizeText, tokenize } from "../normalize.js";
import { ITEMS_PER_STEP, sortedSteps, sortedStringSteps, type Steps } from "../steps.js";
import { TrigramPostings, trigramCodes } from "./trigrams.js";
import { ShardedMap } from "../sharded-map.js";
import { groupByKeySteps } from "../typed-arrays.js";
import { TypoIndex } from "./typo-index.js";
import { float64Array, int32Array, int32ArrayOfSteps, int32ArraySteps } from "../index-arrays.js";

export interface IndexEntry {
  text: string;
  /** normalizeText(text), when the caller has it already. */
  normalized?: string;
  /** Votes, or any measure where more means better known. */
  popularity: number;
  year: number | null;
  /**
   * What the entry names, when several entries name one thing (a film's title, its alternate titles, its title with
   * elided articles apart): searches answer each group once, by its best name. Default: the entry's own position.
   */
  group?: number;
  /** How much a match on this name counts, in (0, 1]: alternate titles rank a little below the title. Default 1. */
  weight?: number;
}

/** Prefixes this short are answered from precomputed popular lists instead of the prefix groups. */
export const SHORT_PREFIX = 3;
const SHORT_PREFIX_LIST = 40;
const SHORT_PREFIX_CODES = 38 ** SHORT_PREFIX;
/** Typed prefixes of this many letters or more are looked up in groups keyed by their first letters. */
export const PREFIX_BUCKET = 4;

/**
 * A distinct number for each prefix of up to 4 characters of [a-z0-9] (digits 1..36, so lengths differ): of `text`,
 * or of its part from `from` on; `text` must hold `length` such characters there.
 */
export function shortPrefixCode(text: string, length: number, from = 0): number {
  let code = 0;
  // Spaces are skipped: a normalized title's code is its compact form's ("the matrix" as "thematrix").
  for (let i = from, taken = 0; taken < length; i++) {
    const char = text.charCodeAt(i);
    if (char === 32) continue;
    const digit = char >= 97 ? char - 96 : char - 48 + 27;
    code = code * 38 + digit;
    taken++;
  }
  return code;
}

/**
 * The titles of one group: entry `ranks[i]` by its compact form from `starts[i]` on — whole (0), after a leading
 * article, or from its second word; `starts[i]` is a place in the normalized text, where that part starts (see
 * compactStartsWith). Places, not strings of their own: at 300,000 titles with alternate titles, those were two
 * million strings for every collection to visit.
 */
export interface PrefixBucket {
  ranks: number[];
  starts: number[];
}

/** The ranks of prefix code c (see shortPrefixCode) are ranks[starts[c] .. starts[c + 1]), most popular first. */
export interface ShortPrefixLists {
  ranks: Int32Array;
  starts: Int32Array;
}

export interface SearchIndexData {
  /** rank → position in the entries given to the build. */
  originalIndex: Int32Array;
  /** rank → the entry's group (see IndexEntry.group). */
  groups: Int32Array;
  /** rank → the entry's weight (see IndexEntry.weight). */
  weights: Float64Array;
  /** The normalized text of each entry; its compact form (no spaces) is read in place (see compactStartsWith). */
  normalized: string[];
  /**
   * The words of each entry, in order (a word twice, twice), as places in `vocabulary`: those of rank r are
   * entryWords[entryWordStarts[r] .. entryWordStarts[r + 1]). Not an array of strings per entry: millions of small
   * arrays and strings, for every collection to visit, where the vocabulary holds each word once.
   */
  entryWords: Int32Array;
  entryWordStarts: Int32Array;
  years: Int32Array;
  /** log-scaled popularity in [0, 1]. */
  popularity: Float64Array;
  /**
   * Compact forms (no spaces) of each title — whole, after a leading article, from its second word — grouped by
   * their first PREFIX_BUCKET letters, most popular first: a typed prefix reads one group, no sorting needed.
   */
  prefixBuckets: Map<number, PrefixBucket>;
  /** Prefix code (see shortPrefixCode) → the most popular ranks starting so. */
  shortPrefixes: ShortPrefixLists;
  /** Words, sorted, each with the ranks of the entries containing it. */
  vocabulary: string[];
  postings: WordPostings;
  wordIds: ShardedMap<number>;
  typos: TypoIndex;
  /** Trigram of a title's compact form → ranks: the last resort for queries too mangled to share a word. */
  titleGrams: TrigramPostings;
}

interface Forms {
  normalized: string[];
  /** The length of each entry's compact form (its normalized text without spaces). */
  compactLengths: Int32Array;
  /**
   * How many words each entry has. The words themselves are split where they are read: kept for every entry through
   * the build, they were millions of arrays and strings outliving the young generation, for nothing.
   */
  wordCounts: Int32Array;
  /**
   * Where the text after a leading article starts ("the matrix" → 3: the space, skipped as compact forms are read);
   * 0 without one.
   */
  bareStarts: Int32Array;
}

export function* searchIndexSteps(entries: readonly IndexEntry[]): Steps<SearchIndexData> {
  const byPopularity = yield* mostPopularFirst(entries);
  yield;
  const size = entries.length;
  const maxPopularity = Math.log1p(entries.reduce((max, entry) => Math.max(max, entry.popularity), 1));
  const forms: Forms = {
    normalized: [],
    compactLengths: int32Array(size),
    wordCounts: int32Array(size),
    bareStarts: int32Array(size),
  };
  const years = int32Array(size);
  const popularity = float64Array(size);
  const groups = int32Array(size);
  const weights = float64Array(size);
  for (let rank = 0; rank < size; rank++) {
    const position = byPopularity[rank]!;
    const entry = entries[position]!;
    groups[rank] = entry.group ?? position;
    weights[rank] = entry.weight ?? 1;
    const normalized = entry.normalized ?? normalizeText(entry.text);
    let spaces = 0;
    for (let at = normalized.indexOf(" "); at >= 0; at = normalized.indexOf(" ", at + 1)) spaces++;
    forms.normalized.push(normalized);
    // As tokenize splits: words between single spaces, none in an empty text.
    forms.compactLengths[rank] = normalized.length - spaces;
    forms.wordCounts[rank] = normalized === "" ? 0 : spaces + 1;
    forms.bareStarts[rank] = leadingArticleLength(normalized);
    years[rank] = entry.year ?? 0;
    popularity[rank] = Math.log1p(Math.max(0, entry.popularity)) / maxPopularity;
    if (rank % ITEMS_PER_STEP === 0) yield;
  }
  const prefixBuckets = yield* prefixBucketSteps(forms);
  const shortPrefixes = yield* shortPrefixSteps(forms);
  const { vocabulary, postings, wordIds, entryWords, entryWordStarts } = yield* wordPostingSteps(forms);
  const typos = yield* TypoIndex.steps(vocabulary);
  yield;
  // Spaces do not break a run of trigrams: the codes of the normalized text are those of its compact form.
  const titleGrams = yield* TrigramPostings.steps(size, (rank, out) =>
    trigramCodes(forms.normalized[rank]!, true, out),
  );
  const originalIndex = yield* int32ArrayOfSteps(byPopularity);
  return {
    originalIndex,
    groups,
    weights,
    normalized: forms.normalized,
    entryWords,
    entryWordStarts,
    years,
    popularity,
    prefixBuckets,
    shortPrefixes,
    vocabulary,
    postings,
    wordIds,
    typos,
    titleGrams,
  };
}

/** Positions up to this can be packed with a popularity in one float64 sort key. */
const POSITION_SPACE = 2 ** 21;
const POPULARITY_SPACE = 2 ** 32;

/**
 * Entry positions by popularity, most first, ties in entry order. When popularities are whole numbers below 2^32
 * (vote counts), each (popularity, position) pair is packed into one float64 and the lot sorted as numbers: ten times
 * faster than a sort with a comparator at 100,000 entries.
 */
function* mostPopularFirst(entries: readonly IndexEntry[]): Steps<number[]> {
  const packable =
    entries.length < POSITION_SPACE &&
    entries.every(({ popularity }) => Number.isInteger(popularity) && popularity >= 0 && popularity < POPULARITY_SPACE);
  if (!packable) {
    return entries.map((_, i) => i).sort((a, b) => entries[b]!.popularity - entries[a]!.popularity || a - b);
  }
  const keys = float64Array(entries.length);
  for (let i = 0; i < entries.length; i++) {
    keys[i] = (POPULARITY_SPACE - 1 - entries[i]!.popularity) * POSITION_SPACE + i;
    if (i % (ITEMS_PER_STEP * 16) === 0) yield;
  }
  yield* sortedSteps(keys);
  const positions: number[] = [];
  for (let i = 0; i < keys.length; i++) {
    positions.push(keys[i]! % POSITION_SPACE);
    if (i % (ITEMS_PER_STEP * 8) === 0) yield;
  }
  return positions;
}

function* prefixBucketSteps(forms: Forms): Steps<Map<number, PrefixBucket>> {
  const buckets = new Map<number, PrefixBucket>();
  // A start is never past the first space, so the letters before it are `start` many.
  const add = (normalized: string, start: number, rank: number): void => {
    if (forms.compactLengths[rank]! - start < PREFIX_BUCKET) return;
    const code = shortPrefixCode(normalized, PREFIX_BUCKET, start);
    let bucket = buckets.get(code);
    if (!bucket) buckets.set(code, (bucket = { ranks: [], starts: [] }));
    bucket.ranks.push(rank);
    bucket.starts.push(start);
  };
  for (let rank = 0; rank < forms.normalized.length; rank++) {
    const normalized = forms.normalized[rank]!;
    const bare = forms.bareStarts[rank]!;
    const space = normalized.indexOf(" ");
    const secondWord = space < 0 ? normalized.length : space;
    add(normalized, 0, rank);
    if (bare !== 0) add(normalized, bare, rank);
    if (secondWord !== bare) add(normalized, secondWord, rank);
    if (rank % ITEMS_PER_STEP === 0) yield;
  }
  return buckets;
}

/**
 * Every prefix of up to SHORT_PREFIX letters → its most popular entries, so a first keystroke costs nothing: one flat
 * array, read in two passes (count, then fill), rather than an array per prefix (tens of thousands of them).
 */
function* shortPrefixSteps(forms: Forms): Steps<ShortPrefixLists> {
  const counts = int32Array(SHORT_PREFIX_CODES);
  const starts = int32Array(SHORT_PREFIX_CODES + 1);
  // Each entry's codes: of its compact form, and of its compact form after a leading article when that differs.
  const eachCode = (rank: number, use: (code: number) => void): void => {
    const normalized = forms.normalized[rank]!;
    const compactLength = forms.compactLengths[rank]!;
    const bare = forms.bareStarts[rank]!;
    for (let length = 1; length <= SHORT_PREFIX; length++) {
      const first = length <= compactLength ? shortPrefixCode(normalized, length) : -1;
      const second = length <= compactLength - bare ? shortPrefixCode(normalized, length, bare) : -1;
      if (first >= 0) use(first);
      if (second >= 0 && second !== first) use(second);
    }
  };
  const count = (code: number): void => {
    if (counts[code]! < SHORT_PREFIX_LIST) counts[code]!++;
  };
  for (let rank = 0; rank < forms.normalized.length; rank++) {
    eachCode(rank, count);
    if (rank % ITEMS_PER_STEP === 0) yield;
  }
  for (let code = 0; code < SHORT_PREFIX_CODES; code++) starts[code + 1] = starts[code]! + counts[code]!;
  yield;
  // Written at random (by prefix): touched in steps first (see index-arrays.ts).
  const ranks = yield* int32ArraySteps(starts[SHORT_PREFIX_CODES]!);
  counts.fill(0);
  for (let rank = 0; rank < forms.normalized.length; rank++) {
    eachCode(rank, (code) => {
      if (counts[code]! < SHORT_PREFIX_LIST) ranks[starts[code]! + counts[code]!++] = rank;
    });
    if (rank % ITEMS_PER_STEP === 0) yield;
  }
  return { ranks, starts };
}

/**
 * The ranks of the entries holding each word of the vocabulary, most popular first: one flat array and where each
 * word's run starts, rather than a typed-array view per word (hundreds of thousands of objects in a big catalog).
 */
export class WordPostings {
  constructor(
    private readonly ranks: Int32Array,
    private readonly offsets: Int32Array,
  ) {}

  /** The ranks holding word `place` of the vocabulary (a view: made when asked for). */
  of(place: number): Int32Array {
    return this.ranks.subarray(this.offsets[place]!, this.offsets[place + 1]!);
  }
}

interface WordIndex {
  vocabulary: string[];
  postings: WordPostings;
  wordIds: ShardedMap<number>;
  entryWords: Int32Array;
  entryWordStarts: Int32Array;
}

function* wordPostingSteps(forms: Forms): Steps<WordIndex> {
  // (word, rank) pairs in flat typed arrays, grouped by a counting sort: no growing array per word.
  const idOfWord = new ShardedMap<number>();
  const words: string[] = [];
  const lastRank: number[] = [];
  let pairs = 0;
  for (const count of forms.wordCounts) pairs += count;
  const pairWord = int32Array(pairs);
  const pairRank = int32Array(pairs);
  const entryWords = int32Array(pairs);
  const entries = forms.normalized.length;
  const entryWordStarts = int32Array(entries + 1);
  let entryWordCount = 0;
  pairs = 0;
  for (let rank = 0; rank < entries; rank++) {
    entryWordStarts[rank] = entryWordCount;
    for (const word of tokenize(forms.normalized[rank]!)) {
      let id = idOfWord.get(word);
      if (id === undefined) {
        id = words.length;
        idOfWord.set(word, id);
        words.push(word);
        lastRank.push(-1);
      }
      entryWords[entryWordCount++] = id;
      if (lastRank[id] === rank) continue; // a word twice in one title counts once
      lastRank[id] = rank;
      pairWord[pairs] = id;
      pairRank[pairs] = rank;
      pairs++;
    }
    if (rank % ITEMS_PER_STEP === 0) yield;
  }
  // Vocabulary in sorted order (the default sort's: a comparator costs twice as much); `sortedId[id]` is a word's
  // place in it.
  const vocabulary = yield* sortedStringSteps(words);
  yield;
  const wordIds = new ShardedMap<number>();
  for (let place = 0; place < vocabulary.length; place++) {
    wordIds.set(vocabulary[place]!, place);
    if (place % ITEMS_PER_STEP === ITEMS_PER_STEP - 1) yield;
  }
  const sortedId = int32Array(words.length);
  for (let id = 0; id < words.length; id++) {
    sortedId[id] = wordIds.get(words[id]!)!;
    if (id % ITEMS_PER_STEP === ITEMS_PER_STEP - 1) yield;
  }
  entryWordStarts[entries] = entryWordCount;
  for (let i = 0; i < pairs; i++) {
    pairWord[i] = sortedId[pairWord[i]!]!;
    if (i % (ITEMS_PER_STEP * 16) === 0) yield;
  }
  for (let i = 0; i < entryWordCount; i++) {
    entryWords[i] = sortedId[entryWords[i]!]!;
    if (i % (ITEMS_PER_STEP * 16) === 0) yield;
  }
  // Pairs were made in rank order, so each word's ranks come out ascending (most popular first).
  const { offsets, grouped: ranks } = yield* groupByKeySteps(pairWord, pairRank, pairs, words.length);
  yield;
  return { vocabulary, postings: new WordPostings(ranks, offsets), wordIds, entryWords, entryWordStarts };
}
