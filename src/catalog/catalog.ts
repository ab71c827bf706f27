import { isDeepStrictEqual } from "node:util";
import { type Film, type FilmSummary, isAdultRated, votesOf } from "./film.js";
import { type GenreCount, Genres } from "./genres.js";
import { normalizeText, searchVariants } from "./normalize.js";
import {
  filmDetails,
  KeptFilm,
  type LoadedFilm,
  normalizedTitleOf,
  recordRichness,
  triviaCountOf,
} from "./pages/page-film.js";
import { People } from "./people.js";
import { ShardedMap } from "./sharded-map.js";
import { SimilarIndex } from "./similar.js";
import { ITEMS_PER_STEP, runSteps, runStepsWithPauses, sortedSteps, type Steps } from "./steps.js";
import { isConvincingMatch, judgeFilmMatches } from "./search/match-rules.js";
import { type IndexEntry, SearchIndex, type SearchMatch } from "./search/search-index.js";
import { float64Array, int32ArrayOfSteps } from "./index-arrays.js";

export interface FilmMatch {
  film: FilmSummary;
  /** Relevance in [0, 1]; 1 is an exact title match. */
  score: number;
  /** The other title of the film that matched ("Amélie" for Le Fabuleux destin d'Amélie Poulain), or null. */
  alias: string | null;
}

/** What free text names; see Catalog.resolve. */
export type FilmResolution =
  | { verdict: "answer"; film: FilmSummary }
  | { verdict: "ask"; matches: FilmMatch[]; missingYear: number | null }
  | { verdict: "none"; matches: FilmMatch[] };

export interface PersonMatch {
  name: string;
  score: number;
  filmCount: number;
}

export interface PersonCredit {
  film: FilmSummary;
  directed: boolean;
  starred: boolean;
  /** Characters played, from the cast list (may be empty even when in the cast). */
  roles: string[];
  inCast: boolean;
}

export interface Person {
  name: string;
  /** Newest first; films without a year last. */
  credits: PersonCredit[];
}

export interface SearchOptions {
  limit?: number;
  /** Only films of this year. */
  year?: number;
}

/** What /top ranks: films of this year, of this genre (a name, as Catalog.genre takes it), none rated for adults. */
export interface TopFilter {
  year?: number;
  genre?: string;
  /** Leave out films rated for adults in this region (see isAdultRated). */
  noAdultIn?: string;
}

export interface RandomFilter extends TopFilter {
  minRating?: number;
}

/** A film like another (see Catalog.similar), with what the two share. */
export interface SimilarMatch {
  film: FilmSummary;
  score: number;
  /** Who directed both. */
  directors: string[];
  /** Who is in both otherwise (acting in both, or directing one and acting in the other). */
  cast: string[];
  genres: string[];
}

/** A random source in [0, 1): Math.random in production, a seeded one in tests. */
export type Rng = () => number;

/**
 * An immutable, indexed set of films. A reload builds a new Catalog and swaps the reference, so a lookup in
 * flight always sees one whole catalog.
 *
 * The index and the lists hold film summaries (title, year, rating: what labels, rankings and filters read); the
 * whole record of one film comes from `details(id)`, which for a film kept as its page parses the page.
 */
export class Catalog {
  private readonly loaded: readonly LoadedFilm[];
  readonly builtAt: Date;
  /** Film id → its index in `loaded` (the indexes' numbering); sharded (see ShardedMap). */
  private readonly indexById: ShardedMap<number>;
  private readonly titles: SearchIndex;
  /** Title index entry → which alternate title of its film it is, or -1 for the title itself. */
  private readonly aliasOfEntry: Int32Array;
  private readonly people: People;
  private readonly peopleIndex: SearchIndex;
  /** Films by votes, most first. */
  private readonly byVotes: readonly LoadedFilm[];
  private readonly withTrivia: readonly LoadedFilm[];
  private readonly genreIndex: Genres;
  private readonly similarIndex: SimilarIndex;

