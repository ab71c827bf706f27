import { type Film, votesOf } from "./film.js";
import { normalizeText } from "./normalize.js";
import { TitleIndex, type TitleMatch } from "./title-index.js";

export interface FilmMatch {
  film: Film;
  /** Relevance in [0, 1]; 1 is an exact title match. */
  score: number;
}

export interface PersonMatch {
  name: string;
  score: number;
  filmCount: number;
}

export interface PersonCredit {
  film: Film;
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
 */
export class Catalog {
  readonly films: readonly Film[];
  readonly builtAt: Date;
  private readonly byId: Map<string, Film>;
  private readonly titles: TitleIndex;
  private readonly people: TitleIndex;
  private readonly creditsByPerson: Map<string, PersonEntry>;
  private readonly personNames: string[];
  private readonly byVotes: readonly Film[];
  private readonly withTrivia: readonly Film[];

  private constructor(films: readonly Film[]) {
    this.films = films;
    this.builtAt = new Date();
    this.byId = new Map(films.map((film) => [film.id, film]));
    // Plain string order for ties: localeCompare is ICU collation, slow enough to dominate a 100,000-film build.
    this.byVotes = [...films].sort((a, b) => votesOf(b) - votesOf(a) || (a.title < b.title ? -1 : a.title > b.title ? 1 : 0));
    this.withTrivia = films.filter((film) => film.trivia.length > 0);

    this.titles = new TitleIndex(
      films.map((film) => ({ text: film.title, popularity: votesOf(film), year: film.year })),
    );

    this.creditsByPerson = collectPeople(films);
    this.personNames = [];
    const popularity: number[] = [];
    for (const person of this.creditsByPerson.values()) {
      this.personNames.push(person.name);
      popularity.push(person.films.reduce((sum, film) => sum + votesOf(film), 0));
    }
    this.people = new TitleIndex(
      this.personNames.map((name, i) => ({ text: name, popularity: popularity[i] ?? 0, year: null })),
    );
  }

  static build(films: readonly Film[]): Catalog {
    return new Catalog(films);
  }

  get size(): number {
    return this.films.length;
  }

  get(id: string): Film | undefined {
    return this.byId.get(id);
  }

  /** Films whose title matches what a member typed, best first. */
  search(query: string, options: SearchOptions = {}): FilmMatch[] {
    const limit = options.limit ?? 25;
    return this.titles
      .search(query, { limit, year: options.year })
      .map((match: TitleMatch) => ({ film: this.films[match.index]!, score: match.score }));
  }

  /** The best match for a query, or undefined when nothing is close. */
  find(query: string, year?: number): Film | undefined {
    return this.search(query, { limit: 1, year })[0]?.film;
  }

  /** Most-voted films, for an empty autocomplete and as suggestions. */
  popular(limit: number): Film[] {
    return this.byVotes.slice(0, limit);
  }

  searchPeople(query: string, limit = 25): PersonMatch[] {
    return this.people.search(query, { limit }).map((match) => {
      const name = this.personNames[match.index]!;
      return { name, score: match.score, filmCount: this.creditsByPerson.get(normalizeText(name))?.films.length ?? 0 };
    });
  }

  /** People credited on the most-voted films, for an empty autocomplete. */
  popularPeople(limit: number): PersonMatch[] {
    return this.people.popular(limit).map((index) => {
      const name = this.personNames[index]!;
      return { name, score: 1, filmCount: this.creditsByPerson.get(normalizeText(name))?.films.length ?? 0 };
    });
  }

  /** A person's filmography by exact (normalized) name, newest first. */
  person(name: string): Person | undefined {
    const entry = this.creditsByPerson.get(normalizeText(name));
    if (!entry) return undefined;
    const key = normalizeText(entry.name);
    const credits = entry.films.map((film) => creditOf(film, key));
    credits.sort((a, b) => (b.film.year ?? -Infinity) - (a.film.year ?? -Infinity) || a.film.title.localeCompare(b.film.title));
    return { name: entry.name, credits };
  }

  /**
   * Best-rated films, with votes as weight: a Bayesian average pulls films with few votes towards the catalog mean,
   * so a 9.8 from 12 voters does not outrank a 9.0 from a million.
   */
  top(count: number, year?: number): Film[] {
    const rated = this.films.filter((film) => film.rating && (year === undefined || film.year === year));
    if (rated.length === 0) return [];
    const meanScore = rated.reduce((sum, film) => sum + film.rating!.score, 0) / rated.length;
    const votes = rated.map(votesOf).sort((a, b) => a - b);
    // Weight: the median vote count of the rated films (at least 1), so the prior matters as much as a typical film.
    const prior = Math.max(1, votes[Math.floor(votes.length / 2)] ?? 1);
    const weighted = (film: Film): number => {
      const v = votesOf(film);
      return (v * film.rating!.score + prior * meanScore) / (v + prior);
    };
    return rated
      .map((film) => ({ film, value: weighted(film) }))
      .sort((a, b) => b.value - a.value || votesOf(b.film) - votesOf(a.film))
      .slice(0, count)
      .map((entry) => entry.film);
  }

  random(filter: RandomFilter, rng: Rng): Film | undefined {
    const pool = this.films.filter(
      (film) =>
        (filter.minRating === undefined || (film.rating !== null && film.rating.score >= filter.minRating)) &&
        (filter.year === undefined || film.year === filter.year),
    );
    return pool[Math.floor(rng() * pool.length)];
  }

  randomTrivia(rng: Rng): { film: Film; trivia: string } | undefined {
    const film = this.withTrivia[Math.floor(rng() * this.withTrivia.length)];
    if (!film) return undefined;
    const trivia = film.trivia[Math.floor(rng() * film.trivia.length)] ?? film.trivia[0]!;
    return { film, trivia };
  }
}

interface PersonEntry {
  name: string;
  films: Film[];
}

/**
 * Everyone credited (director, star, cast) → their films, keyed by normalized name. Names repeat across films (the
 * loader shares them as one string), so each distinct spelling is normalized once.
 */
function collectPeople(films: readonly Film[]): Map<string, PersonEntry> {
  const people = new Map<string, PersonEntry>();
  const keyOfName = new Map<string, string>();
  const credit = (name: string, film: Film): void => {
    let key = keyOfName.get(name);
    if (key === undefined) {
      key = normalizeText(name);
      keyOfName.set(name, key);
    }
    if (key === "") return;
    const entry = people.get(key);
    if (!entry) people.set(key, { name, films: [film] });
    // A person both directing and acting in a film is credited once for it.
    else if (entry.films[entry.films.length - 1] !== film) entry.films.push(film);
  };
  for (const film of films) {
    for (const name of film.directors) credit(name, film);
    for (const name of film.stars) credit(name, film);
    for (const member of film.cast) credit(member.name, film);
  }
  return people;
}

function creditOf(film: Film, key: string): PersonCredit {
  const roles: string[] = [];
  let inCast = false;
  for (const member of film.cast) {
    if (normalizeText(member.name) !== key) continue;
    inCast = true;
    if (member.role) roles.push(member.role);
  }
  return {
    film,
    directed: film.directors.some((name) => normalizeText(name) === key),
    starred: film.stars.some((name) => normalizeText(name) === key),
    roles,
    inCast,
  };
}
