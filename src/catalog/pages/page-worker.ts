/**
 * A load worker thread (a "page worker", as it began): reads and parses the pages of the ranges the main thread hands
 * it, and the JSON Lines files of a big catalog, and sends back each film as bytes (in slabs: see SlabWriter) — a
 * page's, or a record's line as read (or the record written back as JSON) — read again when a command shows the
 * film, plus the few fields the catalog indexes (see page-film.ts). The main thread then holds 100,000s of films without
 * creating their millions of strings, its heap stays small enough for short garbage collections, and the parsing
 * runs on every core.
 *
 * People's names go as numbers into a table each worker grows and sends in pieces (`newNames`): a name is copied
 * across once, not once per film.
 */
import { readlinkSync } from "node:fs";
import { setPriority } from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import { describeFsError } from "../../errors.js";
import type { Film } from "../film.js";
import { NameTable } from "./name-ids.js";
import { normalizeText } from "../normalize.js";
import { JsonLinesReader, readJsonLinesSync } from "../record-files.js";
import { pageRichness, recordRichness } from "./page-film.js";
import { float64Array, float64ArrayOf, int32Array, int32ArrayOf, uint8ArrayOf } from "../index-arrays.js";
import { type DataFile, isFileResult, type LoadError, parsePageFile, readPageBytes } from "./page-file.js";
import { grown } from "../typed-arrays.js";
import { filmDigest, isKnown, type KeptKind } from "./known-films.js";

export interface PageWorkerData {
  role: typeof PAGE_WORKER_ROLE;
  maxPageBytes: number;
  /** How many of this worker's messages the main thread has taken off its port (see postInTurn). */
  received: Int32Array;
}

/** Marks the thread as a page worker: importing this module anywhere else (a test worker, say) starts nothing. */
export const PAGE_WORKER_ROLE = "film-bot:page-worker";

/** Main thread → worker: parse these pages; `from` is the position of the first among all the pages of the load. */
export interface PageRange {
  kind: "pages";
  from: number;
  files: DataFile[];
  /** A reload's: the digests of the films it replaces (see known-films.ts), whose bytes are not sent. */
  known: Float64Array | null;
}

/** Main thread → worker: read this JSON Lines file; `index` is its position among the load's files. */
export interface RecordsTask {
  kind: "records";
  index: number;
  file: DataFile;
  maxLineBytes: number;
  /** See PageRange. */
  known: Float64Array | null;
}

export type WorkerTask = PageRange | RecordsTask;

/** What a batch says of its films, whether pages or records (films only, in order). */
export interface FilmSummaries {
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
  /** recordRichness of film i's record (see page-film.ts): pageRichness for a page. */
  richness: Float64Array;
  /** Names this worker saw first in this batch; they take the next ids of its table, in order. */
  newNames: string[];
  /** Film i's bytes (a page as read, or a record as JSON): slab[offset + ends[i - 1] .. offset + ends[i]). */
  bytes: SlabBytes;
  /** filmDigest of film i (see known-films.ts). */
  digests: Float64Array;
  /**
   * 1 when film i is among the task's known films: the main thread keeps the film it replaces, so its bytes are not in
   * the slab, of its strings only the id is sent, and none of its names (no credits, no genres, director count 0).
   */
  known: Uint8Array;
}

/**
 * Where a batch's film bytes are: in slab number `slab` of its worker (see SlabWriter), sent after the batch; NO_SLAB
 * for a batch without bytes.
 */
export interface SlabBytes {
  slab: number;
  offset: number;
  ends: Int32Array;
}

export const NO_SLAB = -1;

/** Main thread → worker: no more tasks; send the slab being filled. */
export interface FlushTask {
  kind: "flush";
}

/** Worker → main thread: slab number `slab`, which the batches naming it point into. */
export interface SlabMessage {
  kind: "slab";
  slab: number;
  buffer: SharedArrayBuffer;
}

/** Worker → main thread: the pages of one range, in order. */
export interface PageBatch extends FilmSummaries {
  kind: "pages";
  from: number;
  /** Per page: why it is not a film (the load error's message), or null when it is one. */
  problems: (string | null)[];
  /** The few films' warnings: `page` is the position in the range, as in `problems`. */
  warnings: { page: number; message: string }[];
}

/**
 * Worker → main thread: the next records of a JSON Lines file, in file order; the file's last batch (`last`) also
 * carries its errors and warnings (each list capped, see JsonLinesReader), or `failure` when it could not be read.
 */
