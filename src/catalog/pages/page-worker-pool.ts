/**
 * The main thread's side of the load workers (page-worker.ts): starting them, handing them ranges of pages and JSON
 * Lines files, and turning their batches into films kept as bytes (page-film.ts). See load.ts for when a load uses
 * them.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { FilmSummary } from "../film.js";
import { type DataFile, failed, type FileOutcome, type FileResult, type LoadError } from "./page-file.js";
import { knownDigestSteps, type MaybeKept } from "./known-films.js";
import { NameTable } from "./name-ids.js";
import { runStepsWithPauses } from "../steps.js";
import { KeptFilm, type LoadedFilm, PageFilm, type PageFilmSummary, RecordFilm, RecordLineFilm } from "./page-film.js";
import { int32Array } from "../index-arrays.js";
import {
  type FilmSummaries,
  type FlushTask,
  NO_SLAB,
  type PageBatch,
  PAGE_WORKER_ROLE,
  PAGES_PER_RANGE,
  type PageWorkerData,
  type RecordBatch,
  type SlabMessage,
  type WorkerBatch,
  type WorkerTask,
} from "./page-worker.js";

/** Page workers pay off from a few thousand pages; below that their start-up costs more than they save. */
export const WORKER_MINIMUM_PAGES = 2000;
/** More workers than this only add start-up cost: the main thread's share of the work becomes the limit. */
const MAX_PAGE_WORKERS = 4;
/** A film without other titles: one shared empty list. */
const NO_TITLES: readonly string[] = Object.freeze([]);

export function defaultPageWorkers(): number {
  return Math.min(MAX_PAGE_WORKERS, availableParallelism());
}

/** A page worker, started before it has work; a worker that dies meanwhile is known by `exited`. */
export interface StartedWorker {
  worker: Worker;
  exited: boolean;
  onExit: (() => void) | undefined;
  /** Messages taken from this worker, which it reads to keep its lead small (see postInTurn in page-worker.ts). */
  received: Int32Array;
}

export function startPageWorkers(
  count: number,
  maxPageBytes: number,
  module = new URL("./page-worker.mjs", import.meta.url),
): StartedWorker[] {
  const workers: StartedWorker[] = [];
  for (let i = 0; i < count; i++) {
    let worker: Worker;
    const received = new Int32Array(new SharedArrayBuffer(4));
    const data: PageWorkerData = { role: PAGE_WORKER_ROLE, maxPageBytes, received };
    try {
      // A larger young generation than a worker's default: parsing makes a lot of short-lived garbage, and fewer
      // young collections make the whole load faster (see `npm run bench -- load`).
      worker = new Worker(module, { workerData: data, resourceLimits: { maxYoungGenerationSizeMb: 64 } });
    } catch {
      continue; // the pages are then read on the main thread
    }
    const entry: StartedWorker = { worker, exited: false, onExit: undefined, received };
    worker.once("error", () => undefined); // the exit handler takes over
    worker.once("exit", () => {
      entry.exited = true;
      entry.onExit?.();
    });
    workers.push(entry);
  }
  return workers;
}

/**
 * The catalog a reload replaces: its films, whose digests the workers are given (see known-films.ts), and each by id.
 * A film whose bytes did not change is kept as it was, the very object (see keptOrBytes).
 */
export interface PreviousFilms {
  readonly films: readonly (FilmSummary & MaybeKept)[];
  get(id: string): FilmSummary | undefined;
}

/** What the workers are to read: pages (`pageIndexes`) and JSON Lines files (`recordIndexes`), positions in `files`. */
export interface WorkerLoad {
  files: readonly DataFile[];
  pageIndexes: readonly number[];
  recordIndexes: readonly number[];
  maxLineBytes: number;
  previous: PreviousFilms | undefined;
  /** Told each page's outcome, and each JSON Lines file's once all of it is in. */
  finished: (index: number, result: FileOutcome) => void;
  /** Reads on this thread what no worker delivered (none could start, or one died). */
  readPagesHere: (indexes: readonly number[]) => Promise<void>;
  readRecordsHere: (indexes: readonly number[]) => Promise<void>;
}

/**
 * A batch from a worker, with what its name ids mean (`nameTableIds[workerNameId]` in `nameTable`) and, once it has
 * come, the slab its bytes are in.
 */
interface ArrivedBatch {
  batch: WorkerBatch;
  nameTableIds: number[];
  slab: SharedArrayBuffer | undefined;
}

/** A JSON Lines file being delivered batch by batch. */
interface RecordsInProgress {
  films: LoadedFilm[];
}