  private constructor(parts: CatalogParts) {
    this.loaded = parts.films;
    this.builtAt = new Date();
    this.indexById = parts.indexById;
    this.withTrivia = parts.withTrivia;
    this.titles = parts.titles;
    this.aliasOfEntry = parts.aliasOfEntry;
    this.byVotes = parts.byVotes;
    this.people = parts.people;
    this.peopleIndex = parts.peopleIndex;
    this.genreIndex = parts.genres;
    this.similarIndex = parts.similar;
  }

  /** Builds the catalog in one go (at start, in the CLI, in tests). */
  static build(films: readonly LoadedFilm[]): Catalog {
    return new Catalog(runSteps(catalogSteps(films)));
  }

  /**
   * Builds the catalog in slices, letting the event loop in between: a reload of a big catalog takes seconds,
   * during which the bot keeps answering interactions.
   */
  static async buildWithPauses(films: readonly LoadedFilm[], sliceMs?: number): Promise<Catalog> {
    return new Catalog(await runStepsWithPauses(catalogSteps(films), sliceMs));
  }

  get size(): number {
    return this.loaded.length;
  }

  /**
   * Whether a catalog built from `films` would be this one: the same films in the same order — a film kept as bytes is
   * the very object this catalog holds (a reload keeps each film that did not change as it was), a record merged or
   * read on the main thread is equal field for field. A reload that finds so keeps this catalog rather than building
   * a second, identical one. In steps (see steps.ts).
   */
  *sameFilmsSteps(films: readonly LoadedFilm[]): Steps<boolean> {
    if (films.length !== this.loaded.length) return false;
    for (let i = 0; i < films.length; i++) {
      const film = films[i]!;
      const current = this.loaded[i]!;
      const kept = film instanceof KeptFilm || current instanceof KeptFilm;
      if (kept ? film !== current : !isDeepStrictEqual(film, current)) return false;
      if (i % ITEMS_PER_STEP === ITEMS_PER_STEP - 1) yield;
    }
    return true;
  }

  /** Every film, in load order. */
  get films(): readonly FilmSummary[] {
    return this.loaded;
  }

  /** The film with this id, as the lists hold it. */
  get(id: string): FilmSummary | undefined {
    return this.loadedFilm(id);
  }

  /** The whole record of the film with this id. */
  details(id: string): Film | undefined {
    const film = this.loadedFilm(id);
    return film === undefined ? undefined : filmDetails(film);
  }

  private loadedFilm(id: string): LoadedFilm | undefined {
    const index = this.indexById.get(id);
    return index === undefined ? undefined : this.loaded[index];
  }

  /** Films whose title matches what a member typed, best first. */
  search(query: string, options: SearchOptions = {}): FilmMatch[] {
    const limit = options.limit ?? 25;
    return this.titles.search(query, { limit, year: options.year }).map((match: SearchMatch) => {
      const film = this.loaded[match.index]!;
      const alias = film.alternateTitles[this.aliasOfEntry[match.entry]!] ?? null;
      return { film, score: match.score, alias };
    });
  }

  /**
   * What free text a member sent names: one film for sure, several it could be (the convincing matches, best first,
   * up to `limit`), or nothing close (`matches` then holds the closest, for suggestions). The bot and the CLI answer
   * with this; the rules are in match-rules.ts.
   */
  resolve(query: string, options: SearchOptions = {}): FilmResolution {
    const matches = this.search(query, options);
    const { verdict, missingYear } = judgeFilmMatches(query, matches, { yearOption: options.year !== undefined });
    if (verdict === "answer") return { verdict, film: matches[0]!.film };
    if (verdict === "ask")
      return { verdict, matches: matches.filter((match) => isConvincingMatch(match.score)), missingYear };
    return { verdict, matches };
  }

  /** Most-voted films, for an empty autocomplete and as suggestions. */
  popular(limit: number): FilmSummary[] {
    return this.byVotes.slice(0, limit);
  }

  searchPeople(query: string, limit = 25): PersonMatch[] {
    return this.peopleIndex.search(query, { limit }).map((match) => this.personMatch(match.index, match.score));
  }

