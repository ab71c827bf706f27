import { detach } from "../compact.js";
import type { Film, FilmSummary, Rating } from "../film.js";
import type { NameTable } from "./name-ids.js";
import { normalizeText } from "../normalize.js";
import { parsePageBytes } from "./parse-page.js";

/**
 * A film parsed on a page worker (page-worker.ts) and kept as its page's bytes, outside the JavaScript heap.
 *
 * Why: a catalog of 100,000 complete films is millions of small strings and objects on the main thread's heap, and
 * creating and promoting them costs more (parsing plus garbage collection) than start-up may take. Only what the
 * index, the lists and the merge read is kept as fields — the summary (id, title, year, rating), the source, the
 * normalized title, the IMDb id, the alternate titles, the trivia count, and the people credited and the genres as ids
 * into the load's name table. The whole record comes from `details()`, which parses the page again: once per card
 * shown, not per field read.
 */
export class PageFilm implements FilmSummary {
  readonly id: string;
  readonly title: string;
  /** normalizeText(title), computed on the page worker. */
  readonly normalizedTitle: string;
  readonly year: number | null;
  readonly rating: Rating | null;
  readonly source: string;
  /** The merge's key when known: two records of one IMDb id are one film. */
  readonly imdbId: string | null;
  /** Other titles the film is known by (a page's "Also Known As"), which search reads. */
  readonly alternateTitles: readonly string[];
  /**
   * Directors, stars and cast, in that order, as ids into `nameTable`: the people index reads these, not the record.
   */
  readonly creditIds: Int32Array;
  /** How many of `creditIds`, the first ones, are the directors. */
  readonly directorCount: number;
  /** The genres, as ids into `nameTable`: the genre index reads these, not the record. */
  readonly genreIds: Int32Array;
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
    this.imdbId = summary.imdbId;
    this.alternateTitles = summary.alternateTitles;
    this.creditIds = summary.creditIds;
    this.directorCount = summary.directorCount;
    this.genreIds = summary.genreIds;
    this.nameTable = summary.nameTable;
    this.triviaCount = summary.triviaCount;
    this.#page = page;
  }

  /** The whole record, parsed from the page. */
  details(): Film {
    return parsePageBytes(this.#page, this.source);
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
  imdbId: string | null;
  alternateTitles: readonly string[];
  creditIds: Int32Array;
  directorCount: number;
  genreIds: Int32Array;
  nameTable: NameTable;
  triviaCount: number;
}

/** A film as a load delivers it and the catalog keeps it: a plain record, or a page kept as its bytes. */
export type LoadedFilm = Film | PageFilm;

/**
 * A page's film as the catalog keeps it: a page film as it is; a page parsed on this thread, with the load's string
 * pool, has its id flattened (it is a concatenation, which would keep its parts alive).
 */
export function keptPageFilm(film: LoadedFilm): LoadedFilm {
  if (film instanceof PageFilm) return film;
  film.id = detach(film.id);
  return film;
}

/** The whole record of a loaded film. */
export function filmDetails(film: LoadedFilm): Film {
  return film instanceof PageFilm ? film.details() : film;
}

/** The people credited on a film — directors, stars, cast, in that order — without parsing a page. */
export function creditedNames(film: LoadedFilm): readonly string[] {
  if (film instanceof PageFilm) return Array.from(film.creditIds, (id) => film.nameTable.names[id]!);
  const names = [...film.directors, ...film.stars];
  for (const member of film.cast) names.push(member.name);
  return names;
}

/** A page film's credits as ids into its name table (the people index numbers those once per table), else null. */
export function creditIdsOf(film: LoadedFilm): { ids: Int32Array; table: NameTable } | null {
  return film instanceof PageFilm ? { ids: film.creditIds, table: film.nameTable } : null;
}

/** How many of a film's credited people (see creditedNames), the first ones, are its directors. */
export function directorCountOf(film: LoadedFilm): number {
  return film instanceof PageFilm ? film.directorCount : film.directors.length;
}

/** A film's genres, without parsing a page. */
export function genresOf(film: LoadedFilm): readonly string[] {
  return film instanceof PageFilm ? Array.from(film.genreIds, (id) => film.nameTable.names[id]!) : film.genres;
}

/** A page film's genres as ids into its name table (the genre index numbers those once per table), else null. */
export function genreIdsOf(film: LoadedFilm): { ids: Int32Array; table: NameTable } | null {
  return film instanceof PageFilm ? { ids: film.genreIds, table: film.nameTable } : null;
}

/**
 * How much a record says about its film, for guessing how well known a film without a vote count is: trivia, credits
 * and a critics' score are what people write about films they know. A scraped page counts for being there at all.
 */
export function recordRichness(film: LoadedFilm): number {
  const credits = film instanceof PageFilm ? film.creditIds.length : film.directors.length + film.cast.length;
  const criticScore = film instanceof PageFilm ? false : film.criticScore !== null;
  const page = film instanceof PageFilm || film.source.endsWith(".txt");
  return Math.min(triviaCountOf(film), 10) * 0.3 + Math.min(credits, 20) * 0.1 + (criticScore ? 1 : 0) + (page ? 1 : 0);
}

/** normalizeText(film.title), without computing it again for a page film. */
export function normalizedTitleOf(film: LoadedFilm): string {
  return film instanceof PageFilm ? film.normalizedTitle : normalizeText(film.title);
}

export function triviaCountOf(film: LoadedFilm): number {
  return film instanceof PageFilm ? film.triviaCount : film.trivia.length;
}
