import Fuse from "fuse.js";
import { isFilmYear } from "./film.js";
import { boundedEditDistance, boundedPrefixDistance } from "./edit-distance.js";
import { normalizeText, NUMBER_WORDS, SMALL_WORDS, tokenize, withoutLeadingArticle } from "./normalize.js";
import { type Steps, runSteps, runStepsWithPauses } from "./steps.js";
import {
  type IndexEntry,
  PREFIX_BUCKET,
  type PrefixBucket,
  SHORT_PREFIX,
  shortPrefixCode,
  type TitleIndexData,
  titleIndexSteps,
} from "./title-index-build.js";
import { trigramCodes, type TrigramPostings } from "./trigrams.js";
import type { TypoIndex } from "./typo-index.js";

export type { IndexEntry } from "./title-index-build.js";

/**
 * The search index in front of fuse.js. Plain fuse.js scores every title on every keystroke (≈ 1 s at 30k titles);
 * here an index picks a few hundred candidates in microseconds — by typed prefix, by word, by typo-tolerant word —
 * a word-level scorer ranks them, and fuse.js re-ranks the best few.
 *
 * Entries are renumbered by popularity ("rank": 0 is the most voted), so every posting list is already ordered
 * most-popular-first and "the most popular N of a set" is "the N smallest ranks".
 */
export interface TitleMatch {
  /** Position of the entry in the array given to the constructor. */
  index: number;
  /** Relevance in [0, 1]. */
  score: number;
}

export interface TitleSearchOptions {
  limit?: number;
  year?: number | undefined;
}

interface QueryVariant {
  tokens: string[];
  /** The last word may still be being typed. */
  lastIsPartial: boolean;
  /** A year the member typed after the title ("alice in wonderland 2010"). */
  yearHint: number | null;
  compact: string;
  normalized: string;
  /** Per typed word: title word → similarity, filled during this query. */
  wordCache: Map<string, number>[];
}

interface TokenExpansion {
  postings: Int32Array;
  weight: number;
}

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
/** Below this best score the query is treated as mangled, and letter trigrams bring more candidates. */
const WEAK_MATCH = 0.4;
const FALLBACK_CANDIDATES = 40;
/** The fallback reads at most this many trigrams of the query, and this many titles of each. */
const FALLBACK_TRIGRAMS = 16;
const FALLBACK_POSTINGS = 4000;
/** Relevance of a title that starts with what was typed, word for word or letter for letter (see lexicalScore). */
const PREFIX_RELEVANCE = 0.88;
const COMPACT_PREFIX_RELEVANCE = 0.86;
/** How many of the best-scored candidates fuse.js re-ranks. */
const FUSE_RERANK = 12;
/** Past this many vocabulary words sharing a prefix, a one- or two-letter last word selects nothing by itself. */
const PREFIX_EXPANSION_LIMIT = 400;

// Field-length norm off: among titles that all contain the query, fuse.js must not prefer the shorter one — the
// better-known one should win, and popularity is already in the score.
const FUSE_OPTIONS = {
  includeScore: true,
  ignoreLocation: true,
  ignoreFieldNorm: true,
  threshold: 0.6,
  isCaseSensitive: true,
} as const;

function maxTypos(length: number): number {
  if (length >= 6) return 2;
  if (length >= 4) return 1;
  return 0;
}

function isYearToken(token: string): boolean {
  if (token.length !== 4) return false;
  return isFilmYear(Number(token));
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
 * Numbers written both ways are the same word: "toy story two" finds Toy Story 2, "oceans 11" Ocean's Eleven (and
 * roman sequel numbers are digits already, see normalize.ts). Matched word for word, not as extra readings of the
 * query, which would double the cost of every query holding a number.
 */
const NUMBER_TWIN: ReadonlyMap<string, string> = new Map([
  ...NUMBER_WORDS.map((word, n): [string, string] => [word, String(n)]),
  ...NUMBER_WORDS.map((word, n): [string, string] => [String(n), word]),
]);

/**
 * Initials typed with dots or spaces are one word: "j.f.k." → "jfk", "e.t" → "et", "u s marshals" → "us marshals".
 * Titles keep "J.F.K."-style initials as single letters too, so this is an extra reading of the query, not a
 * replacement.
 */