  /** People credited on the most-voted films, for an empty autocomplete. */
  popularPeople(limit: number): PersonMatch[] {
    return this.peopleIndex.popular(limit).map((id) => this.personMatch(id, 1));
  }

  /** A person's filmography by name (spelling, case and accents aside), newest first. */
  person(name: string): Person | undefined {
    const id = this.people.idOf(name);
    if (id === undefined) return undefined;
    const key = normalizeText(this.people.names[id]!);
    const credits = Array.from(this.people.filmsOf(id), (filmIndex) => creditOf(this.loaded[filmIndex]!, key));
    credits.sort(
      (a, b) => (b.film.year ?? -Infinity) - (a.film.year ?? -Infinity) || a.film.title.localeCompare(b.film.title),
    );
    return { name: this.people.names[id]!, credits };
  }

  private personMatch(id: number, score: number): PersonMatch {
    return { name: this.people.names[id]!, score, filmCount: this.people.filmsOf(id).length };
  }

  /**
   * Best-rated films, with votes as weight: a Bayesian average pulls films with few votes towards the catalog mean,
   * so a 9.8 from 12 voters does not outrank a 9.0 from a million.
   */
  top(count: number, filter: TopFilter = {}): FilmSummary[] {
    const { year, noAdultIn } = filter;
    const rated = this.pool(filter.genre).filter((film) => film.rating && (year === undefined || film.year === year));
    if (rated.length === 0) return [];
    const meanScore = rated.reduce((sum, film) => sum + film.rating!.score, 0) / rated.length;
    const votes = rated.map(votesOf).sort((a, b) => a - b);
    // Weight: the median vote count of the rated films (at least 1), so the prior matters as much as a typical film.
    const prior = Math.max(1, votes[Math.floor(votes.length / 2)] ?? 1);
    const weighted = (film: FilmSummary): number => {
      const v = votesOf(film);
      return (v * film.rating!.score + prior * meanScore) / (v + prior);
    };
    const ranked = rated
      .map((film) => ({ film, value: weighted(film) }))
      .sort((a, b) => b.value - a.value || votesOf(b.film) - votesOf(a.film))
      .map((entry) => entry.film);
    if (noAdultIn === undefined) return ranked.slice(0, count);
    // Only the films listed are read whole (a page is parsed): the top of the ranking, not the catalog.
    const listed: FilmSummary[] = [];
    for (const film of ranked) {
      if (listed.length === count) break;
      if (!isAdultRated(filmDetails(film), noAdultIn)) listed.push(film);
    }
    return listed;
  }

  random(filter: RandomFilter, rng: Rng): FilmSummary | undefined {
    const pool = this.pool(filter.genre).filter(
      (film) =>
        (filter.minRating === undefined || (film.rating !== null && film.rating.score >= filter.minRating)) &&
        (filter.year === undefined || film.year === filter.year),
    );
    // Drawn first and checked after: reading each film whole to filter the pool would parse every page.
    while (pool.length > 0) {
      const index = Math.floor(rng() * pool.length);
      const film = pool[index]!;
      if (filter.noAdultIn === undefined || !isAdultRated(filmDetails(film), filter.noAdultIn)) return film;
      pool[index] = pool[pool.length - 1]!;
      pool.pop();
    }
    return undefined;
  }

  /** A random piece of trivia, from a film of `filter.year` when given. */
  randomTrivia(rng: Rng, filter: { year?: number } = {}): { film: Film; trivia: string } | undefined {
    const { year } = filter;
    const pool = year === undefined ? this.withTrivia : this.withTrivia.filter((film) => film.year === year);
    const picked = pool[Math.floor(rng() * pool.length)];
    if (!picked) return undefined;
    const film = filmDetails(picked);
    const trivia = film.trivia[Math.floor(rng() * film.trivia.length)] ?? film.trivia[0]!;
    return { film, trivia };
  }

  /** Every genre with its number of films, most films first. */
  get genres(): readonly GenreCount[] {
    return this.genreIndex.byCount;
  }

