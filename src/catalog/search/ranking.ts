/**
 * Ranking the candidates, in bands so that popularity orders films within a band but never lifts one across: the
 * title itself › titles that start with the query › word-by-word overlap (exact › being typed › typo), then fuse.js's
 * approximate-substring score to break near-ties among the leaders and to judge last-resort candidates.
 */
import Fuse from "fuse.js";
import { compactEquals, compactStartsWith, SMALL_WORDS, withoutLeadingArticle } from "../normalize.js";
import { boundedEditDistance, boundedPrefixDistance } from "./edit-distance.js";
import type { SearchIndexData } from "./index-build.js";
import { maxTypos, NUMBER_TWIN, type QueryVariant } from "./query.js";

/** Relevance of a title that starts with what was typed, word for word or letter for letter (see lexicalScore). */
const PREFIX_RELEVANCE = 0.88;
const COMPACT_PREFIX_RELEVANCE = 0.86;
/** How many of the best-scored candidates fuse.js re-ranks. */
const FUSE_RERANK = 12;

// Field-length norm off: among titles that all contain the query, fuse.js must not prefer the shorter one — the
// better-known one should win, and popularity is already in the score.
const FUSE_OPTIONS = {
  includeScore: true,
  ignoreLocation: true,
  ignoreFieldNorm: true,
  threshold: 0.6,
  isCaseSensitive: true,
} as const;

export interface ScoredRank {
  rank: number;
  /** What orders the results: relevance, popularity, year. */
  score: number;
  /** How well the text matches, in [0, 1] (1: the title itself): what callers see. */
  relevance: number;
}

export function byScoreThenPopularity(a: ScoredRank, b: ScoredRank): number {
  return b.score - a.score || a.rank - b.rank;
}

export class Ranking {
  constructor(private readonly data: SearchIndexData) {}

  /**
   * The order of results: nine tenths how well the text matches, one tenth how well known the film is, and the year
   * typed.
   */
  rankingScore(rank: number, variant: QueryVariant, lexical: number): number {
    const yearBonus = variant.yearHint === null ? 0 : this.data.years[rank] === variant.yearHint ? 0.08 : -0.05;
    return lexical * 0.9 + this.data.popularity[rank]! * 0.1 + yearBonus;
  }

  /**
   * Bands, so that popularity (a tenth of the final score) orders films within a band but never across one:
   * 1 for the title itself; 0.99 for the same letters spaced differently ("spiderman"); 0.88 for titles the query is
   * the start of, where the best known should win; below, word-by-word overlap (exact > being typed > typo) and how
   * much of the title the query covers.
   */
  lexicalScore(rank: number, variant: QueryVariant): number {
    const normalized = this.data.normalized[rank]!;
    const bare = withoutLeadingArticle(normalized);
    if (variant.normalized === normalized || variant.normalized === bare) return 1;
    const fewerWords = variant.tokens.length <= this.data.entryWordStarts[rank + 1]! - this.data.entryWordStarts[rank]!;
    if (
      fewerWords &&
      (compactEquals(normalized, variant.compact) ||
        (bare !== normalized && compactEquals(normalized, variant.compact, normalized.length - bare.length)))
    )
      return 0.99;
    if (variant.lastIsPartial && (normalized.startsWith(variant.normalized) || bare.startsWith(variant.normalized)))
      return PREFIX_RELEVANCE;
    if (variant.lastIsPartial && variant.compact.length >= 4 && compactStartsWith(normalized, variant.compact))
      return COMPACT_PREFIX_RELEVANCE;
    return 0.86 * this.wordOverlapScore(rank, variant);
  }

  private wordOverlapScore(rank: number, variant: QueryVariant): number {
    const titleWords = new EntryWords(this.data, rank);
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
        // The query starts where the title does. A leading small word ("the") alone says little: the next word
        // must follow it there too ("the light" is not the start of "The Charge of the Light Brigade").
        if (i === 0 && (match.position === 0 || (match.position === 1 && SMALL_WORDS.has(titleWords.at(0)!))))
          firstWordAligned = !SMALL_WORDS.has(token) || tokens.length === 1;
        else if (i === 1 && SMALL_WORDS.has(tokens[0]!) && match.position <= 2 && matchedTitleWords & 1)
          firstWordAligned = true;
      }
    }
    let titleWeight = 0;
    let titleMatched = 0;
    for (let j = 0; j < titleWords.length; j++) {
      const importance = SMALL_WORDS.has(titleWords.at(j)!) ? 0.3 : 1;
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
      entries.map((entry) => this.data.normalized[entry.rank]!),
      FUSE_OPTIONS,
    );
    const scores = entries.map(() => 1);
    for (const result of fuse.search(variant.normalized)) scores[result.refIndex] = result.score ?? 1;
    return scores;
  }

  /**
   * Fallback candidates (from `from` on) share no word with the query, so their word score says little: fuse.js judges
   * them.
   */
  liftWithFuse(scored: ScoredRank[], from: number, variant: QueryVariant): void {
    if (from >= scored.length || variant.normalized.length > 32) return;
    const fallback = scored.slice(from);
    const scores = this.fuseScores(fallback, variant);
    for (let i = 0; i < fallback.length; i++) {
      const entry = fallback[i]!;
      const similarity = 0.75 * (1 - scores[i]!);
      if (similarity > entry.relevance) entry.relevance = similarity;
      entry.score = Math.max(entry.score, similarity + 0.05 * this.data.popularity[entry.rank]!);
    }
  }

  /** fuse.js re-ranks the leading candidates: its approximate-substring score over the whole title breaks near-ties. */
  rerankWithFuse(scored: ScoredRank[], variant: QueryVariant): void {
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

/** The words of one index entry, read from the index's flat arrays (see SearchIndexData.entryWords). */
class EntryWords {
  private readonly start: number;
  readonly length: number;

  constructor(
    private readonly data: SearchIndexData,
    rank: number,
  ) {
    this.start = data.entryWordStarts[rank]!;
    this.length = data.entryWordStarts[rank + 1]! - this.start;
  }

  /** Word `j`, or undefined past the last. */
  at(j: number): string | undefined {
    return j < this.length ? this.data.vocabulary[this.data.entryWords[this.start + j]!] : undefined;
  }
}

/**
 * The title word a typed word matches best. `cache` holds this query's similarities by title word (titles share words).
 */
function bestWordMatch(
  token: string,
  titleWords: EntryWords,
  isPartial: boolean,
  cache: Map<string, number>,
): WordMatch {
  let weight = 0;
  let position = -1;
  let spansNext = false;
  for (let j = 0; j < titleWords.length; j++) {
    const word = titleWords.at(j)!;
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
    const next = titleWords.at(j + 1);
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
