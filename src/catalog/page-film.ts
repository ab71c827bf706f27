import type { CastMember, Film, Rating } from "./film.js";
import type { NameTable } from "./name-ids.js";
import { normalizeText } from "./normalize.js";
import { parsePageBytes } from "./parse-page.js";

/**
 * A film parsed on a page worker (page-worker.ts) and kept as its page's bytes, outside the JavaScript heap; the page
 * is parsed again when a field beyond the summary is read.
 *
 * Why: a catalog of 100,000 complete films is millions of small strings and objects on the main thread's heap, and
 * creating and promoting them cost more (parsing plus garbage collection) than the 5 s start-up budget allows. Only what
 * the index and the hot lists read is kept as ordinary fields — id, title and its normalized form, year, rating,
 * source, trivia count, and the people credited, as ids into the load's name table. The rest (synopsis, cast,
 * trivia, …) comes from parsing the page again when a command shows the film: ~30 µs, once per card, as the last
 * parsed film is remembered.
 *
 * It reads as a Film everywhere (`film.synopsis`, `JSON.stringify(film)`); code that copies records field by field
 * (`{ ...film }`, `Object.values`) takes `plainFilm(film)` first.
 */
export class PageFilm implements Film {
  readonly id: string;
  readonly title: string;
  /** normalizeText(title), computed on the page worker. */
  readonly normalizedTitle: string;
  readonly year: number | null;
  readonly rating: Rating | null;
  readonly source: string;
  /** Directors, stars and cast, in that order, as ids into `nameTable`: the people index reads these, not the record. */
  readonly creditIds: Int32Array;
  readonly nameTable: NameTable;
  readonly triviaCount: number;
  readonly #page: Uint8Array;

  constructor(summary: PageFilmSummary, page: Uint8Array) {
    this.id = summary.id;
    this.title = summary.title;
    this.normalizedTitle = summary.normalizedTitle;
    this.year = summary.year;
    this.rating = summary.rating;
    this.source = summary.source;
    this.creditIds = summary.creditIds;
    this.nameTable = summary.nameTable;
    this.triviaCount = summary.triviaCount;
    this.#page = page;
  }

  /** The whole record, parsed from the page (the last one parsed is kept: a card reads a dozen fields of one film). */
  record(): Film {
    if (lastDecoded?.film === this) return lastDecoded.record;
    const record = parsePageBytes(this.#page, this.source);
    lastDecoded = { film: this, record };
    return record;
  }

  /** The credited people's names (see creditIds). */
  get credited(): string[] {
    return Array.from(this.creditIds, (id) => this.nameTable.names[id]!);
  }

  toJSON(): Film {
    return plainFilm(this);
  }

  get releaseDate(): string | null {
    return this.record().releaseDate;
  }
  get logline(): string | null {
    return this.record().logline;
  }
  get synopsis(): string | null {
    return this.record().synopsis;
  }
  get criticScore(): number | null {
    return this.record().criticScore;
  }
  get directors(): string[] {
    return this.record().directors;
  }
  get stars(): string[] {
    return this.record().stars;
  }
  get cast(): CastMember[] {
    return this.record().cast;
  }
  get countries(): string[] {
    return this.record().countries;
  }
  get languages(): string[] {
    return this.record().languages;
  }
  get filmingLocations(): string | null {
    return this.record().filmingLocations;
  }
  get genres(): string[] {
    return this.record().genres;
  }
  get runtimeMinutes(): number | null {
    return this.record().runtimeMinutes;
  }
  get trivia(): string[] {
    return this.record().trivia;
  }
  get review(): string | null {
    return this.record().review;
  }
  get website(): string | null {
    return this.record().website;
  }
  get technicalSpecs(): Record<string, string> {
    return this.record().technicalSpecs;
  }
}

/** What a page worker sends along with a film's page. */
export interface PageFilmSummary {
  id: string;
  title: string;
  normalizedTitle: string;
  year: number | null;
  rating: Rating | null;
  source: string;
  creditIds: Int32Array;
  nameTable: NameTable;
  triviaCount: number;
}

let lastDecoded: { film: PageFilm; record: Film } | undefined;

/**
 * A film as a plain object with its fields in the contract's order: a copy of a PageFilm's record, the film itself
 * otherwise.
 */
export function plainFilm(film: Film): Film {
  if (!(film instanceof PageFilm)) return film;
  const record = film.record();
  return {
    ...record,
    id: film.id,
    title: film.title,
    year: film.year,
    rating: film.rating,
    source: film.source,
    directors: [...record.directors],
    stars: [...record.stars],
    cast: record.cast.map((member) => ({ ...member })),
    countries: [...record.countries],
    languages: [...record.languages],
    genres: [...record.genres],
    trivia: [...record.trivia],
    technicalSpecs: { ...record.technicalSpecs },
  };
}

/** The people credited on a film — directors, stars, cast, in that order — without decoding a PageFilm. */
export function creditedNames(film: Film): readonly string[] {
  if (film instanceof PageFilm) return film.credited;
  const names = [...film.directors, ...film.stars];
  for (const member of film.cast) names.push(member.name);
  return names;
}

/** normalizeText(film.title), without computing it again for a PageFilm. */
export function normalizedTitleOf(film: Film): string {
  return film instanceof PageFilm ? film.normalizedTitle : normalizeText(film.title);
}

export function triviaCountOf(film: Film): number {
  return film instanceof PageFilm ? film.triviaCount : film.trivia.length;
}