export interface RecordBatch extends FilmSummaries {
  kind: "records";
  index: number;
  last: boolean;
  errors: LoadError[];
  warnings: LoadError[];
  failure: string | null;
  /** Per film: 1 when its bytes are its record's line as read (a RecordLineFilm), 0 when its film as JSON. */
  asRead: Uint8Array;
}

export type WorkerBatch = PageBatch | RecordBatch;

/**
 * Pages per range: a batch is taken in by the main thread in a few milliseconds, so its event loop is never held long.
 */
export const PAGES_PER_RANGE = 256;
/** Records per batch, for the same reason. */
export const RECORDS_PER_BATCH = 256;

/** Bytes per slab: above the largest size glibc's malloc ever serves from its arenas (32 MB). */
const SLAB_BYTES = 64 * 1024 * 1024;

/**
 * Where a worker puts the bytes of the films it hands over: big slabs, filled one after the other and sent to the
 * main thread when full (or when it has no more tasks for this worker); a batch names the slab its bytes are in,
 * and the main thread takes a batch in once its slab has come. The films keep views of the slab. Why not a buffer per
 * batch, as before: a catalog is a gigabyte of such bytes, and buffers of a few hundred kilobytes, allocated here and
 * freed on the main thread, stay with the allocator once freed — every reload added hundreds of megabytes of RSS that
 * no catalog used. A slab is its own mapping, given back whole when no film keeps it.
 *
 * Slabs are shared memory (see index-arrays.ts): transferred as ordinary buffers, each counted as 64 MB more external
 * memory on the main thread and started a full collection there, over the catalog in service during a reload that
 * brings many new films, with a marking step added to every buffer allocated meanwhile.
 */
class SlabWriter {
  private slab: SharedArrayBuffer | undefined;
  private number = 0;
  private used = 0;
  /** Batches whose bytes are in the current slab. */
  private batches = 0;

  /**
   * Copies `bytes` into the current slab (after sending it and starting a new one when they do not fit). A batch
   * without bytes (every film known from before, or none at all) names no slab (NO_SLAB), and needs none allocated.
   */
  place(bytes: Uint8Array, ends: Int32Array): SlabBytes {
    if (bytes.length === 0) return { slab: NO_SLAB, offset: 0, ends };
    if (this.slab === undefined || this.used + bytes.length > this.slab.byteLength) {
      if (this.slab !== undefined) this.flush();
      this.slab ??= new SharedArrayBuffer(Math.max(SLAB_BYTES, bytes.length));
    }
    const offset = this.used;
    new Uint8Array(this.slab, offset, bytes.length).set(bytes);
    this.used += bytes.length;
    this.batches++;
    return { slab: this.number, offset, ends };
  }

  /**
   * Whether the batches waiting on the slab have waited long enough: a reload in which few films changed fills a slab
   * slowly, and the main thread takes a batch in only once its slab has come; they would all arrive at the end at once.
   */
  get due(): boolean {
    return this.batches >= SPARSE_SLAB_BATCHES && this.used <= SPARSE_SLAB_BYTES;
  }

  /**
   * Sends the current slab (the batches naming it went before it) and starts the next number. Sent
   * whole: only the pages written are resident, and a smaller copy would come from the allocator's arenas again —
   * except a sparse one (see `due`), of which a copy goes and the slab is filled again.
   */
  flush(): void {
    const slab = this.slab ?? new SharedArrayBuffer(0);
    const sparse = this.used <= SPARSE_SLAB_BYTES && this.slab !== undefined;
    const buffer = sparse ? slab.slice(0, this.used) : slab;
    postInTurn({ kind: "slab", slab: this.number, buffer });
    if (!sparse) this.slab = undefined;
    this.used = 0;
    this.batches = 0;
    this.number++;
  }
}

/** See SlabWriter.due. */
const SPARSE_SLAB_BATCHES = 64;
const SPARSE_SLAB_BYTES = 8 * 1024 * 1024;