function joinSingleLetters(tokens: readonly string[]): string[] {
  const joined: string[] = [];
  let run = "";
  for (const token of tokens) {
    if (token.length === 1 && token >= "a" && token <= "z") {
      run += token;
      continue;
    }
    if (run !== "") joined.push(run);
    run = "";
    joined.push(token);
  }
  if (run !== "") joined.push(run);
  return joined;
}

export class TitleIndex {
  private readonly size: number;
  /** rank → position in the constructor's array. */
  private readonly originalIndex: Int32Array;
  private readonly normalized: string[];
  private readonly compact: string[];
  private readonly words: string[][];
  private readonly years: Int32Array;
  /** log-scaled popularity in [0, 1]. */
  private readonly popularity: Float64Array;

  /**
   * Compact forms (no spaces) of each title — whole, after a leading article, from its second word — grouped by
   * their first PREFIX_BUCKET letters, most popular first: a typed prefix reads one group, no sorting needed.
   */
  private readonly prefixBuckets: Map<number, PrefixBucket>;
  /** Prefix code (see shortPrefixCode) → the most popular ranks starting so. */
  private readonly shortPrefixes: (Int32Array | undefined)[];

  /** Words, sorted, each with the ranks of the entries containing it. */
  private readonly vocabulary: string[];
  private readonly postings: Int32Array[];
  private readonly wordIds: Map<string, number>;
  private readonly typos: TypoIndex;
  /** Trigram of a title's compact form → ranks: the last resort for queries too mangled to share a word. */
  private readonly titleGrams: TrigramPostings;

  // Scratch arrays sized to the index, reused by every query (one query runs at a time in Node).
  private readonly seenStamp: Int32Array;
  private readonly hitStamp: Int32Array;
  private readonly hits: Float64Array;
  private stamp = 0;

  private constructor(data: TitleIndexData) {
    this.size = data.originalIndex.length;
    this.originalIndex = data.originalIndex;
    this.normalized = data.normalized;
    this.compact = data.compact;
    this.words = data.words;
    this.years = data.years;
    this.popularity = data.popularity;
    this.prefixBuckets = data.prefixBuckets;
    this.shortPrefixes = data.shortPrefixes;
    this.vocabulary = data.vocabulary;
    this.postings = data.postings;
    this.wordIds = data.wordIds;
    this.typos = data.typos;
    this.titleGrams = data.titleGrams;
    this.seenStamp = new Int32Array(this.size);
    this.hitStamp = new Int32Array(this.size);
    this.hits = new Float64Array(this.size);
  }

  /** Builds the index in one go. */
  static build(entries: readonly IndexEntry[]): TitleIndex {
    return new TitleIndex(runSteps(titleIndexSteps(entries)));
  }

  /** Builds the index in pieces, letting the event loop in between (see steps.ts). */
  static async buildWithPauses(entries: readonly IndexEntry[]): Promise<TitleIndex> {
    return new TitleIndex(await runStepsWithPauses(titleIndexSteps(entries)));
  }

  /** The steps of a build, for a caller that interleaves them with other work. */
  static *steps(entries: readonly IndexEntry[]): Steps<TitleIndex> {
    return new TitleIndex(yield* titleIndexSteps(entries));
  }

  /** Positions of the most popular entries. */
  popular(limit: number): number[] {
    return Array.from(this.originalIndex.subarray(0, Math.min(limit, this.size)));
  }

