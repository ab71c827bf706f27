/**
 * Building the title index's structures (see title-index.ts for how queries use them), as steps that yield every
 * few thousand entries so a reload can build a big catalog without holding the event loop (see steps.ts).
 *
 * Entries are renumbered by popularity ("rank": 0 is the most voted), so every list built here is ordered
 * most-popular-first.
 */
import { normalizeText, tokenize, withoutLeadingArticle } from "./normalize.js";
import { ITEMS_PER_STEP, type Steps } from "./steps.js";
import { TrigramPostings, trigramCodes } from "./trigrams.js";
import { TypoIndex } from "./typo-index.js";

export interface IndexEntry {
  text: string;
  /** Votes, or any measure where more means better known. */
  popularity: number;
  year: number | null;
}

/** Prefixes this short are answered from precomputed popular lists instead of the prefix groups. */
export const SHORT_PREFIX = 3;
const SHORT_PREFIX_LIST = 40;
const SHORT_PREFIX_CODES = 38 ** SHORT_PREFIX;
/** Typed prefixes of this many letters or more are looked up in groups keyed by their first letters. */
export const PREFIX_BUCKET = 4;

/** A distinct number for each prefix of up to 4 characters of [a-z0-9] (digits 1..36, so lengths differ). */
export function shortPrefixCode(text: string, length: number): number {
  let code = 0;
  for (let i = 0; i < length; i++) {
    const char = text.charCodeAt(i);
    const digit = char >= 97 ? char - 96 : char - 48 + 27;
    code = code * 38 + digit;
  }
  return code;
}

export interface PrefixBucket {
  ranks: number[];
  keys: string[];
}

export interface TitleIndexData {
  /** rank → position in the entries given to the build. */
  originalIndex: Int32Array;
  normalized: string[];
  compact: string[];
  words: string[][];
  years: Int32Array;
  /** log-scaled popularity in [0, 1]. */
  popularity: Float64Array;
  /**
   * Compact forms (no spaces) of each title — whole, after a leading article, from its second word — grouped by
   * their first PREFIX_BUCKET letters, most popular first: a typed prefix reads one group, no sorting needed.
   */
  prefixBuckets: Map<number, PrefixBucket>;
  /** Prefix code (see shortPrefixCode) → the most popular ranks starting so. */
  shortPrefixes: (Int32Array | undefined)[];
  /** Words, sorted, each with the ranks of the entries containing it. */
  vocabulary: string[];
  postings: Int32Array[];
  wordIds: Map<string, number>;
  typos: TypoIndex;
  /** Trigram of a title's compact form → ranks: the last resort for queries too mangled to share a word. */
  titleGrams: TrigramPostings;
}

interface Forms {
  normalized: string[];
  compact: string[];
  words: string[][];
}

export function* titleIndexSteps(entries: readonly IndexEntry[]): Steps<TitleIndexData> {
  const byPopularity = entries
    .map((_, i) => i)
    .sort((a, b) => entries[b]!.popularity - entries[a]!.popularity || a - b);
  yield;
  const size = entries.length;
  const maxPopularity = Math.log1p(entries.reduce((max, entry) => Math.max(max, entry.popularity), 1));
  const forms: Forms = { normalized: [], compact: [], words: [] };
  const years = new Int32Array(size);
  const popularity = new Float64Array(size);
  for (let rank = 0; rank < size; rank++) {
    const entry = entries[byPopularity[rank]!]!;
    const normalized = normalizeText(entry.text);
    forms.normalized.push(normalized);
    forms.compact.push(normalized.replace(/ /g, ""));
    forms.words.push(tokenize(normalized));
    years[rank] = entry.year ?? 0;
    popularity[rank] = Math.log1p(Math.max(0, entry.popularity)) / maxPopularity;
    if (rank % ITEMS_PER_STEP === 0) yield;
  }
  const prefixBuckets = yield* prefixBucketSteps(forms);
  const shortPrefixes = yield* shortPrefixSteps(forms);
  const { vocabulary, postings, wordIds } = yield* wordPostingSteps(forms);
  const typos = new TypoIndex(vocabulary);
  yield;
  const titleGrams = new TrigramPostings(size, (rank, out) => trigramCodes(forms.compact[rank]!, true, out));
  yield;
  return {
    originalIndex: Int32Array.from(byPopularity),
    ...forms,
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

/** The compact form after a leading article ("thematrix" → "matrix"). */
function bareCompact(forms: Forms, rank: number): string {
  const normalized = forms.normalized[rank]!;
  const bare = withoutLeadingArticle(normalized);
  return bare === normalized ? forms.compact[rank]! : bare.replace(/ /g, "");
}

function* prefixBucketSteps(forms: Forms): Steps<Map<number, PrefixBucket>> {
  const buckets = new Map<number, PrefixBucket>();
  const add = (key: string, rank: number): void => {
    if (key.length < PREFIX_BUCKET) return;
    const code = shortPrefixCode(key, PREFIX_BUCKET);
    let bucket = buckets.get(code);
    if (!bucket) buckets.set(code, (bucket = { ranks: [], keys: [] }));
    bucket.ranks.push(rank);
    bucket.keys.push(key);
  };
  for (let rank = 0; rank < forms.compact.length; rank++) {
    const compact = forms.compact[rank]!;
    const bare = bareCompact(forms, rank);
    const fromSecondWord = compact.slice((forms.words[rank]![0] ?? "").length);
    add(compact, rank);
    if (bare !== compact) add(bare, rank);
    if (fromSecondWord !== bare) add(fromSecondWord, rank);
    if (rank % ITEMS_PER_STEP === 0) yield;
  }
  return buckets;
}

/** Every prefix of up to SHORT_PREFIX letters → its most popular entries, so a first keystroke costs nothing. */
function* shortPrefixSteps(forms: Forms): Steps<(Int32Array | undefined)[]> {
  const lists: (number[] | undefined)[] = Array.from({ length: SHORT_PREFIX_CODES }, () => undefined);
  const add = (code: number, rank: number): void => {
    const list = (lists[code] ??= []);
    if (list.length < SHORT_PREFIX_LIST) list.push(rank);
  };
  for (let rank = 0; rank < forms.compact.length; rank++) {
    const compact = forms.compact[rank]!;
    const bare = bareCompact(forms, rank);
    for (let length = 1; length <= SHORT_PREFIX; length++) {
      const first = length <= compact.length ? shortPrefixCode(compact, length) : -1;
      const second = length <= bare.length ? shortPrefixCode(bare, length) : -1;
      if (first >= 0) add(first, rank);
      if (second >= 0 && second !== first) add(second, rank);
    }
    if (rank % ITEMS_PER_STEP === 0) yield;
  }
  return lists.map((list) => (list ? Int32Array.from(list) : undefined));
}

function* wordPostingSteps(forms: Forms): Steps<{ vocabulary: string[]; postings: Int32Array[]; wordIds: Map<string, number> }> {
  const byWord = new Map<string, number[]>();
  for (let rank = 0; rank < forms.words.length; rank++) {
    for (const word of forms.words[rank]!) {
      const list = byWord.get(word);
      if (!list) byWord.set(word, [rank]);
      else if (list[list.length - 1] !== rank) list.push(rank); // a word twice in one title counts once
    }
    if (rank % ITEMS_PER_STEP === 0) yield;
  }
  const vocabulary = [...byWord.keys()].sort();
  yield;
  const wordIds = new Map<string, number>();
  const postings = vocabulary.map((word, id) => {
    wordIds.set(word, id);
    return Int32Array.from(byWord.get(word)!);
  });
  return { vocabulary, postings, wordIds };
}