class BatchWriter {
  /** Every name this worker has seen; the main thread gets the new ones with each batch. */
  private readonly names = new NameTable();
  readonly slabs = new SlabWriter();
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
    const known = new KnownMarks(range.known);
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
      // A page known from before stays out of the slab: the next one is read over it.
      if (!known.mark("page", file.name, this.pages.subarray(length, length + (read as number))))
        length += read as number;
      pageEnds.push(length);
    }
    const bytes = this.slabs.place(this.pages.subarray(0, length), int32ArrayOf(pageEnds));
    return { kind: "pages", from: range.from, problems, warnings, ...this.summaries(films, bytes, "pages", known) };
  }

  /** Grows the batch buffer so that `bytes` (a page of the largest allowed size by default) fit after `offset`. */
  private makeRoom(offset: number, bytes = this.maxPageBytes + 1): void {
    const needed = offset + bytes;
    if (needed > this.pages.length) this.pages = grown(this.pages, needed);
  }

  /**
   * Reads a JSON Lines file, handing each batch of RECORDS_PER_BATCH films to `send` as soon as it is complete, and
   * the rest with the file's errors and warnings in the last one.
   */
  readRecords(task: RecordsTask, send: (batch: RecordBatch) => void): void {
    const films: Film[] = [];
    const lines: (Uint8Array | null)[] = [];
    const known = new KnownMarks(task.known);
    const batch = (last: boolean, outcome?: Partial<Pick<RecordBatch, "errors" | "warnings" | "failure">>): void => {
      send({
        kind: "records",
        index: task.index,
        last,
        errors: outcome?.errors ?? [],
        warnings: outcome?.warnings ?? [],
        failure: outcome?.failure ?? null,
        asRead: uint8ArrayOf(lines.map((line) => (line === null ? 0 : 1))),
        ...this.summaries(films, this.encodeRecords(films, lines, task.file.name, known), "records", known),
      });
      films.length = 0;
      lines.length = 0;
      known.clear();
    };
    const reader = new JsonLinesReader(task.file, task.maxLineBytes, (film, line) => {
      films.push(film);
      // A view of the chunk it was read from: each chunk is a fresh buffer (see readJsonLinesSync).
      lines.push(line);
      if (films.length === RECORDS_PER_BATCH) batch(false);
    });
    let outcome: Partial<Pick<RecordBatch, "errors" | "warnings" | "failure">>;
    try {
      outcome = readJsonLinesSync(task.file, reader);
    } catch (error) {
      films.length = 0;
      lines.length = 0;
      outcome = { failure: `cannot read: ${describeFsError(error)}` };
    }
    batch(true, outcome);
  }

  /**
   * The films' records, back to back in a slab: a record's line as read where there is one (see JsonLinesReader),
   * else the film as JSON. Writing a film out again costs as much as parsing it; copying the line costs nothing.
   */
  private encodeRecords(
    films: readonly Film[],
    lines: readonly (Uint8Array | null)[],
    source: string,
    known: KnownMarks,
  ): SlabBytes {
    const recordEnds = int32Array(films.length);
    let length = 0;
    films.forEach((film, i) => {
      const line = lines[i];
      const start = length;
      if (line !== null && line !== undefined) {
        this.makeRoom(length, line.length);
        this.pages.set(line, length);
        length += line.length;
      } else {
        const json = JSON.stringify(film);
        // At most three bytes per UTF-16 unit.
        this.makeRoom(length, json.length * 3);
        length += ENCODER.encodeInto(json, this.pages.subarray(length)).written;
      }
      const kind = line !== null && line !== undefined ? "line" : "record";
      // A record known from before stays out of the slab.
      if (known.mark(kind, source, this.pages.subarray(start, length))) length = start;
      recordEnds[i] = length;
    });
    return this.slabs.place(this.pages.subarray(0, length), recordEnds);
  }

  private summaries(
    films: readonly Film[],
    bytes: SlabBytes,
    kind: "pages" | "records",
    known: KnownMarks,
  ): FilmSummaries {
    const count = films.length;
    // Of a known film only the id is sent: the main thread keeps the film it replaces.
    const fresh = (i: number): boolean => known.marks[i] !== 1;
    const richness = float64ArrayOf(films.map(kind === "pages" ? pageRichness : recordRichness));
    const years = float64Array(count);
    const scores = float64Array(count);
    const votes = float64Array(count);
    const triviaCounts = int32Array(count);
    const creditEnds = int32Array(count);
    const directorCounts = int32Array(count);
    const genreEnds = int32Array(count);
    const nameIds: number[] = [];
    const genreIds: number[] = [];
    const namesBefore = this.names.names.length;
    films.forEach((film, i) => {
      years[i] = film.year ?? Number.NaN;
      scores[i] = film.rating?.score ?? Number.NaN;
      votes[i] = film.rating?.votes ?? Number.NaN;
      triviaCounts[i] = film.trivia.length;
      // A known film's names are not sent: the main thread keeps the film it replaces, names and all.
      if (fresh(i)) {
        for (const name of film.directors) nameIds.push(this.names.idOf(name));
        directorCounts[i] = film.directors.length;
        for (const name of film.stars) nameIds.push(this.names.idOf(name));
        for (const member of film.cast) nameIds.push(this.names.idOf(member.name));
      }
      creditEnds[i] = nameIds.length;
      if (fresh(i)) for (const genre of film.genres) genreIds.push(this.names.idOf(genre));
      genreEnds[i] = genreIds.length;
    });
    return {
      ids: films.map((film) => film.id),
      titles: films.map((film, i) => (fresh(i) ? film.title : "")),
      normalizedTitles: films.map((film, i) => (fresh(i) ? normalizeText(film.title) : "")),
      imdbIds: films.map((film, i) => (fresh(i) ? film.imdbId : null)),
      alternateTitles: films.map((film, i) =>
        fresh(i) && film.alternateTitles.length > 0 ? film.alternateTitles : null,
      ),
      years,
      scores,
      votes,
      triviaCounts,
      nameIds: int32ArrayOf(nameIds),
      creditEnds,
      directorCounts,
      genreIds: int32ArrayOf(genreIds),
      genreEnds,
      richness,
      newNames: this.names.names.slice(namesBefore),
      bytes,
      digests: float64ArrayOf(known.digests),
      known: uint8ArrayOf(known.marks),
    };
  }
}

