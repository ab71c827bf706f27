/**
 * A page worker thread: reads and parses the pages of the ranges the main thread hands it, and sends back per page
 * either the reason it failed or its film — as the page's bytes (one transferred buffer per batch), parsed again
 * when a command shows the film, plus the few fields the catalog indexes (see page-film.ts). The main thread then
 * holds 100,000 films without creating their millions of strings, and the parsing runs on every core.
 *
 * People's names go as numbers into a table each worker grows and sends in pieces (`newNames`): a name is copied
 * across once, not once per film.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { Film } from "../film.js";
import { NameTable } from "./name-ids.js";
import { normalizeText } from "../normalize.js";
import { type DataFile, isFileResult, parsePageFile, readPageBytes } from "./page-file.js";
import { grown } from "../typed-arrays.js";

export interface PageWorkerData {
  role: typeof PAGE_WORKER_ROLE;
  maxPageBytes: number;
}

/** Marks the thread as a page worker: importing this module anywhere else (a test worker, say) starts nothing. */
export const PAGE_WORKER_ROLE = "film-bot:page-worker";

/** Main thread → worker: parse these files; `from` is the position of the first among all the pages of the load. */
export interface PageRange {
  from: number;
  files: DataFile[];
}

/** Worker → main thread: the pages of one range, in order. */
export interface PageBatch {
  from: number;
  /** Per page: why it is not a film (the load error's message), or null when it is one. */
  problems: (string | null)[];
  /** The few films' warnings: `page` is the position in the range, as in `problems`. */
  warnings: { page: number; message: string }[];
  /** Per page (films only below, in page order): */
  ids: string[];
  titles: string[];
  /** normalizeText(title), which the merge and the search index would otherwise compute again on the main thread. */
  normalizedTitles: string[];
  /** The IMDb id the merge groups by, null when the page gives none. */
  imdbIds: (string | null)[];
  /** null for a film with none (most pages). */
  alternateTitles: (string[] | null)[];
  /** NaN for an unknown year. */
  years: Float64Array;
  /** NaN when the film has no rating; votes NaN when the rating has no vote count. */
  scores: Float64Array;
  votes: Float64Array;
  triviaCounts: Int32Array;
  /** Credited people of film i: nameIds[creditEnds[i - 1] .. creditEnds[i]), ids into this worker's name table. */
  nameIds: Int32Array;
  creditEnds: Int32Array;
  /** How many of film i's credits, the first ones, are its directors. */
  directorCounts: Int32Array;
  /** Genres of film i: genreIds[genreEnds[i - 1] .. genreEnds[i]), ids into the same name table as the people. */
  genreIds: Int32Array;
  genreEnds: Int32Array;
  /** Names this worker saw first in this batch; they take the next ids of its table, in order. */
  newNames: string[];
  /** Film i's page, as read: pages[pageEnds[i - 1] .. pageEnds[i]). */
  pages: ArrayBuffer;
  pageEnds: Int32Array;
}

/**
 * Pages per range: a batch is taken in by the main thread in a few milliseconds, so its event loop is never held long.
 */
export const PAGES_PER_RANGE = 256;

class BatchWriter {
  /** Every name this worker has seen; the main thread gets the new ones with each batch. */
  private readonly names = new NameTable();
  /** Pages of the batch being read, back to back, with room for one more of the largest allowed size. */
  private pages: Uint8Array;

  constructor(private readonly maxPageBytes: number) {
    this.pages = new Uint8Array(PAGES_PER_RANGE * 4096 + maxPageBytes + 1);
  }

