import { type Film, type FilmSummary, votesOf } from "./film.js";
import { normalizeText, searchVariants } from "./normalize.js";
import { filmDetails, type LoadedFilm, normalizedTitleOf, triviaCountOf } from "./pages/page-film.js";
import { People } from "./people.js";
import { ShardedMap } from "./sharded-map.js";
import { ITEMS_PER_STEP, runSteps, runStepsWithPauses, type Steps } from "./steps.js";
import { isConvincingMatch, judgeFilmMatches } from "./search/match-rules.js";
import { type IndexEntry, SearchIndex, type SearchMatch } from "./search/search-index.js";

export interface FilmMatch {
  film: FilmSummary;
  /** Relevance in [0, 1]; 1 is an exact title match. */
  score: number;
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

export interface RandomFilter {
  minRating?: number;
  year?: number;
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
  private readonly byId: ShardedMap<LoadedFilm>;
  private readonly titles: SearchIndex;
  private readonly people: People;
  private readonly peopleIndex: SearchIndex;
  /** Films by votes, most first. */
  private readonly byVotes: readonly LoadedFilm[];
  private readonly withTrivia: readonly LoadedFilm[];

  private constructor(parts: CatalogParts) {
    this.loaded = parts.films;
    this.builtAt = new Date();
    this.byId = parts.byId;
    this.withTrivia = parts.withTrivia;
    this.titles = parts.titles;
    this.byVotes = parts.byVotes;
    this.people = parts.people;
    this.peopleIndex = parts.peopleIndex;
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

  /** Every film, in load order. */
  get films(): readonly FilmSummary[] {
    return this.loaded;
  }

  /** The film with this id, as the lists hold it. */
  get(id: string): FilmSummary | undefined {
    return this.byId.get(id);
  }

  /** The whole record of the film with this id. */
  details(id: string): Film | undefined {
    const film = this.byId.get(id);
    return film === undefined ? undefined : filmDetails(film);
  }

  /** Films whose title matches what a member typed, best first. */
  search(query: string, options: SearchOptions = {}): FilmMatch[] {
    const limit = options.limit ?? 25;
    return this.titles
      .search(query, { limit, year: options.year })
      .map((match: SearchMatch) => ({ film: this.loaded[match.index]!, score: match.score }));
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
  top(count: number, year?: number): FilmSummary[] {
    const rated = this.loaded.filter((film) => film.rating && (year === undefined || film.year === year));
    if (rated.length === 0) return [];
    const meanScore = rated.reduce((sum, film) => sum + film.rating!.score, 0) / rated.length;
    const votes = rated.map(votesOf).sort((a, b) => a - b);
    // Weight: the median vote count of the rated films (at least 1), so the prior matters as much as a typical film.
    const prior = Math.max(1, votes[Math.floor(votes.length / 2)] ?? 1);
    const weighted = (film: FilmSummary): number => {
      const v = votesOf(film);
      return (v * film.rating!.score + prior * meanScore) / (v + prior);
    };
    return rated
      .map((film) => ({ film, value: weighted(film) }))
      .sort((a, b) => b.value - a.value || votesOf(b.film) - votesOf(a.film))
      .slice(0, count)
      .map((entry) => entry.film);
  }

  random(filter: RandomFilter, rng: Rng): FilmSummary | undefined {
    const pool = this.loaded.filter(
      (film) =>
        (filter.minRating === undefined || (film.rating !== null && film.rating.score >= filter.minRating)) &&
        (filter.year === undefined || film.year === filter.year),
    );
    return pool[Math.floor(rng() * pool.length)];
  }

  randomTrivia(rng: Rng): { film: Film; trivia: string } | undefined {
    const picked = this.withTrivia[Math.floor(rng() * this.withTrivia.length)];
    if (!picked) return undefined;
    const film = filmDetails(picked);
    const trivia = film.trivia[Math.floor(rng() * film.trivia.length)] ?? film.trivia[0]!;
    return { film, trivia };
  }
}

interface CatalogParts {
  films: readonly LoadedFilm[];
  byId: ShardedMap<LoadedFilm>;
  withTrivia: readonly LoadedFilm[];
  titles: SearchIndex;
  byVotes: readonly LoadedFilm[];
  people: People;
  peopleIndex: SearchIndex;
}

function* catalogSteps(films: readonly LoadedFilm[]): Steps<CatalogParts> {
  const byId = new ShardedMap<LoadedFilm>();
  const withTrivia: LoadedFilm[] = [];
  for (let i = 0; i < films.length; i++) {
    const film = films[i]!;
    byId.set(film.id, film);
    if (triviaCountOf(film) > 0) withTrivia.push(film);
    if (i % ITEMS_PER_STEP === ITEMS_PER_STEP - 1) yield;
  }
  const titles = yield* SearchIndex.steps(yield* titleNameSteps(films));
  // The title search index already ranks the films by votes.
  const byVotes = (yield* titles.popularSteps(films.length)).map((index) => films[index]!);
  yield;
  const people = yield* People.steps(films);
  yield;
  const popularity = yield* people.popularitySteps(films);
  yield;
  const peopleNames: IndexEntry[] = [];
  for (let id = 0; id < people.names.length; id++) {
    peopleNames.push(
      ...withVariants({ text: people.names[id]!, popularity: popularity[id] ?? 0, year: null, group: id }),
    );
    if (id % ITEMS_PER_STEP === ITEMS_PER_STEP - 1) yield;
  }
  const peopleIndex = yield* SearchIndex.steps(peopleNames);
  return { films, byId, withTrivia, titles, byVotes, people, peopleIndex };
}

/**
 * titleNames, a slice of films at a time with a yield in between (300,000 films in one go hold the event loop for
 * most of a second); each slice's groups are made positions in the whole list.
 */
function* titleNameSteps(films: readonly LoadedFilm[]): Steps<IndexEntry[]> {
  const names: IndexEntry[] = [];
  for (let from = 0; from < films.length; from += ITEMS_PER_STEP) {
    for (const entry of titleNames(films.slice(from, from + ITEMS_PER_STEP))) {
      entry.group = from + (entry.group ?? 0);
      names.push(entry);
    }
    yield;
  }
  return names;
}

/** The names the title index searches: each film's title, and its other searchable forms (see searchVariants). */
function titleNames(films: readonly LoadedFilm[]): IndexEntry[] {
  const names: IndexEntry[] = [];
  films.forEach((film, group) => {
    names.push(
      ...withVariants({
        text: film.title,
        normalized: normalizedTitleOf(film),
        popularity: votesOf(film),
        year: film.year,
        group,
      }),
    );
  });
  return names;
}

/** An index entry, followed by entries for the other searchable forms of its text, in its group. */
function withVariants(entry: IndexEntry): IndexEntry[] {
  const variants = searchVariants(entry.text);
  return variants.length === 0 ? [entry] : [entry, ...variants.map((normalized) => ({ ...entry, normalized }))];
}

/** How a person is credited on a film: the whole record is read, for the roles. */
function creditOf(loaded: LoadedFilm, key: string): PersonCredit {
  const film = filmDetails(loaded);
  const roles: string[] = [];
  let inCast = false;
  for (const member of film.cast) {
    if (normalizeText(member.name) !== key) continue;
    inCast = true;
    if (member.role) roles.push(member.role);
  }
  return {
    film: loaded,
    directed: film.directors.some((name) => normalizeText(name) === key),
    starred: film.stars.some((name) => normalizeText(name) === key),
    roles,
    inCast,
  };
}