/**
 * Pages and JSON Lines files read and parsed on the workers, each worker handed tasks one after the other (JSON
 * Lines files first: they are the longest); this thread turns each batch into kept films, one batch per event-loop
 * turn. If a worker cannot start or dies, what it did not deliver is read on this thread: the load never depends on
 * the workers.
 */
export async function readOnWorkers(load: WorkerLoad, workers: readonly StartedWorker[]): Promise<void> {
  const { files, pageIndexes, recordIndexes } = load;
  const pageFiles = pageIndexes.map((index) => files[index]!);
  const known = load.previous === undefined ? null : await runStepsWithPauses(knownDigestSteps(load.previous.films));
  const tasks: WorkerTask[] = recordIndexes.map((index) => ({
    kind: "records",
    index,
    file: files[index]!,
    maxLineBytes: load.maxLineBytes,
    known,
  }));
  for (let from = 0; from < pageFiles.length; from += PAGES_PER_RANGE)
    tasks.push({ kind: "pages", from, files: pageFiles.slice(from, from + PAGES_PER_RANGE), known });
  const taskByKey = new Map(tasks.map((task) => [taskKey(task), task]));
  let nextTask = 0;
  const undelivered: WorkerTask[] = [];
  const inProgress = new Map<number, RecordsInProgress>();
  const nameTable = new NameTable();
  /** Tasks a dead worker did not deliver: what arrived of them is dropped (a file is read again from its start). */
  const abandoned = new Set<string>();
  await new Promise<void>((resolve) => {
    // Batches are taken in one per event-loop turn, not in the message handler: Node delivers every message already
    // queued on a port in one go, and a go that lasts the whole load blocks the bot answering meanwhile.
    const queue: ArrivedBatch[] = [];
    let scheduled = false;
    let running = workers.length;
    const takeNext = (): void => {
      scheduled = false;
      const arrived = queue.shift();
      const key = arrived === undefined ? undefined : batchKey(arrived.batch);
      if (arrived !== undefined && key !== undefined && !abandoned.has(key)) {
        const taken =
          arrived.batch.kind === "pages"
            ? takePageBatch(arrived, arrived.batch, pageFiles, pageIndexes, nameTable, load)
            : takeRecordBatch(arrived, arrived.batch, inProgress, nameTable, load);
        // A film the worker took for known is not the one it replaces (a digest shared by chance): the task's files
        // are read again on this thread, with their bytes.
        if (!taken) {
          abandoned.add(key);
          undelivered.push(taskByKey.get(key)!);
          if (arrived.batch.kind === "records") inProgress.delete(arrived.batch.index);
        }
      }
      if (queue.length > 0) schedule();
      else if (running === 0) resolve();
    };
    const schedule = (): void => {
      if (scheduled) return;
      scheduled = true;
      setImmediate(takeNext);
    };
    for (const entry of workers) {
      const { worker } = entry;
      /** This worker's name ids → the load's. */
      const nameTableIds: number[] = [];
      /** Tasks sent, whose last batch has not come yet. */
      const pending = new Map<string, WorkerTask>();
      /** Tasks whose last batch has come, but not yet the slab it is in. */
      const unflushed = new Map<string, WorkerTask>();
      /** Batches waiting for their slab, in order. */
      const waiting: ArrivedBatch[] = [];
      let flushAsked = false;
      const sendNext = (): void => {
        const task = tasks[nextTask++];
        if (task === undefined) return;
        pending.set(taskKey(task), task);
        worker.postMessage(task);
      };
      /** No task left for this worker: it sends the slab it is filling, and stops once that has come. */
      const finishIfIdle = (): void => {
        if (pending.size > 0) return;
        if (unflushed.size === 0 && waiting.length === 0) {
          void worker.terminate();
        } else if (!flushAsked) {
          flushAsked = true;
          worker.postMessage({ kind: "flush" } satisfies FlushTask);
        }
      };
      const exited = (): void => {
        for (const [key, task] of [...pending, ...unflushed]) {
          if (abandoned.has(key)) continue;
          undelivered.push(task);
          abandoned.add(key);
          if (task.kind === "records") inProgress.delete(task.index);
        }
        pending.clear();
        unflushed.clear();
        waiting.length = 0;
        running--;
        schedule();
      };
      if (entry.exited) {
        exited();
        continue;
      }
      entry.onExit = exited;
      worker.on("message", (message: WorkerBatch | SlabMessage) => {
        Atomics.add(entry.received, 0, 1);
        Atomics.notify(entry.received, 0);
        if (message.kind === "slab") {
          // Every batch waiting names this slab: slabs come in order, after the batches that point into them.
          for (const arrived of waiting.splice(0)) {
            arrived.slab = message.buffer;
            queue.push(arrived);
            unflushed.delete(batchKey(arrived.batch));
          }
          schedule();
          finishIfIdle();
          return;
        }
        const arrived: ArrivedBatch = { batch: message, nameTableIds, slab: undefined };
        const last = message.kind === "pages" || message.last;
        const key = batchKey(message);
        // A batch without bytes needs no slab; it still keeps its turn behind those waiting for theirs.
        if (message.bytes.slab === NO_SLAB && waiting.length === 0) {
          queue.push(arrived);
          schedule();
        } else {
          waiting.push(arrived);
          if (last) unflushed.set(key, pending.get(key)!);
        }
        if (!last) return;
        pending.delete(key);
        sendNext();
        finishIfIdle();
      });
      // Two tasks at a time: the worker starts the next while its last batch travels. Messages sent before the
      // worker is ready wait for it.
      sendNext();
      sendNext();
      finishIfIdle();
    }
    if (workers.length === 0) resolve();
  });
  // Tasks no worker took (they all failed to start) or a dead worker did not deliver.
  const rest = [...undelivered, ...tasks.slice(nextTask)];
  const pagesLeft = rest.flatMap((task) =>
    task.kind === "pages" ? task.files.map((_, i) => pageIndexes[task.from + i]!) : [],
  );
  const recordsLeft = rest.flatMap((task) => (task.kind === "records" ? [task.index] : []));
  if (pagesLeft.length > 0) await load.readPagesHere(pagesLeft);
  if (recordsLeft.length > 0) await load.readRecordsHere(recordsLeft);
}

