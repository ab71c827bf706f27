import { detach } from "../compact.js";
import type { Film, FilmSummary, Rating } from "../film.js";
import type { NameTable } from "./name-ids.js";
import { normalizeText } from "../normalize.js";
import { recordToFilm } from "../records.js";
import { parsePageBytes } from "./parse-page.js";

/**
 * A film read on a load worker (page-worker.ts) and kept as bytes, outside the JavaScript heap: a page's bytes, or a
 * JSON Lines record's (its line as read, or the record as validated written back as JSON).
 *
 * Why: a catalog of 100,000 complete films is millions of small strings and objects on the main thread's heap, and
 * creating and promoting them costs more (parsing plus garbage collection) than start-up may take; a catalog that
 * big on the heap also makes every collection long, which a member typing in autocomplete feels. Only what the index
 * and the lists read is kept as fields — the summary (id, title, year, rating), the source, the normalized title,
 * the trivia count, and the people credited as ids into the load's name table. The whole record comes from
 * `details()`, which parses the bytes again: once per card shown, not per field read.
 */
export abstract class KeptFilm implements FilmSummary {
  readonly id: string;
  readonly title: string;
  /** normalizeText(title), computed on the worker. */
  readonly normalizedTitle: string;
  readonly year: number | null;
  readonly rating: Rating | null;
  readonly source: string;
  /**
   * Directors, stars and cast, in that order, as ids into `nameTable`: the people index reads these, not the record.
   */
  readonly creditIds: Int32Array;
  readonly nameTable: NameTable;
  readonly triviaCount: number;
  /** The bytes the record is read from; a reload keeps the same bytes for a film that did not change. */
  readonly bytes: Uint8Array;

  constructor(summary: PageFilmSummary, bytes: Uint8Array) {
    this.id = summary.id;
    this.title = summary.title;
    this.normalizedTitle = summary.normalizedTitle;
    this.year = summary.year;
    this.rating = summary.rating;
    this.source = summary.source;
    this.creditIds = summary.creditIds;
    this.nameTable = summary.nameTable;
    this.triviaCount = summary.triviaCount;
    this.bytes = bytes;
  }

  /** The whole record, read from the bytes: a new object each time, the caller's to change. */
  abstract details(): Film;
}

/** A film kept as its page's bytes. */
export class PageFilm extends KeptFilm {
  details(): Film {
    return parsePageBytes(this.bytes, this.source);
  }
}

/** A JSON Lines record kept as its validated record, written back as JSON: reading it again is one JSON.parse. */
export class RecordFilm extends KeptFilm {
  details(): Film {
    return JSON.parse(RECORD_DECODER.decode(this.bytes)) as Film;
  }
}

/**
 * A JSON Lines record kept as its line, as read: reading it again is JSON.parse and the record's checks (a few tens of
 * microseconds, once per card shown), where writing every film out as JSON at load cost as much as parsing it.
 */
export class RecordLineFilm extends KeptFilm {
  details(): Film {
    return recordToFilm(JSON.parse(RECORD_DECODER.decode(this.bytes)), this.source);
  }
}

/** Drops a byte order mark, as the line reader does for a file's first line. */
const RECORD_DECODER = new TextDecoder();

/** What a load worker sends along with a film's bytes. */
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

/** A film as a load delivers it and the catalog keeps it: a plain record, or one kept as its bytes. */
export type LoadedFilm = Film | KeptFilm;

/**
 * A page's film as the catalog keeps it: a page film as it is; a page parsed on this thread, with the load's string
 * pool, has its id flattened (it is a concatenation, which would keep its parts alive).
 */
export function keptPageFilm(film: LoadedFilm): LoadedFilm {
  if (film instanceof KeptFilm) return film;
  film.id = detach(film.id);
  return film;
}

/** The whole record of a loaded film. */
export function filmDetails(film: LoadedFilm): Film {
  return film instanceof KeptFilm ? film.details() : film;
}

/** The people credited on a film — directors, stars, cast, in that order — without parsing a page. */
export function creditedNames(film: LoadedFilm): readonly string[] {
  if (film instanceof KeptFilm) return Array.from(film.creditIds, (id) => film.nameTable.names[id]!);
  const names = [...film.directors, ...film.stars];
  for (const member of film.cast) names.push(member.name);
  return names;
}

/** A kept film's credits as ids into its name table (the people index numbers those once per table), else null. */
export function creditIdsOf(film: LoadedFilm): { ids: Int32Array; table: NameTable } | null {
  return film instanceof KeptFilm ? { ids: film.creditIds, table: film.nameTable } : null;
}

/** normalizeText(film.title), without computing it again for a kept film. */
export function normalizedTitleOf(film: LoadedFilm): string {
  return film instanceof KeptFilm ? film.normalizedTitle : normalizeText(film.title);
}

export function triviaCountOf(film: LoadedFilm): number {
  return film instanceof KeptFilm ? film.triviaCount : film.trivia.length;
}