  parseRange(range: PageRange): PageBatch {
    const problems: (string | null)[] = [];
    const warnings: PageBatch["warnings"] = [];
    const films: Film[] = [];
    const pageEnds: number[] = [];
    let length = 0;
    for (const file of range.files) {
      this.makeRoom(length);
      const read = readPageBytes(file, this.pages, length, this.maxPageBytes);
      // A summary: the rest of the record is parsed when a command shows the film.
      const outcome =
        typeof read === "number"
          ? parsePageFile(file, this.pages.subarray(length, length + read), undefined, "summary")
          : read;
      if (isFileResult(outcome) && outcome.films.length === 0) {
        problems.push(outcome.errors[0]?.message ?? "could not parse page");
        continue;
      }
      // A film, alone or with its warnings (see parsePageFile).
      if (isFileResult(outcome))
        for (const { message } of outcome.warnings ?? []) warnings.push({ page: problems.length, message });
      problems.push(null);
      films.push(isFileResult(outcome) ? outcome.films[0]! : outcome);
      length += read as number;
      pageEnds.push(length);
    }
    return {
      from: range.from,
      problems,
      warnings,
      ...this.summaries(films),
      // A copy of exactly the pages read: the catalog keeps it for as long as it keeps these films.
      pages: this.pages.buffer.slice(0, length) as ArrayBuffer,
      pageEnds: Int32Array.from(pageEnds),
    };
  }

  /** Grows the batch buffer so that a page of the largest allowed size fits after `offset`. */
  private makeRoom(offset: number): void {
    const needed = offset + this.maxPageBytes + 1;
    if (needed > this.pages.length) this.pages = grown(this.pages, needed);
  }

  private summaries(films: readonly Film[]): Omit<PageBatch, "from" | "problems" | "warnings" | "pages" | "pageEnds"> {
    const count = films.length;
    const years = new Float64Array(count);
    const scores = new Float64Array(count);
    const votes = new Float64Array(count);
    const triviaCounts = new Int32Array(count);
    const creditEnds = new Int32Array(count);
    const directorCounts = new Int32Array(count);
    const genreEnds = new Int32Array(count);
    const nameIds: number[] = [];
    const genreIds: number[] = [];
    const namesBefore = this.names.names.length;
    films.forEach((film, i) => {
      years[i] = film.year ?? Number.NaN;
      scores[i] = film.rating?.score ?? Number.NaN;
      votes[i] = film.rating?.votes ?? Number.NaN;
      triviaCounts[i] = film.trivia.length;
      for (const name of film.directors) nameIds.push(this.names.idOf(name));
      directorCounts[i] = film.directors.length;
      for (const name of film.stars) nameIds.push(this.names.idOf(name));
      for (const member of film.cast) nameIds.push(this.names.idOf(member.name));
      creditEnds[i] = nameIds.length;
      for (const genre of film.genres) genreIds.push(this.names.idOf(genre));
      genreEnds[i] = genreIds.length;
    });
    return {
      ids: films.map((film) => film.id),
      titles: films.map((film) => film.title),
      normalizedTitles: films.map((film) => normalizeText(film.title)),
      imdbIds: films.map((film) => film.imdbId),
      alternateTitles: films.map((film) => (film.alternateTitles.length === 0 ? null : film.alternateTitles)),
      years,
      scores,
      votes,
      triviaCounts,
      nameIds: Int32Array.from(nameIds),
      creditEnds,
      directorCounts,
      genreIds: Int32Array.from(genreIds),
      genreEnds,
      newNames: this.names.names.slice(namesBefore),
    };
  }
}

function serve(): void {
  const { maxPageBytes } = workerData as PageWorkerData;
  const writer = new BatchWriter(maxPageBytes);
  parentPort?.on("message", (range: PageRange) => {
    const batch = writer.parseRange(range);
    const transfers = [
      batch.pages,
      batch.years.buffer,
      batch.scores.buffer,
      batch.votes.buffer,
      batch.triviaCounts.buffer,
      batch.nameIds.buffer,
      batch.creditEnds.buffer,
      batch.directorCounts.buffer,
      batch.genreIds.buffer,
      batch.genreEnds.buffer,
      batch.pageEnds.buffer,
    ] as ArrayBuffer[];
    parentPort?.postMessage(batch, transfers);
  });
}

if (parentPort && (workerData as Partial<PageWorkerData> | null)?.role === PAGE_WORKER_ROLE) serve();