  search(query: string, options: TitleSearchOptions = {}): TitleMatch[] {
    const limit = Math.max(0, options.limit ?? 25);
    const variants = this.parseQuery(query);
    if (variants.length === 0 || limit === 0) return [];

    const run: SearchRun = { variants, year: options.year, seen: this.nextStamp(), scored: [] };
    for (const variant of variants) {
      this.scoreAll(run, this.prefixCandidates(variant.compact));
      this.scoreAll(run, this.wordCandidates(variant));
    }
    let strongest = 0;
    for (const entry of run.scored) if (entry.score > strongest) strongest = entry.score;
    if (strongest < WEAK_MATCH) {
      // Nothing convincing: fall back to letter-level similarity, which survives mangled words ("dnonie barsco").
      const before = run.scored.length;
      this.scoreAll(run, this.trigramCandidates(variants[0]!));
      this.liftWithFuse(run.scored, before, variants[0]!);
    }
    const scored = run.scored.sort(byScoreThenPopularity);
    this.rerankWithFuse(scored, variants[0]!);
    const matches: TitleMatch[] = [];
    for (let i = 0; i < scored.length && i < limit; i++) {
      const { rank, relevance } = scored[i]!;
      matches.push({
        index: this.originalIndex[rank]!,
        score: Math.round(Math.max(0, Math.min(1, relevance)) * 1000) / 1000,
      });
    }
    return matches;
  }

  private scoreAll(run: SearchRun, ranks: Iterable<number>): void {
    for (const rank of ranks) {
      if (this.seenStamp[rank] === run.seen) continue;
      this.seenStamp[rank] = run.seen;
      if (run.year !== undefined && this.years[rank] !== run.year) continue;
      let best = 0;
      let relevance = 0;
      for (const variant of run.variants) {
        const lexical = this.lexicalScore(rank, variant);
        const score = this.rankingScore(rank, variant, lexical);
        if (score > best) {
          best = score;
          relevance = lexical;
        }
      }
      if (best > 0) run.scored.push({ rank, score: best, relevance });
    }
  }

  // ---------------------------------------------------------------- querying

