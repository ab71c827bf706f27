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
 * big on the heap also makes every collection long, which a member typing in autocomplete feels. Only what the index,
 * the lists and the merge read is kept as fields — the summary (id, title, year, rating), the source, the normalized
 * title, the IMDb id, the alternate titles, the trivia count, the record's richness, and the people credited and the
 * genres as ids into the load's name table. The whole record comes from `details()`, which parses the bytes again:
 * once per card shown, not per field read.
 */
export abstract class KeptFilm implements FilmSummary {
  readonly id: string;
  readonly title: string;
  /** normalizeText(title), computed on the worker. */
  readonly normalizedTitle: string;
  readonly year: number | null;
  readonly rating: Rating | null;
  readonly source: string;
  /** The merge's key when known: two records of one IMDb id are one film. */
  readonly imdbId: string | null;
  /** Other titles the film is known by (a page's "Also Known As"), which search reads. */
  readonly alternateTitles: readonly string[];
  /** How many of `creditIds`, the first ones, are the directors. */
  readonly directorCount: number;
  readonly nameTable: NameTable;
  readonly triviaCount: number;
  /** See recordRichness. */
  readonly richness: number;
  /** Digest of the film's kind, file and bytes, by which a reload's workers know it (see known-films.ts). */
  readonly digest: number;
  // Where the credit ids, the genre ids and the bytes are: a buffer the films of a batch share, an offset and a
  // length, rather than a typed array of each film's own. Three views per film were a sixth of a big catalog's heap,
  // and as many objects more for every collection to visit.
  private readonly creditBuffer: ArrayBufferLike;
  private readonly creditOffset: number;
  private readonly creditLength: number;
  private readonly genreBuffer: ArrayBufferLike;
  private readonly genreOffset: number;
  private readonly genreLength: number;
  private readonly byteBuffer: ArrayBufferLike;
  private readonly byteOffset: number;
  private readonly byteLength: number;

  constructor(summary: PageFilmSummary, bytes: Uint8Array) {
    this.id = summary.id;
    this.title = summary.title;
    this.normalizedTitle = summary.normalizedTitle;
    this.year = summary.year;
    this.rating = summary.rating;
    this.source = summary.source;
    this.imdbId = summary.imdbId;
    this.alternateTitles = summary.alternateTitles;
    this.directorCount = summary.directorCount;
    this.nameTable = summary.nameTable;
    this.triviaCount = summary.triviaCount;
    this.richness = summary.richness;
    this.digest = summary.digest;
    this.creditBuffer = summary.creditIds.buffer;
    this.creditOffset = summary.creditIds.byteOffset;
    this.creditLength = summary.creditIds.length;
    this.genreBuffer = summary.genreIds.buffer;
    this.genreOffset = summary.genreIds.byteOffset;
    this.genreLength = summary.genreIds.length;
    this.byteBuffer = bytes.buffer;
    this.byteOffset = bytes.byteOffset;
    this.byteLength = bytes.length;
  }

  /**
   * Directors, stars and cast, in that order, as ids into `nameTable`: the people index reads these, not the record.
   */
  get creditIds(): Int32Array {
    return new Int32Array(this.creditBuffer, this.creditOffset, this.creditLength);
  }

  /** The genres, as ids into `nameTable`: the genre index reads these, not the record. */
  get genreIds(): Int32Array {
    return new Int32Array(this.genreBuffer, this.genreOffset, this.genreLength);
  }

  /** The bytes the record is read from; a reload keeps the same bytes for a film that did not change. */
  get bytes(): Uint8Array {
    return new Uint8Array(this.byteBuffer, this.byteOffset, this.byteLength);
  }

  /** Whether `other` holds the very same bytes (not a copy: the same memory). */
  sharesBytesWith(other: KeptFilm): boolean {
    return (
      this.byteBuffer === other.byteBuffer &&
      this.byteOffset === other.byteOffset &&
      this.byteLength === other.byteLength
    );
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
  imdbId: string | null;
  alternateTitles: readonly string[];
  creditIds: Int32Array;
  directorCount: number;
  genreIds: Int32Array;
  nameTable: NameTable;
  triviaCount: number;
  richness: number;
  digest: number;
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

/** How many of a film's credited people (see creditedNames), the first ones, are its directors. */
export function directorCountOf(film: LoadedFilm): number {
  return film instanceof KeptFilm ? film.directorCount : film.directors.length;
}

/** A film's genres, without parsing a page. */
export function genresOf(film: LoadedFilm): readonly string[] {
  return film instanceof KeptFilm ? Array.from(film.genreIds, (id) => film.nameTable.names[id]!) : film.genres;
}

/** A kept film's genres as ids into its name table (the genre index numbers those once per table), else null. */
export function genreIdsOf(film: LoadedFilm): { ids: Int32Array; table: NameTable } | null {
  return film instanceof KeptFilm ? { ids: film.genreIds, table: film.nameTable } : null;
}

/**
 * How much a record says about its film, for guessing how well known a film without a vote count is: trivia, credits
 * and a critics' score are what people write about films they know. A scraped page counts for being there at all.
 * A kept film's was worked out on the load worker, from the record it read (see pageRichness for a page's).
 */
export function recordRichness(film: LoadedFilm): number {
  if (film instanceof KeptFilm) return film.richness;
  const page = film.source.endsWith(".txt");
  return richnessOf(film.trivia.length, film.directors.length + film.cast.length, film.criticScore !== null, page);
}

/**
 * A page's richness as recordRichness counts it for a page kept as its bytes: every credit (directors, stars and cast,
 * as its credit ids), and no critics' score, which the summary a page worker reads does not hold.
 */
export function pageRichness(film: Film): number {
  return richnessOf(film.trivia.length, film.directors.length + film.stars.length + film.cast.length, false, true);
}

function richnessOf(trivia: number, credits: number, criticScore: boolean, page: boolean): number {
  return Math.min(trivia, 10) * 0.3 + Math.min(credits, 20) * 0.1 + (criticScore ? 1 : 0) + (page ? 1 : 0);
}

/** normalizeText(film.title), without computing it again for a kept film. */
export function normalizedTitleOf(film: LoadedFilm): string {
  return film instanceof KeptFilm ? film.normalizedTitle : normalizeText(film.title);
}

export function triviaCountOf(film: LoadedFilm): number {
  return film instanceof KeptFilm ? film.triviaCount : film.trivia.length;
}
