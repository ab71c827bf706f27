/**
 * "Films like this one", from the catalog alone: what two films share — directors, cast, genres — and how close they
 * are in era and rating, with a little weight on how well known a film is, so that the list is worth reading.
 *
 * Why it is built at load: scoring every film against one would read 300,000 films per button press. Instead each
 * film's people and genres are already numbered (people.ts, genres.ts), and this index adds, per genre and decade, the
 * best-known films of that genre and decade. A press then only reads a few thousand candidates: the films of the film's
 * directors and top-billed cast (each person's list read up to PERSON_FANOUT films) and the genre-and-decade lists of
 * its genres around its decade (each at most GENRE_ERA_CAP films), then scores those. The candidates are gathered with
 * preallocated typed arrays and a generation stamp per film, so a press allocates next to nothing; what scoring reads
 * of a candidate (year, rating, popularity, genres as a bit mask) sits in one 16-byte record, so that a candidate
 * costs one cache miss rather than one per array.
 *
 * Keywords would fit as one more shared feature, but the film record has none (yet).
 */
import { type FilmSummary, MAX_FILM_YEAR, MIN_FILM_YEAR, votesOf } from "./film.js";
import type { Genres } from "./genres.js";
import type { People } from "./people.js";
import { ITEMS_PER_STEP, runSteps, type Steps } from "./steps.js";
import { float32Array, int32Array, int32ArraySteps } from "./index-arrays.js";

/** A film like the one asked about, with what they share (ids into the catalog's people and genres). */
export interface SimilarFilm {
  /** Index into the films the index was built from. */
  index: number;
  score: number;
  /** People who directed both films. */
  directors: number[];
  /** People in both films otherwise: acting in both, or directing one and acting in the other. */
  cast: number[];
  genres: number[];
}

/** Cast members of the film asked about whose films are candidates: the top billed, not the extras. */
const TOP_BILLED = 8;
/** Films read per person: a prolific actor's 600 films are sampled evenly, not all read. */
const PERSON_FANOUT = 100;
/**
 * Credits up to which sharing a person counts in full; beyond, it counts less and less (1 / (1 + log2(films / this))):
 * sharing an actor credited on 3,000 films says little about two of them.
 */
const COMMON_CREDITS = 50;
/** The best-known films kept per genre and decade. */
const GENRE_ERA_CAP = 120;
/** Below this many candidates from the film's people and decades (a small catalog), other eras' films join in. */
const FEW_CANDIDATES = 100;
/** Room for every candidate the lists above can give (a few thousand); more are not scored. */
const MAX_CANDIDATES = 8192;
const ERA_YEARS = 10;
const ERA_SLOTS = Math.ceil((MAX_FILM_YEAR - MIN_FILM_YEAR + 1) / ERA_YEARS);
/** The per-genre list of the best-known films of any era (for a film without a year). */
const ANY_ERA = ERA_SLOTS;

// The score's weights. A shared director says the most; a shared genre set about as much; a shared actor less (casts
// are long and actors work across genres); era and rating separate films that share the same things.
const DIRECTOR_WEIGHT = 3;
/** Shared directors counted at most (co-directors): two. */
const MAX_DIRECTOR_LINKS = 2;
const CAST_WEIGHT = 1;
/** Shared cast counted at most: three, so that an ensemble does not outweigh everything else. */
const MAX_CAST_LINKS = 3;
/** Times the genre overlap (shared genres over genres of either, 0 to 1). */
const GENRE_WEIGHT = 3;
/** A film sharing no one qualifies with at least this genre overlap: one genre in three. */
const MIN_GENRE_OVERLAP = 0.33;
const ERA_WEIGHT = 1;
/** Years apart at which era closeness reaches 0. */
const ERA_SPAN = 25;
const RATING_WEIGHT = 1;
/** Rating points apart at which rating closeness reaches 0. */
const RATING_SPAN = 3;
const POPULARITY_WEIGHT = 0.5;
/** Votes at which popularity counts in full (log scale): a million. */
const POPULARITY_FULL = 6;

/** Film f's record is features[4f .. 4f + 4): year (0 unknown), rating (NaN unknown), popularity in [0, 1], genres. */
const RECORD = 4;
const YEAR = 0;
const RATING = 1;
const POPULARITY = 2;
/** Int32 view: bit g set for genre g, when the catalog has at most 32 genres (real ones have about 25). */
const GENRE_MASK = 3;
const MASKABLE_GENRES = 32;