/** The digests of a batch's films, and which of them are among a task's known films (see known-films.ts). */
class KnownMarks {
  readonly digests: number[] = [];
  readonly marks: number[] = [];

  constructor(private readonly known: Float64Array | null) {}

  /** Notes the next film's digest; true when it is known, its bytes then to be left out. */
  mark(kind: KeptKind, source: string, bytes: Uint8Array): boolean {
    const digest = filmDigest(kind, source, bytes);
    const isKnownFilm = this.known !== null && isKnown(this.known, digest);
    this.digests.push(digest);
    this.marks.push(isKnownFilm ? 1 : 0);
    return isKnownFilm;
  }

  clear(): void {
    this.digests.length = 0;
    this.marks.length = 0;
  }
}

/**
 * Messages a worker may have on the main thread's port, not yet taken. Node takes every message waiting on a port in
 * one go, and a worker reading a big JSON Lines file outruns a busy main thread: hundreds of batches waiting made
 * one go of a few hundred milliseconds, during which the bot answered nothing.
 */
const MAX_MESSAGES_AHEAD = 8;
let messagesPosted = 0;

/**
 * Posts a message, after waiting (at most a few seconds in all) for the main thread to take the earlier ones. Nothing
 * is transferred: a batch's arrays and the slabs are shared memory (see index-arrays.ts and SlabWriter), which the
 * main thread receives without a copy and without counting it as external memory. Received as ordinary buffers, a
 * load's thousands of them each added a marking step to the main thread whenever a full collection ran meanwhile.
 */
function postInTurn(message: WorkerBatch | SlabMessage): void {
  const { received } = workerData as PageWorkerData;
  for (let waits = 0; waits < 50; waits++) {
    const taken = Atomics.load(received, 0);
    if (messagesPosted - taken < MAX_MESSAGES_AHEAD) break;
    // Woken by the main thread's notify; the timeout is for a main thread that stopped listening.
    Atomics.wait(received, 0, taken, 100);
  }
  messagesPosted++;
  parentPort?.postMessage(message);
}

/** A worker's nice value: below the main thread's, yet not starved by every other process of the machine. */
const WORKER_NICE = 10;

/**
 * Lowers this thread's priority, on Linux (a thread's id is the last part of /proc/thread-self, and setpriority on it
 * affects that thread alone). During a reload the main thread answers members while the workers parse, and with a
 * worker per core it would otherwise wait for a core behind them, the members with it. Where this cannot be done,
 * the worker runs as it is.
 */
function yieldToMainThread(): void {
  try {
    const threadId = Number(readlinkSync("/proc/thread-self").split("/").pop());
    if (Number.isInteger(threadId) && threadId > 0) setPriority(threadId, WORKER_NICE);
  } catch {
    // Not Linux, or not allowed: the same work, at the same priority.
  }
}

function serve(): void {
  yieldToMainThread();
  const { maxPageBytes } = workerData as PageWorkerData;
  const writer = new BatchWriter(maxPageBytes);
  const send = (batch: WorkerBatch): void => {
    postInTurn(batch);
    if (writer.slabs.due) writer.slabs.flush();
  };
  parentPort?.on("message", (task: WorkerTask | FlushTask) => {
    if (task.kind === "pages") send(writer.parseRange(task));
    else if (task.kind === "records") writer.readRecords(task, send);
    else writer.slabs.flush();
  });
}

const ENCODER = new TextEncoder();

if (parentPort && (workerData as Partial<PageWorkerData> | null)?.role === PAGE_WORKER_ROLE) serve();
