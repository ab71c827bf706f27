/**
 * Reading a load's pages, and the JSON Lines files of a big catalog, the one way into this folder: from a few thousand
 * pages (or a few megabytes of JSON Lines) on, load workers (page-worker.ts, one per core) read and parse them and
 * this thread keeps each film as its bytes plus what the index reads (page-film.ts), since 100,000 complete films as
 * objects on this thread's heap cost more in parsing and garbage collection than a start may take. Below that, this
 * thread reads and parses pages, yielding to the event loop every few milliseconds so a reload inside the bot never
 * stalls the gateway heartbeat (JSON Lines files are then read by load.ts, as plain records).
 *
 * Pages are read with open / read / close into one reusable buffer, because the cost of a small file is the system
 * calls, not the bytes.
 */
import type { StringPool } from "./parse-page.js";
import { type DataFile, type FileOutcome, readPageSync } from "./page-file.js";
import {
  defaultPageWorkers,
  type PreviousFilms,
  readOnWorkers,
  type StartedWorker,
  startPageWorkers,
  WORKER_MINIMUM_PAGES,
} from "./page-worker-pool.js";

export interface PageReaderOptions {
  maxPageBytes: number;
  /**
   * Page worker threads (0: this thread does it all). Default: one per core (at most 4) from a few thousand pages on.
   */
  pageWorkers?: number;
  /** The page worker's entry module; tests give one that fails. */
  pageWorkerModule?: URL;
}

/** How long this thread may hold the event loop reading pages before yielding. */
const SLICE_MS = 8;

export class PageReader {
  private workers: StartedWorker[] | undefined;

  constructor(private readonly options: PageReaderOptions) {
    // An explicit worker count starts them at once; the default waits until the folder is known to need them.
    if (options.pageWorkers !== undefined && options.pageWorkers > 0) {
      this.workers = startPageWorkers(options.pageWorkers, options.maxPageBytes, options.pageWorkerModule);
    }
  }

  /**
   * Called while the folder is listed, with the pages found so far: workers take a few hundred milliseconds to
   * start, so they start as soon as the folder is known to hold enough pages for them.
   */
  pagesFound(count: number): void {
    if (this.workers === undefined && this.options.pageWorkers !== 0 && count >= WORKER_MINIMUM_PAGES) {
      this.workers = startPageWorkers(defaultPageWorkers(), this.options.maxPageBytes, this.options.pageWorkerModule);
    }
  }

  /**
   * Reads and parses the pages `files[pageIndexes]`, and on the workers the JSON Lines files `files[recordIndexes]`
   * (none unless workers are to be used: see `workersFor`), telling `finished` each one's outcome. JSON Lines files
   * no worker could read go to `readRecordsHere`.
   */
  async read(
    files: readonly DataFile[],
    pageIndexes: readonly number[],
    recordIndexes: readonly number[],
    context: {
      pool: StringPool;
      maxLineBytes: number;
      previous: PreviousFilms | undefined;
      finished: (index: number, result: FileOutcome) => void;
      readRecordsHere: (indexes: readonly number[]) => Promise<void>;
    },
  ): Promise<void> {
    const { pool, finished } = context;
    const readPagesHere = (rest: readonly number[]): Promise<void> => this.readHere(files, rest, pool, finished);
    if (recordIndexes.length > 0) this.workersFor();
    const workers = this.workers ?? [];
    if (workers.length === 0) {
      await Promise.all([readPagesHere(pageIndexes), context.readRecordsHere(recordIndexes)]);
      return;
    }
    await readOnWorkers(
      {
        files,
        pageIndexes,
        recordIndexes,
        maxLineBytes: context.maxLineBytes,
        previous: context.previous,
        finished,
        readPagesHere,
        readRecordsHere: context.readRecordsHere,
      },
      workers,
    );
  }

  /** Whether this load may use workers at all (not when told to use none). */
  get mayUseWorkers(): boolean {
    return this.options.pageWorkers !== 0;
  }

  /** Starts the workers now, if they are not running yet: a big JSON Lines catalog needs them whatever the pages. */
  private workersFor(): void {
    if (this.workers === undefined && this.options.pageWorkers !== 0) {
      this.workers = startPageWorkers(defaultPageWorkers(), this.options.maxPageBytes, this.options.pageWorkerModule);
    }
  }

  /** Stops the workers: idle ones would keep the process alive; stopping one that is done already is harmless. */
  close(): void {
    for (const { worker } of this.workers ?? []) void worker.terminate();
  }

  private async readHere(
    files: readonly DataFile[],
    indexes: readonly number[],
    pool: StringPool,
    finished: (index: number, result: FileOutcome) => void,
  ): Promise<void> {
    const { maxPageBytes } = this.options;
    // One byte more than allowed: filling it is how an oversized page shows, without a stat call per file.
    const buffer = Buffer.allocUnsafe(maxPageBytes + 1);
    let sliceStart = performance.now();
    for (const index of indexes) {
      finished(index, readPageSync(files[index]!, buffer, maxPageBytes, pool));
      if (performance.now() - sliceStart > SLICE_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        sliceStart = performance.now();
      }
    }
  }
}