export class SimilarIndex {
  private readonly people: People;
  private readonly genres: Genres;
  private readonly filmCount: number;
  /** Per film, its record (see RECORD), as floats and, for the genre mask, as integers: two views of one buffer. */
  private readonly features: Float32Array;
  private readonly featureBits: Int32Array;
  /** Whether genre masks hold every genre; otherwise shared genres are counted from the genre lists. */
  private readonly masked: boolean;
  /** Each film's genres (see Genres.filmGenreTable). */
  private readonly genreStarts: Int32Array;
  private readonly genreIds: Int32Array;
  /** Bucket b = genre × (ERA_SLOTS + 1) + era slot: bucketFilms[bucketStarts[b] .. bucketStarts[b + 1]), best known first. */
  private readonly bucketStarts: Int32Array;
  private readonly bucketFilms: Int32Array;
  // Scratch space of a query: films seen in this query have seen[f] === stamp.
  private readonly seen: Int32Array;
  private stamp = 0;
  /** Per candidate f: links[2f] the shared directors, links[2f + 1] the shared cast, each weighed (COMMON_CREDITS). */
  private readonly links: Float32Array;
  private readonly candidates = int32Array(MAX_CANDIDATES);
  private candidateCount = 0;

  private constructor(parts: SimilarParts) {
    this.people = parts.people;
    this.genres = parts.genres;
    this.filmCount = parts.features.length / RECORD;
    this.features = parts.features;
    this.featureBits = new Int32Array(parts.features.buffer);
    this.masked = parts.genres.size <= MASKABLE_GENRES;
    this.genreStarts = parts.genres.filmGenreTable.starts;
    this.genreIds = parts.genres.filmGenreTable.ids;
    this.bucketStarts = parts.bucketStarts;
    this.bucketFilms = parts.bucketFilms;
    this.seen = int32Array(this.filmCount);
    this.links = float32Array(this.filmCount * 2);
  }

  static build(
    films: readonly FilmSummary[],
    people: People,
    genres: Genres,
    byVotes: ArrayLike<number>,
  ): SimilarIndex {
    return runSteps(SimilarIndex.steps(films, people, genres, byVotes));
  }

  /** Built in steps (see steps.ts). `byVotes`: film indexes, most votes first (the search index has them). */
  static *steps(
    films: readonly FilmSummary[],
    people: People,
    genres: Genres,
    byVotes: ArrayLike<number>,
  ): Steps<SimilarIndex> {
    const count = films.length;
    const features = float32Array(count * RECORD);
    const featureBits = new Int32Array(features.buffer);
    const { starts: genreStarts, ids: genreIds } = genres.filmGenreTable;
    for (let f = 0; f < count; f++) {
      const film = films[f]!;
      features[f * RECORD + YEAR] = film.year ?? 0;
      features[f * RECORD + RATING] = film.rating?.score ?? Number.NaN;
      features[f * RECORD + POPULARITY] = Math.min(1, Math.log10(1 + votesOf(film)) / POPULARITY_FULL);
      let mask = 0;
      for (let k = genreStarts[f]!; k < genreStarts[f + 1]!; k++)
        if (genreIds[k]! < MASKABLE_GENRES) mask |= 1 << genreIds[k]!;
      featureBits[f * RECORD + GENRE_MASK] = mask;
      if (f % ITEMS_PER_STEP === ITEMS_PER_STEP - 1) yield;
    }
    // Two passes over the films by votes: count each bucket's films (up to the cap), then fill the buckets, so each
    // bucket holds its best-known films without sorting anything.
    const buckets = genres.size * (ERA_SLOTS + 1);
    const sizes = int32Array(buckets);
    // In steps too: a pass over 300,000 films and their genres holds the event loop for a noticeable pause.
    const visit = function* (place: (bucket: number, film: number) => void): Steps<void> {
      for (let rank = 0; rank < byVotes.length; rank++) {
        const f = byVotes[rank]!;
        const era = eraSlot(features[f * RECORD + YEAR]!);
        for (let k = genreStarts[f]!; k < genreStarts[f + 1]!; k++) {
          const base = genreIds[k]! * (ERA_SLOTS + 1);
          if (era !== ANY_ERA) place(base + era, f);
          place(base + ANY_ERA, f);
        }
        if (rank % ITEMS_PER_STEP === ITEMS_PER_STEP - 1) yield;
      }
    };
    yield* visit((bucket) => {
      if (sizes[bucket]! < GENRE_ERA_CAP) sizes[bucket]!++;
    });
    yield;
    const bucketStarts = int32Array(buckets + 1);
    for (let b = 0; b < buckets; b++) bucketStarts[b + 1] = bucketStarts[b]! + sizes[b]!;
    // Written at random (by bucket): touched in steps first (see index-arrays.ts).
    const bucketFilms = yield* int32ArraySteps(bucketStarts[buckets]!);
    const filled = int32Array(buckets);
    yield* visit((bucket, film) => {
      if (filled[bucket]! < sizes[bucket]!) bucketFilms[bucketStarts[bucket]! + filled[bucket]!++] = film;
    });
    return new SimilarIndex({ people, genres, features, bucketStarts, bucketFilms });
  }

