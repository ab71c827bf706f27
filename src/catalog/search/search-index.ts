/**
 * The search index of the catalog's titles and of its people's names, in front of fuse.js. Plain fuse.js scores every
 * title on every keystroke; here candidates are picked from prebuilt structures (candidates.ts), a word-level scorer
 * ranks them (ranking.ts), and fuse.js re-ranks the best few.
 *
 * Entries are renumbered by popularity ("rank": 0 is the most voted), so every posting list is already ordered
 * most-popular-first and "the most popular N of a set" is "the N smallest ranks".
 */
import { ITEMS_PER_STEP, runSteps, runStepsWithPauses, type Steps } from "../steps.js";
import { CandidateFinder, Stamps } from "./candidates.js";
import { type IndexEntry, type SearchIndexData, searchIndexSteps } from "./index-build.js";
import { parseQuery, type QueryVariant } from "./query.js";
import { byScoreThenPopularity, Ranking, type ScoredRank } from "./ranking.js";
import { uint8Array } from "../index-arrays.js";

export type { IndexEntry } from "./index-build.js";

export interface SearchMatch {
  /** The group matched (see IndexEntry.group): by default, the position of the entry in the array given to the build. */
  index: number;
  /** Relevance in [0, 1]; 1 is the text itself. */
  score: number;
  /** Position of the entry (the name) that matched best. */
  entry: number;
}

export interface SearchIndexOptions {
  limit?: number;
  /** Only entries of this year. */
  year?: number | undefined;
}

/** Up to this many popular groups are chosen with a Set; more with marks in a typed array. */
const SMALL_POPULAR_LIMIT = 1000;

function maxOf(values: Int32Array): number {
  let max = 0;
  for (const value of values) if (value > max) max = value;
  return max;
}

/** Below this best score the query is treated as mangled, and letter trigrams bring more candidates. */
const WEAK_MATCH = 0.4;

interface SearchRun {
  variants: readonly QueryVariant[];
  year: number | undefined;
  seen: number;
  scored: ScoredRank[];
}

export class SearchIndex {
  private readonly data: SearchIndexData;
  private readonly candidates: CandidateFinder;
  private readonly ranking: Ranking;
  /** Which entries a query has scored already. */
  private readonly seen: Stamps;

  private constructor(data: SearchIndexData) {
    this.data = data;
    this.candidates = new CandidateFinder(data);
    this.ranking = new Ranking(data);
    this.seen = new Stamps(data.originalIndex.length);
  }

  /** Builds the index in one go. */
  static build(entries: readonly IndexEntry[]): SearchIndex {
    return new SearchIndex(runSteps(searchIndexSteps(entries)));
  }

  /** Builds the index in pieces, letting the event loop in between (see steps.ts). */
  static async buildWithPauses(entries: readonly IndexEntry[]): Promise<SearchIndex> {
    return new SearchIndex(await runStepsWithPauses(searchIndexSteps(entries)));
  }

  /** The steps of a build, for a caller that interleaves them with other work. */
  static *steps(entries: readonly IndexEntry[]): Steps<SearchIndex> {
    return new SearchIndex(yield* searchIndexSteps(entries));
  }

  /** The most popular groups (see IndexEntry.group). */
  popular(limit: number): number[] {
    return runSteps(this.popularSteps(limit));
  }

  /** The same, in steps (see steps.ts): the catalog's list by votes takes every group, hundreds of thousands. */
  *popularSteps(limit: number): Steps<number[]> {
    const chosen: number[] = [];
    const { groups } = this.data;
    // Marks in a typed array for many groups cost a fraction of a Set's.
    const marks = limit > SMALL_POPULAR_LIMIT ? uint8Array(maxOf(groups) + 1) : undefined;
    const seen = new Set<number>();
    for (let rank = 0; rank < groups.length && chosen.length < limit; rank++) {
      const group = groups[rank]!;
      if (rank % ITEMS_PER_STEP === ITEMS_PER_STEP - 1) yield;
      if (marks === undefined ? seen.has(group) : marks[group] === 1) continue;
      if (marks === undefined) seen.add(group);
      else marks[group] = 1;
      chosen.push(group);
    }
    return chosen;
  }

  search(query: string, options: SearchIndexOptions = {}): SearchMatch[] {
    const limit = Math.max(0, options.limit ?? 25);
    const variants = parseQuery(query);
    if (variants.length === 0 || limit === 0) return [];

    const run: SearchRun = { variants, year: options.year, seen: this.seen.next(), scored: [] };
    for (const variant of variants) {
      this.scoreAll(run, this.candidates.prefix(variant.compact));
      this.scoreAll(run, this.candidates.byWords(variant));
    }
    let strongest = 0;
    for (const entry of run.scored) if (entry.score > strongest) strongest = entry.score;
    if (strongest < WEAK_MATCH) {
      // Nothing convincing: fall back to letter-level similarity, which survives mangled words ("dnonie barsco").
      const before = run.scored.length;
      this.scoreAll(run, this.candidates.byTrigrams(variants[0]!));
      this.ranking.liftWithFuse(run.scored, before, variants[0]!);
    }
    const scored = run.scored.sort(byScoreThenPopularity);
    this.ranking.rerankWithFuse(scored, variants[0]!);
    const matches: SearchMatch[] = [];
    const answered = new Set<number>();
    for (let i = 0; i < scored.length && matches.length < limit; i++) {
      const { rank, relevance } = scored[i]!;
      // One answer per group, by its best-ranked name.
      const group = this.data.groups[rank]!;
      if (answered.has(group)) continue;
      answered.add(group);
      matches.push({
        index: group,
        score: Math.round(Math.max(0, Math.min(1, relevance)) * 1000) / 1000,
        entry: this.data.originalIndex[rank]!,
      });
    }
    return matches;
  }

  private scoreAll(run: SearchRun, ranks: Iterable<number>): void {
    const seen = this.seen.marks;
    for (const rank of ranks) {
      if (seen[rank] === run.seen) continue;
      seen[rank] = run.seen;
      if (run.year !== undefined && this.data.years[rank] !== run.year) continue;
      let best = 0;
      let relevance = 0;
      const weight = this.data.weights[rank]!;
      for (const variant of run.variants) {
        const lexical = this.ranking.lexicalScore(rank, variant) * weight;
        const score = this.ranking.rankingScore(rank, variant, lexical);
        if (score > best) {
          best = score;
          relevance = lexical;
        }
      }
      if (best > 0) run.scored.push({ rank, score: best, relevance });
    }
  }
}