function taskKey(task: WorkerTask): string {
  return task.kind === "pages" ? `p${task.from}` : `r${task.index}`;
}

/** The key of the task a batch belongs to. */
function batchKey(batch: WorkerBatch): string {
  return batch.kind === "pages" ? `p${batch.from}` : `r${batch.index}`;
}

/** A batch's credit and genre ids, as ids into the load's name table (see toLoadNameIds). */
interface LoadNameIds {
  creditIds: Int32Array;
  genreIds: Int32Array;
}

/**
 * The batch's name ids as the load's, in arrays of this thread's: the films keep views of them for as long as the
 * catalog lives, and a buffer allocated on the worker and kept here would pin the worker's allocator arena.
 */
function toLoadNameIds({ batch, nameTableIds }: ArrivedBatch, nameTable: NameTable): LoadNameIds {
  for (const name of batch.newNames) nameTableIds.push(nameTable.idOf(name));
  const toLoad = (workerIds: Int32Array): Int32Array => {
    const ids = int32Array(workerIds.length);
    for (let k = 0; k < workerIds.length; k++) ids[k] = nameTableIds[workerIds[k]!]!;
    return ids;
  };
  return { creditIds: toLoad(batch.nameIds), genreIds: toLoad(batch.genreIds) };
}

/** Film `film` of a batch's summaries; `ids` are the batch's name ids as the load's (see toLoadNameIds). */
function summaryOf(
  batch: FilmSummaries,
  film: number,
  source: string,
  nameTable: NameTable,
  ids: LoadNameIds,
): PageFilmSummary {
  const year = batch.years[film]!;
  const score = batch.scores[film]!;
  const votes = batch.votes[film]!;
  return {
    id: batch.ids[film]!,
    title: batch.titles[film]!,
    normalizedTitle: batch.normalizedTitles[film]!,
    year: Number.isNaN(year) ? null : year,
    rating: Number.isNaN(score) ? null : { score, outOf: 10, votes: Number.isNaN(votes) ? null : votes },
    source,
    imdbId: batch.imdbIds[film] ?? null,
    alternateTitles: batch.alternateTitles[film] ?? NO_TITLES,
    creditIds: ids.creditIds.subarray(film === 0 ? 0 : batch.creditEnds[film - 1]!, batch.creditEnds[film]!),
    directorCount: batch.directorCounts[film]!,
    genreIds: ids.genreIds.subarray(film === 0 ? 0 : batch.genreEnds[film - 1]!, batch.genreEnds[film]!),
    nameTable,
    triviaCount: batch.triviaCounts[film]!,
    richness: batch.richness[film]!,
    digest: batch.digests[film]!,
  };
}