  private parseQuery(query: string): QueryVariant[] {
    const normalized = normalizeText(query.slice(0, 200));
    const tokens = tokenize(normalized);
    if (tokens.length === 0) return [];
    const lastIsPartial = !/[\s.)\]]$/.test(query);
    const variants = [queryVariant(tokens, null, lastIsPartial)];
    const last = tokens[tokens.length - 1]!;
    if (tokens.length > 1 && isYearToken(last)) {
      // "alice in wonderland 2010" is a title and a year, but "blade runner 2049" is a title: score both readings.
      variants.push(queryVariant(tokens.slice(0, -1), Number(last), false));
    } else if (tokens.length > 1 && lastIsPartial && /^(19|20|1[89]\d|20\d)$/.test(last)) {
      // A year being typed ("a night at the roxbury 19"): also read the query without it. Not for a lone digit,
      // which is more often a sequel number ("rush hour 2").
      variants.push(queryVariant(tokens.slice(0, -1), null, true));
    }
    const joined = joinSingleLetters(tokens);
    if (joined.length < tokens.length) variants.push(queryVariant(joined, null, lastIsPartial));
    return variants;
  }

  private nextStamp(): number {
    this.stamp++;
    if (this.stamp === 0x7fffffff) {
      this.seenStamp.fill(0);
      this.hitStamp.fill(0);
      this.stamp = 1;
    }
    return this.stamp;
  }

  /** The most popular titles whose compact form (or compact form after an article, or from the second word) starts with what was typed. */
  private prefixCandidates(compact: string): Iterable<number> {
    if (compact.length === 0) return [];
    if (compact.length <= SHORT_PREFIX) return this.shortPrefixes[shortPrefixCode(compact, compact.length)] ?? [];
    const bucket = this.prefixBuckets.get(shortPrefixCode(compact, PREFIX_BUCKET));
    if (!bucket) return [];
    const ranks: number[] = [];
    const end = Math.min(bucket.ranks.length, PREFIX_SCAN_LIMIT);
    for (let i = 0; i < end && ranks.length < PREFIX_CANDIDATES; i++) {
      if (compact.length === PREFIX_BUCKET || bucket.keys[i]!.startsWith(compact)) ranks.push(bucket.ranks[i]!);
    }
    return ranks;
  }

  /** Titles sharing the most letter trigrams with the query, most popular first among equals. */
  private trigramCandidates(variant: QueryVariant): number[] {
    // The rarest trigrams carry the most information and cost the least; very common ones ("the") are read only
    // as far as their most popular titles.
    const grams = [...new Set(trigramCodes(variant.compact, !variant.lastIsPartial))]
      .map((code) => this.titleGrams.postings(code))
      .filter((ranks) => ranks.length > 0)
      .sort((a, b) => a.length - b.length)
      .slice(0, FALLBACK_TRIGRAMS);
    const stamp = this.nextStamp();
    const touched: number[] = [];
    let best = 0;
    for (const ranks of grams) {
      const length = Math.min(ranks.length, FALLBACK_POSTINGS);
      for (let i = 0; i < length; i++) {
        const rank = ranks[i]!;
        if (this.hitStamp[rank] !== stamp) {
          this.hitStamp[rank] = stamp;
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
  private wordCandidates(variant: QueryVariant): number[] {
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
        const id = this.wordIds.get(token);
        if (id !== undefined)
          expansionsPerWord.push([{ postings: this.postings[id]!.subarray(0, TOKEN_CANDIDATES), weight: 1 }]);
      }
    }

    const stamp = this.nextStamp();
    const touched: number[] = [];
    let best = 0;
    for (const expansions of expansionsPerWord) {
      const wordStamp = this.nextStamp();
      for (const { postings, weight } of expansions) {
        for (let i = 0; i < postings.length; i++) {
          const rank = postings[i]!;
          if (this.hitStamp[rank]! < stamp) {
            this.hitStamp[rank] = wordStamp;
            this.hits[rank] = weight;
            touched.push(rank);
          } else if (this.hitStamp[rank] !== wordStamp) {
            // Expansions come best first, so a title matching two of them counts once, at the better weight.
            this.hitStamp[rank] = wordStamp;
            this.hits[rank] = this.hits[rank]! + weight;
          }
          const hits = this.hits[rank]!;
          if (hits > best) best = hits;
        }
      }
    }
    return this.mostHit(touched, best, TOKEN_CANDIDATES, 0.25);
  }

  /** The `wanted` touched entries with the most hits (in steps of `step`), ties to the most popular, without sorting them all. */
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
    const exact = this.wordIds.get(token);
    if (exact !== undefined) expansions.push({ postings: this.postings[exact]!, weight: 1 });
    const twin = NUMBER_TWIN.get(token);
    const twinId = twin === undefined ? undefined : this.wordIds.get(twin);
    if (twinId !== undefined) expansions.push({ postings: this.postings[twinId]!, weight: 1 });

    let startsKnownWords = false;
    if (isPartial && token.length >= 1) {
      const from = lowerBound(this.vocabulary, token);
      let to = from;
      while (to < this.vocabulary.length && this.vocabulary[to]!.startsWith(token)) to++;
      startsKnownWords = to - from > (exact === undefined ? 0 : 1);
      if (token.length >= 3 || to - from <= PREFIX_EXPANSION_LIMIT) {
        // A barely begun word ("w", "ble") can start thousands of words: their most popular titles stand for them,
        // within a budget shared by all the words it starts.
        const cap = Math.max(
          2,
          Math.ceil((token.length <= 2 ? SHORT_WORD_POSTINGS : PARTIAL_WORD_POSTINGS) / Math.max(1, to - from)),
        );
        for (let id = from; id < to; id++) {
          if (id !== exact) expansions.push({ postings: this.postings[id]!.subarray(0, cap), weight: 0.9 });
        }
      }
    }

    // A word the catalog knows is most likely spelled as meant: look only one typo away (cheap). A word being typed
    // that already starts known words needs no search for typos in its start.
    const typos = exact === undefined ? maxTypos(token.length) : Math.min(1, maxTypos(token.length));
    if (typos > 0 && !/^\d+$/.test(token)) {
      for (const id of this.typos.similar(token, typos, isPartial && !startsKnownWords)) {
        if (id !== exact) expansions.push({ postings: this.postings[id]!, weight: 0.7 });
      }
    }
    return expansions;
  }

  // ---------------------------------------------------------------- scoring

  /** The order of results: nine tenths how well the text matches, one tenth how well known the film is, and the year typed. */
  private rankingScore(rank: number, variant: QueryVariant, lexical: number): number {
    const yearBonus = variant.yearHint === null ? 0 : this.years[rank] === variant.yearHint ? 0.08 : -0.05;
    return lexical * 0.9 + this.popularity[rank]! * 0.1 + yearBonus;
  }

  /**
   * Bands, so that popularity (a tenth of the final score) orders films within a band but never across one:
   * 1 for the title itself; 0.99 for the same letters spaced differently ("spiderman"); 0.88 for titles the query is
   * the start of, where the best known should win; below, word-by-word overlap (exact > being typed > typo) and how
   * much of the title the query covers.
   */
  private lexicalScore(rank: number, variant: QueryVariant): number {
    const normalized = this.normalized[rank]!;
    const bare = withoutLeadingArticle(normalized);
    if (variant.normalized === normalized || variant.normalized === bare) return 1;
    const compact = this.compact[rank]!;
    const fewerWords = variant.tokens.length <= this.words[rank]!.length;
    if (fewerWords && (variant.compact === compact || variant.compact === bare.replace(/ /g, ""))) return 0.99;
    if (variant.lastIsPartial && (normalized.startsWith(variant.normalized) || bare.startsWith(variant.normalized)))
      return PREFIX_RELEVANCE;
    if (variant.lastIsPartial && variant.compact.length >= 4 && compact.startsWith(variant.compact))
      return COMPACT_PREFIX_RELEVANCE;
    return 0.86 * this.wordOverlapScore(this.words[rank]!, variant);
  }

  private wordOverlapScore(titleWords: readonly string[], variant: QueryVariant): number {
    let matchedTitleWords = 0; // bit j: title word j matched (titles past 31 words just lose a little coverage)
    let typedWeight = 0;
    let typedMatched = 0;
    let firstWordAligned = false;
    const tokens = variant.tokens;
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i]!;
      const importance = SMALL_WORDS.has(token) ? 0.3 : 1;
      typedWeight += importance;
      const match = bestWordMatch(
        token,
        titleWords,
        i === tokens.length - 1 && variant.lastIsPartial,
        variant.wordCache[i]!,
      );
      if (match.weight > 0) {
        typedMatched += importance * match.weight;
        matchedTitleWords |= 1 << match.position;
        if (match.spansNext) matchedTitleWords |= 1 << (match.position + 1);
        if (i === 0 && (match.position === 0 || (match.position === 1 && SMALL_WORDS.has(titleWords[0]!))))
          firstWordAligned = true;
      }
    }
    let titleWeight = 0;
    let titleMatched = 0;
    for (let j = 0; j < titleWords.length; j++) {
      const importance = SMALL_WORDS.has(titleWords[j]!) ? 0.3 : 1;
      titleWeight += importance;
      if (j < 31 && matchedTitleWords & (1 << j)) titleMatched += importance;
    }
    const typedCoverage = typedWeight > 0 ? typedMatched / typedWeight : 0;
    const titleCoverage = titleWeight > 0 ? titleMatched / titleWeight : 0;
    return 0.7 * typedCoverage + 0.24 * titleCoverage + (firstWordAligned ? 0.06 : 0);
  }

  /** fuse.js scores of the candidates' titles against the query (0 is a perfect match, 1 no match). */
  private fuseScores(entries: readonly ScoredRank[], variant: QueryVariant): number[] {
    const fuse = new Fuse(
      entries.map((entry) => this.normalized[entry.rank]!),
      FUSE_OPTIONS,
    );
    const scores = entries.map(() => 1);
    for (const result of fuse.search(variant.normalized)) scores[result.refIndex] = result.score ?? 1;
    return scores;
  }

  /** Fallback candidates (from `from` on) share no word with the query, so their word score says little: fuse.js judges them. */
  private liftWithFuse(scored: ScoredRank[], from: number, variant: QueryVariant): void {
    if (from >= scored.length || variant.normalized.length > 32) return;
    const fallback = scored.slice(from);
    const scores = this.fuseScores(fallback, variant);
    for (let i = 0; i < fallback.length; i++) {
      const entry = fallback[i]!;
      const similarity = 0.75 * (1 - scores[i]!);
      if (similarity > entry.relevance) entry.relevance = similarity;
      entry.score = Math.max(entry.score, similarity + 0.05 * this.popularity[entry.rank]!);
    }
  }

  /** fuse.js re-ranks the leading candidates: its approximate-substring score over the whole title breaks near-ties. */
  private rerankWithFuse(scored: ScoredRank[], variant: QueryVariant): void {
    const head = scored.slice(0, FUSE_RERANK);
    if (head.length < 2 || variant.normalized.length > 32) return;
    // When the best match is the title itself or starts with what was typed, the order is settled (exact first,
    // then the best known): an approximate-substring score has nothing to add, and costs a third of the query.
    if (head[0]!.relevance >= PREFIX_RELEVANCE) return;
    const scores = this.fuseScores(head, variant);
    for (let i = 0; i < head.length; i++) head[i]!.score = head[i]!.score * 0.92 + (1 - scores[i]!) * 0.08;
    head.sort(byScoreThenPopularity);
    scored.splice(0, head.length, ...head);
  }
}