  /** Up to `limit` films like the film at `filmIndex`, most alike first; none when it shares nothing with any. */
  similar(filmIndex: number, limit: number): SimilarFilm[] {
    if (!Number.isInteger(filmIndex) || filmIndex < 0 || filmIndex >= this.filmCount || limit <= 0) return [];
    this.startQuery();
    this.gatherByPeople(filmIndex);
    this.gatherByGenres(filmIndex);
    return this.best(filmIndex, limit).map((entry) => this.describe(filmIndex, entry.film, entry.score));
  }

  private startQuery(): void {
    this.candidateCount = 0;
    if (this.stamp === 0x7fffffff) {
      this.seen.fill(0);
      this.stamp = 0;
    }
    this.stamp++;
  }

  /** Makes `film` a candidate (once per query); false when there is no room left. */
  private consider(film: number, asked: number): boolean {
    if (film === asked) return true;
    if (this.seen[film] === this.stamp) return true;
    if (this.candidateCount === MAX_CANDIDATES) return false;
    this.seen[film] = this.stamp;
    this.links[film * 2] = 0;
    this.links[film * 2 + 1] = 0;
    this.candidates[this.candidateCount++] = film;
    return true;
  }

  /** The films of the asked film's directors and top-billed cast, counting who links them. */
  private gatherByPeople(asked: number): void {
    const { starts, people, directorCounts } = this.people.creditTable;
    const first = starts[asked]!;
    const directors = directorCounts[asked]!;
    const end = Math.min(starts[asked + 1]!, first + directors + TOP_BILLED);
    for (let k = first; k < end; k++) {
      const person = people[k]!;
      const directed = k < first + directors;
      const films = this.people.filmsOf(person);
      const weight = 1 / (1 + Math.log2(Math.max(1, films.length / COMMON_CREDITS)));
      const reads = Math.min(films.length, PERSON_FANOUT);
      for (let r = 0; r < reads; r++) {
        const film = films[reads === films.length ? r : Math.floor((r * films.length) / reads)]!;
        if (film === asked || !this.consider(film, asked)) continue;
        this.links[film * 2 + (directed && directs(people, starts, directorCounts, person, film) ? 0 : 1)]! += weight;
      }
    }
  }

  /**
   * The best-known films of the asked film's genres, in its decade and the two around it; of any era too when that
   * gives few (a small catalog), or for a film without a year.
   */
  private gatherByGenres(asked: number): void {
    const era = eraSlot(this.features[asked * RECORD + YEAR]!);
    const eras = era === ANY_ERA ? [] : [era, era - 1, era + 1].filter((slot) => slot >= 0 && slot < ERA_SLOTS);
    if (!this.gatherFromBuckets(asked, eras)) return;
    if (eras.length === 0 || this.candidateCount < FEW_CANDIDATES) this.gatherFromBuckets(asked, [ANY_ERA]);
  }

  /** Candidates from the asked film's genres in these era slots; false once there is no room for more. */
  private gatherFromBuckets(asked: number, eras: readonly number[]): boolean {
    const { genreStarts: starts, genreIds: ids } = this;
    for (const slot of eras) {
      for (let k = starts[asked]!; k < starts[asked + 1]!; k++) {
        const bucket = ids[k]! * (ERA_SLOTS + 1) + slot;
        for (let i = this.bucketStarts[bucket]!; i < this.bucketStarts[bucket + 1]!; i++) {
          if (!this.consider(this.bucketFilms[i]!, asked)) return false;
        }
      }
    }
    return true;
  }