/**
 * For each film of a batch, its bytes, as a view of the worker's slab (see SlabWriter in page-worker.ts); or, for a
 * film the worker took for known (see known-films.ts), the film it replaces, which has the same id, kind, file and
 * digest and goes into the new catalog as it is: a reload of a catalog that barely changed then holds one copy of the
 * films, not two, and neither their bytes nor their names cross threads again, nor are new objects made for them.
 * Null when a film taken for known is not the one it replaces (its digest is another's).
 */
function keptOrBytes(
  slab: SharedArrayBuffer | undefined,
  batch: FilmSummaries,
  sourceOf: (film: number) => string,
  kindOf: (film: number) => typeof PageFilm | typeof RecordFilm | typeof RecordLineFilm,
  previous: PreviousFilms | undefined,
): (KeptFilm | Uint8Array)[] | null {
  const { offset, ends } = batch.bytes;
  const films: (KeptFilm | Uint8Array)[] = [];
  for (let i = 0; i < ends.length; i++) {
    if (batch.known[i] === 1) {
      const before = previous?.get(batch.ids[i]!);
      const same = before instanceof kindOf(i) && before.source === sourceOf(i) && before.digest === batch.digests[i];
      if (!same) return null;
      films.push(before);
    } else {
      const start = i === 0 ? 0 : ends[i - 1]!;
      // A batch without bytes has no slab (see NO_SLAB).
      films.push(slab === undefined ? new Uint8Array(0) : new Uint8Array(slab, offset + start, ends[i]! - start));
    }
  }
  return films;
}

/** One worker's page batch → a PageFilm or a load error per page; false to read it again (see keptOrBytes). */
function takePageBatch(
  arrived: ArrivedBatch,
  batch: PageBatch,
  pageFiles: readonly DataFile[],
  indexes: readonly number[],
  nameTable: NameTable,
  load: WorkerLoad,
): boolean {
  const ids = toLoadNameIds(arrived, nameTable);
  // Film f is page pageOfFilm[f] of the range.
  const pageOfFilm: number[] = [];
  batch.problems.forEach((problem, i) => {
    if (problem === null) pageOfFilm.push(i);
  });
  const sourceOf = (film: number): string => pageFiles[batch.from + pageOfFilm[film]!]!.name;
  const pages = keptOrBytes(arrived.slab, batch, sourceOf, () => PageFilm, load.previous);
  if (pages === null) return false;
  let film = 0;
  let warning = 0;
  batch.problems.forEach((problem, i) => {
    const file = pageFiles[batch.from + i]!;
    const index = indexes[batch.from + i]!;
    if (problem !== null) {
      load.finished(index, failed(file.name, problem));
      return;
    }
    const page = pages[film]!;
    const pageFilm =
      page instanceof KeptFilm ? page : new PageFilm(summaryOf(batch, film, file.name, nameTable, ids), page);
    film++;
    if (batch.warnings[warning]?.page !== i) {
      load.finished(index, pageFilm);
      return;
    }
    const warnings: LoadError[] = [];
    for (; batch.warnings[warning]?.page === i; warning++)
      warnings.push({ file: file.name, message: batch.warnings[warning]!.message });
    load.finished(index, { films: [pageFilm], errors: [], warnings });
  });
  return true;
}

/**
 * One worker's batch of a JSON Lines file → RecordFilms; the file's outcome once its last batch is in. False when the
 * file must be read again (see keptOrBytes).
 */
function takeRecordBatch(
  arrived: ArrivedBatch,
  batch: RecordBatch,
  inProgress: Map<number, RecordsInProgress>,
  nameTable: NameTable,
  load: WorkerLoad,
): boolean {
  const file = load.files[batch.index]!;
  const ids = toLoadNameIds(arrived, nameTable);
  let progress = inProgress.get(batch.index);
  if (progress === undefined) inProgress.set(batch.index, (progress = { films: [] }));
  const kindOf = (film: number): typeof RecordFilm | typeof RecordLineFilm =>
    batch.asRead[film] === 1 ? RecordLineFilm : RecordFilm;
  const records = keptOrBytes(arrived.slab, batch, () => file.name, kindOf, load.previous);
  if (records === null) return false;
  records.forEach((record, film) => {
    const Kind = kindOf(film);
    progress.films.push(
      record instanceof KeptFilm ? record : new Kind(summaryOf(batch, film, file.name, nameTable, ids), record),
    );
  });
  if (!batch.last) return true;
  inProgress.delete(batch.index);
  const result: FileResult =
    batch.failure !== null
      ? failed(file.name, batch.failure)
      : { films: progress.films, errors: batch.errors, warnings: batch.warnings };
  load.finished(batch.index, result);
  return true;
}