  /** The genre with this name (case, accents, spacing and punctuation aside), as the catalog spells it. */
  genre(name: string): GenreCount | undefined {
    const id = this.genreIndex.idOf(name);
    return id === undefined
      ? undefined
      : { name: this.genreIndex.names[id]!, count: this.genreIndex.filmsOf(id).length };
  }

  /**
   * Up to `limit` films like the film with this id, most alike first: shared directors, cast and genres, close in
   * era and rating, better known first on a tie (see similar.ts). Empty for an unknown id or a film that shares
   * nothing with any other. Computed from indexes built at load: a few thousand candidates, not the whole catalog.
   */
  similar(id: string, limit = 10): SimilarMatch[] {
    const index = this.indexById.get(id);
    if (index === undefined) return [];
    return this.similarIndex.similar(index, limit).map((found) => ({
      film: this.loaded[found.index]!,
      score: found.score,
      directors: found.directors.map((person) => this.people.names[person]!),
      cast: found.cast.map((person) => this.people.names[person]!),
      genres: found.genres.map((genre) => this.genreIndex.names[genre]!),
    }));
  }

  /** The films of a genre (every film without one); none for a genre the catalog lacks. */
  private pool(genre: string | undefined): readonly LoadedFilm[] {
    if (genre === undefined) return this.loaded;
    const id = this.genreIndex.idOf(genre);
    return id === undefined ? [] : Array.from(this.genreIndex.filmsOf(id), (index) => this.loaded[index]!);
  }
}

interface CatalogParts {
  films: readonly LoadedFilm[];
  withTrivia: readonly LoadedFilm[];
  titles: SearchIndex;
  aliasOfEntry: Int32Array;
  byVotes: readonly LoadedFilm[];
  people: People;
  peopleIndex: SearchIndex;
  genres: Genres;
  similar: SimilarIndex;
  indexById: ShardedMap<number>;
}

function* catalogSteps(films: readonly LoadedFilm[]): Steps<CatalogParts> {
  const indexById = new ShardedMap<number>();
  const withTrivia: LoadedFilm[] = [];
  for (let i = 0; i < films.length; i++) {
    const film = films[i]!;
    indexById.set(film.id, i);
    if (triviaCountOf(film) > 0) withTrivia.push(film);
    if (i % ITEMS_PER_STEP === ITEMS_PER_STEP - 1) yield;
  }
  const { names, aliasOfEntry } = yield* titleNameSteps(films);
  const titles = yield* SearchIndex.steps(names);
  // The title search index already ranks the films by votes.
  const votesOrder = yield* titles.popularSteps(films.length);
  const byVotes: LoadedFilm[] = [];
  for (let i = 0; i < votesOrder.length; i++) {
    byVotes.push(films[votesOrder[i]!]!);
    if (i % (ITEMS_PER_STEP * 16) === 0) yield;
  }
  const people = yield* People.steps(films);
  yield;
  const popularity = yield* people.popularitySteps(films);
  yield;
  const peopleNames: IndexEntry[] = [];
  for (let id = 0; id < people.names.length; id++) {
    peopleNames.push(
      ...withVariants({
        text: people.names[id]!,
        normalized: people.keys[id]!,
        popularity: popularity[id] ?? 0,
        year: null,
        group: id,
      }),
    );
    if (id % ITEMS_PER_STEP === ITEMS_PER_STEP - 1) yield;
  }
  const peopleIndex = yield* SearchIndex.steps(peopleNames);
  yield;
  const genres = yield* Genres.steps(films);
  const similar = yield* SimilarIndex.steps(films, people, genres, votesOrder);
  return { films, indexById, withTrivia, titles, aliasOfEntry, byVotes, people, peopleIndex, genres, similar };
}

/**
 * A film's popularity for ranking: its vote count; for a film without one (a scraped page, a record from a source
 * without votes), a weak guess from what its record holds, so that it does not rank below every obscure film that
 * has a few votes. The guess starts at the vote count of the least-known tenth of the catalog's voted films and grows
 * with the record's richness (trivia, credits, a critics' score, a page of its own), up to about eight times that.
 * In steps (see steps.ts): the votes of every film are sorted.
 */