  /** The `limit` best-scoring candidates, best first (ties: better known, then load order). */
  private best(asked: number, limit: number): { film: number; score: number }[] {
    const { features, featureBits, links, candidates } = this;
    const year = features[asked * RECORD + YEAR]!;
    const rating = features[asked * RECORD + RATING]!;
    const askedMask = featureBits[asked * RECORD + GENRE_MASK]!;
    const top: { film: number; score: number }[] = [];
    let floor = -Infinity;
    for (let c = 0; c < this.candidateCount; c++) {
      const film = candidates[c]!;
      const record = film * RECORD;
      const directorLinks = links[film * 2]!;
      const castLinks = links[film * 2 + 1]!;
      const overlap = this.masked
        ? maskOverlap(askedMask, featureBits[record + GENRE_MASK]!)
        : this.listOverlap(asked, film);
      if (directorLinks === 0 && castLinks === 0 && overlap < MIN_GENRE_OVERLAP) continue;
      const otherYear = features[record + YEAR]!;
      const era = year !== 0 && otherYear !== 0 ? Math.max(0, 1 - Math.abs(year - otherYear) / ERA_SPAN) : 0;
      const otherRating = features[record + RATING]!;
      // NaN (an unrated film) makes the closeness NaN, and Math.max(0, NaN) is NaN: hence the explicit test.
      const closeness =
        rating === rating && otherRating === otherRating ? 1 - Math.abs(rating - otherRating) / RATING_SPAN : 0;
      const score =
        DIRECTOR_WEIGHT * Math.min(directorLinks, MAX_DIRECTOR_LINKS) +
        CAST_WEIGHT * Math.min(castLinks, MAX_CAST_LINKS) +
        GENRE_WEIGHT * overlap +
        ERA_WEIGHT * era +
        RATING_WEIGHT * Math.max(0, closeness) +
        POPULARITY_WEIGHT * features[record + POPULARITY]!;
      // Most candidates fall below the current tenth: one comparison, nothing allocated.
      if (score < floor) continue;
      if (top.length === limit && !this.ranksAbove(film, score, top[limit - 1]!)) continue;
      let at = top.length === limit ? limit - 1 : top.length;
      while (at > 0 && this.ranksAbove(film, score, top[at - 1]!)) at--;
      if (top.length === limit) top.pop();
      top.splice(at, 0, { film, score });
      if (top.length === limit) floor = top[limit - 1]!.score;
    }
    return top;
  }

  /** Shared genres over the genres of either film, from the genre lists (a catalog with more genres than a mask holds). */
  private listOverlap(asked: number, film: number): number {
    const { genreStarts: starts, genreIds: ids } = this;
    let shared = 0;
    let a = starts[asked]!;
    let b = starts[film]!;
    const aEnd = starts[asked + 1]!;
    const bEnd = starts[film + 1]!;
    // Both lists are ascending: one merge.
    while (a < aEnd && b < bEnd) {
      const x = ids[a]!;
      const y = ids[b]!;
      if (x === y) {
        shared++;
        a++;
        b++;
      } else if (x < y) a++;
      else b++;
    }
    const union = aEnd - starts[asked]! + (bEnd - starts[film]!) - shared;
    return union === 0 ? 0 : shared / union;
  }

  private ranksAbove(film: number, score: number, other: { film: number; score: number }): boolean {
    if (score !== other.score) return score > other.score;
    const popularity = this.features[film * RECORD + POPULARITY]!;
    const otherPopularity = this.features[other.film * RECORD + POPULARITY]!;
    return popularity !== otherPopularity ? popularity > otherPopularity : film < other.film;
  }

  /** What the asked film and `film` share, for the answer to say why it is listed. */
  private describe(asked: number, film: number, score: number): SimilarFilm {
    const askedPeople = this.people.peopleOf(asked);
    const askedDirectors = askedPeople.subarray(0, this.people.directorCountOf(asked));
    const otherPeople = this.people.peopleOf(film);
    const otherDirectors = otherPeople.subarray(0, this.people.directorCountOf(film));
    const directors: number[] = [];
    const cast: number[] = [];
    for (const person of askedPeople.subarray(0, askedDirectors.length + TOP_BILLED)) {
      if (!otherPeople.includes(person)) continue;
      if (askedDirectors.includes(person) && otherDirectors.includes(person)) directors.push(person);
      else cast.push(person);
    }
    const otherGenres = this.genres.genresOfFilm(film);
    const genres = Array.from(this.genres.genresOfFilm(asked)).filter((genre) => otherGenres.includes(genre));
    return { index: film, score, directors, cast, genres };
  }
}

interface SimilarParts {
  people: People;
  genres: Genres;
  features: Float32Array;
  bucketStarts: Int32Array;
  bucketFilms: Int32Array;
}

/** Shared genres over the genres of either film, from two genre masks. */
function maskOverlap(a: number, b: number): number {
  const union = bitCount(a | b);
  return union === 0 ? 0 : bitCount(a & b) / union;
}

function bitCount(bits: number): number {
  let v = bits - ((bits >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

/** The decade slot of a year; ANY_ERA for an unknown (0) or impossible one. */
function eraSlot(year: number): number {
  if (year < MIN_FILM_YEAR || year > MAX_FILM_YEAR) return ANY_ERA;
  return Math.floor((year - MIN_FILM_YEAR) / ERA_YEARS);
}

/** Whether `person` is among the directors of `film` (a film has one or two: a scan). */
function directs(
  people: Int32Array,
  starts: Int32Array,
  directorCounts: Int32Array,
  person: number,
  film: number,
): boolean {
  const first = starts[film]!;
  for (let k = first; k < first + directorCounts[film]!; k++) if (people[k] === person) return true;
  return false;
}