interface ScoredRank {
  rank: number;
  /** What orders the results: relevance, popularity, year. */
  score: number;
  /** How well the text matches, in [0, 1] (1: the title itself): what callers see. */
  relevance: number;
}

function byScoreThenPopularity(a: ScoredRank, b: ScoredRank): number {
  return b.score - a.score || a.rank - b.rank;
}

function queryVariant(words: string[], yearHint: number | null, lastIsPartial: boolean): QueryVariant {
  return {
    tokens: words,
    lastIsPartial,
    yearHint,
    compact: words.join(""),
    normalized: words.join(" "),
    wordCache: words.map(() => new Map<string, number>()),
  };
}

interface SearchRun {
  variants: readonly QueryVariant[];
  year: number | undefined;
  seen: number;
  scored: ScoredRank[];
}

interface WordMatch {
  weight: number;
  position: number;
  /** The typed word covers this title word and the next ("spiderman" ↔ "spider man"). */
  spansNext: boolean;
}

/**
 * How well a typed word matches one title word, in [0, 1]: exact 1; the start of it (the word being typed) 0.85-0.95;
 * within a typo or two 0.75 / 0.55; a typo in what has been typed so far 0.7 / 0.5.
 */
function wordSimilarity(token: string, word: string, isPartial: boolean): number {
  if (word === token || NUMBER_TWIN.get(token) === word) return 1;
  if (word.startsWith(token))
    return isPartial ? 0.85 + 0.1 * (token.length / word.length) : 0.5 + 0.3 * (token.length / word.length);
  const typos = /^\d+$/.test(token) ? 0 : maxTypos(token.length);
  if (typos === 0) return 0;
  // A typo of the whole word beats a typo of its start: "sleper" is "sleeper" before "sleepers".
  const distance = boundedEditDistance(token, word, typos);
  if (distance <= typos) return distance === 1 ? 0.75 : 0.55;
  if (!isPartial) return 0;
  const prefixDistance = boundedPrefixDistance(token, word, typos);
  return prefixDistance > typos ? 0 : prefixDistance === 1 ? 0.7 : 0.5;
}

/** The title word a typed word matches best. `cache` holds this query's similarities by title word (titles share words). */
function bestWordMatch(
  token: string,
  titleWords: readonly string[],
  isPartial: boolean,
  cache: Map<string, number>,
): WordMatch {
  let weight = 0;
  let position = -1;
  let spansNext = false;
  for (let j = 0; j < titleWords.length; j++) {
    const word = titleWords[j]!;
    let similarity = cache.get(word);
    if (similarity === undefined) {
      similarity = wordSimilarity(token, word, isPartial);
      cache.set(word, similarity);
    }
    if (similarity > weight) {
      weight = similarity;
      position = j;
      spansNext = false;
      if (weight === 1) break;
    }
    const next = titleWords[j + 1];
    if (weight < 1 && next !== undefined && token.length >= 4 && token.length > word.length && token.startsWith(word)) {
      const joined = word + next;
      if (joined === token || (isPartial && joined.startsWith(token))) {
        weight = 1;
        position = j;
        spansNext = true;
        break;
      }
    }
  }
  return { weight, position, spansNext };
}