function* popularityEstimateSteps(films: readonly LoadedFilm[]): Steps<(film: LoadedFilm) => number> {
  let voted = 0;
  const all = float64Array(films.length);
  for (let i = 0; i < films.length; i++) {
    const count = votesOf(films[i]!);
    if (count > 0) all[voted++] = count;
    if (i % ITEMS_PER_STEP === ITEMS_PER_STEP - 1) yield;
  }
  const votes = yield* sortedSteps(all.subarray(0, voted));
  const floor = votes[Math.floor(votes.length * 0.1)] ?? 1;
  return (film) => {
    const counted = votesOf(film);
    return counted > 0 ? counted : Math.round(floor * (1 + recordRichness(film)));
  };
}

/**
 * Alternate titles count a little less than the title: a film's own title beats another film's alternate title
 * ("Amelia" typed exactly is Amelia, not a film known as Amelia abroad), while an alternate title typed exactly still
 * beats a typo away from some other title.
 */
const ALTERNATE_TITLE_WEIGHT = 0.95;

/**
 * The names the title index searches: each film's title and alternate titles, and their other searchable forms (see
 * searchVariants), all in the film's group; and for each entry, which alternate title it is (-1: the title). In
 * steps (see steps.ts): 300,000 films in one go hold the event loop for most of a second.
 */
function* titleNameSteps(films: readonly LoadedFilm[]): Steps<{ names: IndexEntry[]; aliasOfEntry: Int32Array }> {
  const names: IndexEntry[] = [];
  const aliases: number[] = [];
  const popularityOf = yield* popularityEstimateSteps(films);
  for (let group = 0; group < films.length; group++) {
    const film = films[group]!;
    const popularity = popularityOf(film);
    const own = withVariants({
      text: film.title,
      normalized: normalizedTitleOf(film),
      popularity,
      year: film.year,
      group,
    });
    names.push(...own);
    for (let i = 0; i < own.length; i++) aliases.push(-1);
    const seen = new Set([normalizedTitleOf(film)]);
    film.alternateTitles.forEach((text, alias) => {
      const normalized = normalizeText(text);
      if (normalized === "" || seen.has(normalized)) return;
      seen.add(normalized);
      const entries = withVariants({
        text,
        normalized,
        popularity,
        year: film.year,
        group,
        weight: ALTERNATE_TITLE_WEIGHT,
      });
      names.push(...entries);
      for (let i = 0; i < entries.length; i++) aliases.push(alias);
    });
    if (group % ITEMS_PER_STEP === ITEMS_PER_STEP - 1) yield;
  }
  return { names, aliasOfEntry: yield* int32ArrayOfSteps(aliases) };
}

/** An index entry, followed by entries for the other searchable forms of its text, in its group. */
function withVariants(entry: IndexEntry): IndexEntry[] {
  const variants = searchVariants(entry.text);
  return variants.length === 0 ? [entry] : [entry, ...variants.map((normalized) => ({ ...entry, normalized }))];
}

/**
 * How a person is credited on a film: the whole record is read, for the roles. Directing and acting are told apart
 * by the record's lists, so a person who did both is credited with both; names compare as the people index does.
 */
function creditOf(loaded: LoadedFilm, key: string): PersonCredit {
  const film = filmDetails(loaded);
  const roles: string[] = [];
  const roleKeys = new Set<string>();
  let inCast = false;
  for (const member of film.cast) {
    if (normalizeText(member.name) !== key) continue;
    inCast = true;
    // Parts joined with " / " (several characters, or roles merged from several sources) are roles of their own,
    // and the same part listed twice is one role.
    for (const role of member.role?.split(" / ") ?? []) {
      const roleKey = normalizeText(role) || role.trim();
      if (roleKey === "" || roleKeys.has(roleKey)) continue;
      roleKeys.add(roleKey);
      roles.push(role.trim());
    }
  }
  return {
    film: loaded,
    directed: film.directors.some((name) => normalizeText(name) === key),
    starred: film.stars.some((name) => normalizeText(name) === key),
    roles,
    inCast,
  };
}
