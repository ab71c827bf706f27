/**
 * The main thread's side of the page workers (page-worker.ts): starting them, handing them ranges of pages, and
 * turning their batches into PageFilms (page-film.ts). See load.ts for when a load uses them.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { type DataFile, failed, type FileOutcome, type LoadError } from "./page-file.js";
import { NameTable } from "./name-ids.js";
import { PageFilm, type PageFilmSummary } from "./page-film.js";
import {
  type PageBatch,
  type PageRange,
  PAGE_WORKER_ROLE,
  PAGES_PER_RANGE,
  type PageWorkerData,
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
}

export function startPageWorkers(
  count: number,
  maxPageBytes: number,
  module = new URL("./page-worker.mjs", import.meta.url),
): StartedWorker[] {
  const workers: StartedWorker[] = [];
  const data: PageWorkerData = { role: PAGE_WORKER_ROLE, maxPageBytes };
  for (let i = 0; i < count; i++) {
    let worker: Worker;
    try {
      // A larger young generation than a worker's default: parsing makes a lot of short-lived garbage, and fewer
      // young collections make the whole load faster (see `npm run bench -- load`).
      worker = new Worker(module, { workerData: data, resourceLimits: { maxYoungGenerationSizeMb: 64 } });
    } catch {
      continue; // the pages are then read on the main thread
    }
    const entry: StartedWorker = { worker, exited: false, onExit: undefined };
    worker.once("error", () => undefined); // the exit handler takes over
    worker.once("exit", () => {
      entry.exited = true;
      entry.onExit?.();
    });
    workers.push(entry);
  }
  return workers;
}

/** A batch from a page worker, with what its name ids mean: `nameTableIds[workerNameId]` in `nameTable`. */
interface ArrivedBatch {
  batch: PageBatch;
  nameTableIds: number[];
}

/**
 * Pages read and parsed on the page workers, handed ranges of pages one after the other; this thread turns each batch
 * into PageFilms. If a worker cannot start or dies, the pages it did not deliver go to `readHere`: the load never
 * depends on the workers.
 */
export async function readPagesOnWorkers(
  files: readonly DataFile[],
  indexes: readonly number[],
  finished: (index: number, result: FileOutcome) => void,
  workers: readonly StartedWorker[],
  readHere: (indexes: readonly number[]) => Promise<void>,
): Promise<void> {
  const pageFiles = indexes.map((index) => files[index]!);
  const ranges: PageRange[] = [];
  for (let from = 0; from < pageFiles.length; from += PAGES_PER_RANGE)
    ranges.push({ from, files: pageFiles.slice(from, from + PAGES_PER_RANGE) });
  let nextRange = 0;
  const undelivered: PageRange[] = [];
  const nameTable = new NameTable();
  await new Promise<void>((resolve) => {
    // Batches are taken in one per event-loop turn, not in the message handler: Node delivers every message already
    // queued on a port in one go, and a go that lasts the whole load blocks the bot answering meanwhile.
    const queue: ArrivedBatch[] = [];
    let scheduled = false;
    let running = workers.length;
    const takeNext = (): void => {
      scheduled = false;
      const arrived = queue.shift();
      if (arrived !== undefined) takeBatch(arrived, pageFiles, indexes, nameTable, finished);
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
      const pending = new Map<number, PageRange>();
      const sendNext = (): void => {
        const range = ranges[nextRange++];
        if (range === undefined) return;
        pending.set(range.from, range);
        worker.postMessage(range);
      };
      const exited = (): void => {
        undelivered.push(...pending.values());
        running--;
        schedule();
      };
      if (entry.exited) {
        exited();
        continue;
      }
      entry.onExit = exited;
      worker.on("message", (batch: PageBatch) => {
        pending.delete(batch.from);
        queue.push({ batch, nameTableIds });
        schedule();
        sendNext();
        if (pending.size === 0) void worker.terminate();
      });
      // Two ranges at a time: the worker starts the next while its last batch travels. Messages sent before the
      // worker is ready wait for it.
      sendNext();
      sendNext();
      if (pending.size === 0) void worker.terminate();
    }
    if (workers.length === 0) resolve();
  });
  // Ranges no worker took (they all failed to start) or a dead worker did not deliver.
  const rest = [...undelivered, ...ranges.slice(nextRange)].flatMap((range) =>
    range.files.map((_, i) => indexes[range.from + i]!),
  );
  if (rest.length > 0) await readHere(rest);
}

/** One page worker's batch → a PageFilm or a load error per page. */
function takeBatch(
  { batch, nameTableIds }: ArrivedBatch,
  pageFiles: readonly DataFile[],
  indexes: readonly number[],
  nameTable: NameTable,
  finished: (index: number, result: FileOutcome) => void,
): void {
  for (const name of batch.newNames) nameTableIds.push(nameTable.idOf(name));
  // The batch's name ids become the load's, in place: the films keep views of this array.
  const creditIds = batch.nameIds;
  for (let k = 0; k < creditIds.length; k++) creditIds[k] = nameTableIds[creditIds[k]!]!;
  const genreIds = batch.genreIds;
  for (let k = 0; k < genreIds.length; k++) genreIds[k] = nameTableIds[genreIds[k]!]!;
  const pages = new Uint8Array(batch.pages);
  let film = 0;
  let warning = 0;
  batch.problems.forEach((problem, i) => {
    const file = pageFiles[batch.from + i]!;
    const index = indexes[batch.from + i]!;
    if (problem !== null) {
      finished(index, failed(file.name, problem));
      return;
    }
    const year = batch.years[film]!;
    const score = batch.scores[film]!;
    const votes = batch.votes[film]!;
    const summary: PageFilmSummary = {
      id: batch.ids[film]!,
      title: batch.titles[film]!,
      normalizedTitle: batch.normalizedTitles[film]!,
      year: Number.isNaN(year) ? null : year,
      rating: Number.isNaN(score) ? null : { score, outOf: 10, votes: Number.isNaN(votes) ? null : votes },
      source: file.name,
      imdbId: batch.imdbIds[film] ?? null,
      alternateTitles: batch.alternateTitles[film] ?? NO_TITLES,
      creditIds: creditIds.subarray(film === 0 ? 0 : batch.creditEnds[film - 1]!, batch.creditEnds[film]!),
      directorCount: batch.directorCounts[film]!,
      genreIds: genreIds.subarray(film === 0 ? 0 : batch.genreEnds[film - 1]!, batch.genreEnds[film]!),
      nameTable,
      triviaCount: batch.triviaCounts[film]!,
    };
    const pageStart = film === 0 ? 0 : batch.pageEnds[film - 1]!;
    const pageFilm = new PageFilm(summary, pages.subarray(pageStart, batch.pageEnds[film]!));
    film++;
    if (batch.warnings[warning]?.page !== i) {
      finished(index, pageFilm);
      return;
    }
    const warnings: LoadError[] = [];
    for (; batch.warnings[warning]?.page === i; warning++)
      warnings.push({ file: file.name, message: batch.warnings[warning]!.message });
    finished(index, { films: [pageFilm], errors: [], warnings });
  });
}
