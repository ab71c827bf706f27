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
}

export type FileKind = "page" | "json" | "jsonl";

export interface DataFile {
  path: string;
  /** Relative to the data folder, with "/" separators on every platform. */
  name: string;
  kind: FileKind;
}

export interface FileResult {
  films: Film[];
  errors: LoadError[];
}

/**
 * What reading one file gave. A page that parsed is the Film itself: 100,000 pages kept as `{ films: [film],
 * errors: [] }` until the end of the load would be 300,000 extra objects for the garbage collector to promote.
 */
export type FileOutcome = LoadedFilm | FileResult;

export function isFileResult<T extends object>(outcome: T | FileResult): outcome is FileResult {
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
): Film | FileResult {
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
): number | FileResult {
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

export function tooLarge(file: DataFile, maxPageBytes: number): FileResult {
  return failed(file.name, `file too large (pages are at most ${formatBytes(maxPageBytes)})`);
}

/** A page's text or bytes → its film (see PageDetail), or the reason it is not one. Never throws. */
export function parsePageFile(
  file: DataFile,
  content: string | Uint8Array,
  pool?: StringPool,
  detail: PageDetail = "full",
): Film | FileResult {
  try {
    return typeof content === "string"
      ? parsePage(content, file.name, pool, detail)
      : parsePageBytes(content, file.name, pool, detail);
  } catch (error) {
    if (error instanceof PageError) return failed(file.name, error.reason);
    // A parser bug must not lose the other 99,999 pages; the message still says what happened.
    return failed(file.name, `could not parse page: ${firstLine(error)}`);
  }
}

export function failed(file: string, message: string): FileResult {
  return { films: [], errors: [{ file, message }] };
}
