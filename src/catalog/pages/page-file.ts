/**
 * Reading and parsing one page file, shared by the loader's main thread and its page workers (page-worker.ts).
 */
import { closeSync, openSync, readSync } from "node:fs";
import { describeFsError, firstLine } from "../../errors.js";
import { formatBytes } from "../../format.js";
import type { Film } from "../film.js";
import type { LoadedFilm } from "./page-film.js";
import { type PageDetail, PageError, parsePage, parsePageBytes, type StringPool } from "./parse-page.js";

export interface LoadError {
  /** Relative to the data folder; "file.jsonl:12" for one line of a JSON Lines file. */
  file: string;
  message: string;
  /** Set on the entry that stands for a file's problems not listed one by one ("10 more bad lines not listed"). */
  unlisted?: number;
}

export type FileKind = "page" | "json" | "jsonl";

export interface DataFile {
  path: string;
  /** Relative to the data folder, with "/" separators on every platform. */
  name: string;
  kind: FileKind;
}

/** A file that gave no film, or whose films come with problems (errors, warnings): `F` the kind of film. */
export interface FileResult<F extends LoadedFilm = LoadedFilm> {
  films: F[];
  errors: LoadError[];
  /** Problems that did not cost a film (a record's field cut to its cap, a page that is only a title). */
  warnings?: LoadError[];
}

/**
 * What reading one file gave. A page that parsed is the Film itself: 100,000 pages kept as `{ films: [film],
 * errors: [] }` until the end of the load would be 300,000 extra objects for the garbage collector to promote. A
 * page with a warning is the exception, as `{ films: [film], errors: [], warnings }`.
 */
export type FileOutcome = LoadedFilm | FileResult;

export function isFileResult<T extends object, F extends LoadedFilm>(
  outcome: T | FileResult<F>,
): outcome is FileResult<F> {
  return "errors" in outcome;
}

/**
 * Reads a page into `buffer` (one byte larger than allowed: filling it is how an oversized page shows, without a stat
 * call).
 */
export function readPageSync(
  file: DataFile,
  buffer: Buffer,
  maxPageBytes: number,
  pool?: StringPool,
): Film | FileResult<Film> {
  const length = readPageBytes(file, buffer, 0, maxPageBytes);
  return typeof length === "number" ? parsePageFile(file, buffer.subarray(0, length), pool) : length;
}

/**
 * Reads a page's bytes into `buffer` at `offset`, where there must be room for maxPageBytes + 1: their length, or
 * why the page cannot be read.
 */
export function readPageBytes(
  file: DataFile,
  buffer: Uint8Array,
  offset: number,
  maxPageBytes: number,
): number | FileResult<never> {
  let length: number;
  try {
    const fd = openSync(file.path, "r");
    try {
      // A regular file gives all its bytes (up to the buffer) in one read; a loop would cost an extra call per page.
      length = readSync(fd, buffer, offset, maxPageBytes + 1, 0);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    return failed(file.name, `cannot read: ${describeFsError(error)}`);
  }
  return length > maxPageBytes ? tooLarge(file, maxPageBytes) : length;
}

export function tooLarge(file: DataFile, maxPageBytes: number): FileResult<never> {
  return failed(file.name, `file too large (pages are at most ${formatBytes(maxPageBytes)})`);
}

/** Warnings of the page being parsed: one list for every page, as nearly every page has none. */
const pageWarnings: string[] = [];

/**
 * A page's text or bytes → its film (see PageDetail), with its warnings if it has any, or the reason it is not one.
 * Never throws.
 */
export function parsePageFile(
  file: DataFile,
  content: string | Uint8Array,
  pool?: StringPool,
  detail: PageDetail = "full",
): Film | FileResult<Film> {
  pageWarnings.length = 0;
  try {
    const film =
      typeof content === "string"
        ? parsePage(content, file.name, pool, detail, pageWarnings)
        : parsePageBytes(content, file.name, pool, detail, pageWarnings);
    if (pageWarnings.length === 0) return film;
    return { films: [film], errors: [], warnings: pageWarnings.map((message) => ({ file: file.name, message })) };
  } catch (error) {
    if (error instanceof PageError) return failed(file.name, error.reason);
    // A parser bug must not lose the other 99,999 pages; the message still says what happened.
    return failed(file.name, `could not parse page: ${firstLine(error)}`);
  }
}

export function failed(file: string, message: string): FileResult<never> {
  return { films: [], errors: [{ file, message }] };
}
