/**
 * Loads a data folder into films: every `*.txt` page, `*.json` file (an array of records or one record) and `*.jsonl`
 * file (one record per line, streamed) under it, recursively. Other files (README.md, images) and hidden entries
 * (".git", ".DS_Store") are ignored. A bad file or line is reported and skipped; it never stops the load. Records
 * of the same film are merged (see merge.ts).
 *
 * Pages are read by the page reader (pages/page-reader.ts: on worker threads for big folders, the films kept as their
 * pages). JSON and JSON Lines files are read asynchronously, a few at a time (record-files.ts): they are few and can
 * be big; the JSON Lines files of a big catalog are read on the same worker threads, their films kept as their
 * records' bytes. A reload that passes the catalog it replaces (`previous`) keeps the bytes of every film that did
 * not change, rather than holding a second copy of them.
 */
import { readdir, realpath, stat } from "node:fs/promises";
import { relative, sep } from "node:path";
import { describeFsError, errorCode } from "../errors.js";
import { plural } from "../format.js";
import { SharedStrings } from "./compact.js";
import { mergeSteps, type MergeNote } from "./merge.js";
import {
  type DataFile,
  type FileKind,
  type FileOutcome,
  type FileResult,
  isFileResult,
  type LoadError,
} from "./pages/page-file.js";
import { KeptFilm, keptPageFilm, type LoadedFilm } from "./pages/page-film.js";
import { PageReader } from "./pages/page-reader.js";
import type { PreviousFilms } from "./pages/page-worker-pool.js";
import { DEFAULT_MAX_LINE_BYTES, readRecordsFile } from "./record-files.js";
import { runStepsWithPauses } from "./steps.js";

export interface LoadResult {
  /** Plain records, or pages kept as their bytes (see pages/page-film.ts): `filmDetails` gives either's record. */
  films: LoadedFilm[];
  errors: LoadError[];
  /** Problems that did not cost a film (a record's field cut to its cap, a page that is only a title). */
  warnings: LoadError[];
  merges: MergeNote[];
  /** Data files (.txt / .json / .jsonl) found and read, including the ones that failed. */
  filesRead: number;
  durationMs: number;
}

export interface LoadOptions {
  /** Pages larger than this are reported, not parsed. Default 2 MB. */
  maxPageBytes?: number;
  /** JSON Lines lines longer than this (in bytes, without the line break) are reported and skipped. Default 1 MB. */
  maxLineBytes?: number;
  /**
   * Page worker threads that read and parse pages (0: this thread does it all). Default: one per core
   * (at most 4) from a few thousand pages on.
   */
  pageWorkers?: number;
  /** The page worker's entry module; tests give one that fails. */
  pageWorkerModule?: URL;
  /**
   * JSON Lines files are read on the page workers, their films kept as bytes, when they weigh this many bytes in all
   * (unless `pageWorkers` is 0). Default 8 MB, about 3,000 films: below that, a worker's start costs more than it
   * saves.
   */
  jsonLinesOnWorkersFrom?: number;
  /**
   * The catalog this load replaces (a reload's): a film read again with the very same bytes keeps the bytes it had,
   * so that a reload holds one copy of what did not change, and the load workers, told which films they are (see
   * pages/known-films.ts), do not send those bytes again. A Catalog is one.
   */
  previous?: PreviousFilms;
  /** Called after each file, e.g. to drive a progress bar. */
  onProgress?: (done: number, total: number) => void;
}

export type { MergeNote } from "./merge.js";

/** How many problems, and in how many files: a file's bad lines count one by one, the files they are in once. */
export function countProblems(entries: readonly LoadError[]): { problems: number; files: number } {
  let problems = 0;
  const files = new Set<string>();
  for (const entry of entries) {
    problems += entry.unlisted ?? 1;
    // "films.jsonl:12" is a line of films.jsonl.
    files.add(entry.file.replace(/:\d+$/, ""));
  }
  return { problems, files: files.size };
}

/** "9 errors in 6 files" (see countProblems). */
export function tallyProblems(entries: readonly LoadError[], noun: string): string {
  const { problems, files } = countProblems(entries);
  return problems === 0 ? plural(0, noun) : `${plural(problems, noun)} in ${plural(files, "file")}`;
}
export type { LoadError } from "./pages/page-file.js";

const DEFAULT_MAX_PAGE_BYTES = 2 * 1024 * 1024;
const DEFAULT_JSON_LINES_ON_WORKERS_FROM = 8 * 1024 * 1024;

export async function loadDataDir(dir: string, options: LoadOptions = {}): Promise<LoadResult> {
  const started = performance.now();
  await assertFolder(dir);
  const walkErrors: LoadError[] = [];
  const pages = new PageReader({
    maxPageBytes: options.maxPageBytes ?? DEFAULT_MAX_PAGE_BYTES,
    ...(options.pageWorkers === undefined ? {} : { pageWorkers: options.pageWorkers }),
    ...(options.pageWorkerModule === undefined ? {} : { pageWorkerModule: options.pageWorkerModule }),
  });
  const pool = new SharedStrings();
  let outcomes: ReadOutcome[];
  let files: DataFile[];
  try {
    files = await listDataFiles(dir, walkErrors, (pagesSoFar) => pages.pagesFound(pagesSoFar));
    outcomes = await readAll(files, options, pages, pool);
  } finally {
    pages.close();
  }
  const films: LoadedFilm[] = [];
  const errors: LoadError[] = [...walkErrors];
  const warnings: LoadError[] = [];
  for (const outcome of outcomes) {
    if ("page" in outcome) {
      const page = outcome.page;
      if (!isFileResult(page)) {
        films.push(keptPageFilm(page));
        continue;
      }
      for (const film of page.films) films.push(keptPageFilm(film));
      errors.push(...page.errors);
      warnings.push(...(page.warnings ?? []));
      continue;
    }
    for (const film of outcome.records.films) films.push(film instanceof KeptFilm ? film : pool.shareRecord(film));
    errors.push(...outcome.records.errors);
    warnings.push(...(outcome.records.warnings ?? []));
  }
  const merged = await runStepsWithPauses(mergeSteps(films));
  return {
    films: merged.films,
    errors,
    warnings,
    merges: merged.merges,
    filesRead: files.length,
    durationMs: performance.now() - started,
  };
}

/** What reading one file gave: a page's outcome, or the records of a JSON or JSON Lines file. */
type ReadOutcome = { page: FileOutcome } | { records: FileResult };

// ─── The folder ─────────────────────────────────────────────────────────────────────────────────────────────────

/** Rejects with a one-line message when the data folder cannot be used at all. */
async function assertFolder(dir: string): Promise<void> {
  let info;
  try {
    info = await stat(dir);
  } catch (error) {
    const code = errorCode(error);
    if (code === "ENOENT" || code === "ENOTDIR") throw new Error(`data folder not found: ${dir}`, { cause: error });
    throw new Error(`cannot read data folder ${dir}: ${describeFsError(error)}`, { cause: error });
  }
  if (!info.isDirectory()) throw new Error(`not a folder: ${dir}`);
}

function kindOf(name: string): FileKind | undefined {
  const lower = name.toLowerCase();
  if (lower.endsWith(".txt")) return "page";
  if (lower.endsWith(".jsonl")) return "jsonl";
  if (lower.endsWith(".json")) return "json";
  return undefined;
}

/** Every data file under `dir`, in a stable order (sorted by name, folder by folder). */
async function listDataFiles(
  dir: string,
  errors: LoadError[],
  onPageFound: (pagesSoFar: number) => void,
): Promise<DataFile[]> {
  let pages = 0;
  const files: DataFile[] = [];
  const visited = new Set<string>();
  // `prefix`: the folder's name relative to `dir`, "" or ending in "/". Paths are concatenated, not joined: at 100,000
  // files, join() and relative() per file cost a tenth of a second.
  const walk = async (folder: string, prefix: string): Promise<void> => {
    // A symlink back to a parent folder would otherwise make the walk endless.
    const real = await realpath(folder).catch(() => folder);
    if (visited.has(real)) return;
    visited.add(real);
    let entries;
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (error) {
      errors.push({ file: `${relativeName(dir, folder)}/`, message: `cannot read folder: ${describeFsError(error)}` });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const base = folder.endsWith(sep) ? folder : `${folder}${sep}`;
    for (const entry of entries) {
      if (entry.name.startsWith(".")) continue;
      const path = `${base}${entry.name}`;
      const type = entry.isSymbolicLink()
        ? await linkTarget(path)
        : entry.isDirectory()
          ? "folder"
          : entry.isFile()
            ? "file"
            : "other";
      if (type === "folder") {
        await walk(path, `${prefix}${entry.name}/`);
        continue;
      }
      // Only regular files: opening a FIFO named "x.txt" would wait forever for a writer.
      const kind = type === "file" ? kindOf(entry.name) : undefined;
      if (kind !== undefined) files.push({ path, name: `${prefix}${entry.name}`, kind });
      if (kind === "page") onPageFound(++pages);
    }
  };
  await walk(dir, "");
  return files;
}

/** What a symbolic link points at; a dangling link is "other" and skipped. */
async function linkTarget(path: string): Promise<"folder" | "file" | "other"> {
  return stat(path).then(
    (info) => (info.isDirectory() ? "folder" : info.isFile() ? "file" : "other"),
    () => "other",
  );
}

function relativeName(dir: string, path: string): string {
  const name = relative(dir, path);
  return sep === "/" ? name : name.split(sep).join("/");
}

// ─── Reading ────────────────────────────────────────────────────────────────────────────────────────────────────

async function readAll(
  files: DataFile[],
  options: LoadOptions,
  pages: PageReader,
  pool: SharedStrings,
): Promise<ReadOutcome[]> {
  const results: ReadOutcome[] = Array.from({ length: files.length });
  let done = 0;
  const finished = (index: number, result: ReadOutcome): void => {
    results[index] = result;
    options.onProgress?.(++done, files.length);
  };
  const pageIndexes: number[] = [];
  const others: number[] = [];
  for (const [index, file] of files.entries()) (file.kind === "page" ? pageIndexes : others).push(index);
  const onWorkers = pages.mayUseWorkers ? await jsonLinesForWorkers(files, others, options) : [];
  const here = others.filter((index) => !onWorkers.includes(index));
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const readRecordsHere = (indexes: readonly number[]): Promise<void> =>
    runPool(indexes, 4, async (index) =>
      finished(index, { records: await readRecordsFile(files[index]!, maxLineBytes) }),
    );
  await Promise.all([
    pages.read(files, pageIndexes, onWorkers, {
      pool,
      maxLineBytes,
      previous: options.previous,
      finished: (index, outcome) =>
        finished(index, files[index]!.kind === "page" ? { page: outcome } : { records: outcome as FileResult }),
      readRecordsHere,
    }),
    readRecordsHere(here),
  ]);
  return results;
}

/** The JSON Lines files among `indexes` to read on the workers: all of them when they are big enough together. */
async function jsonLinesForWorkers(
  files: readonly DataFile[],
  indexes: readonly number[],
  options: LoadOptions,
): Promise<number[]> {
  const jsonLines = indexes.filter((index) => files[index]!.kind === "jsonl");
  if (jsonLines.length === 0) return [];
  const sizes = await Promise.all(
    jsonLines.map((index) =>
      stat(files[index]!.path).then(
        (info) => info.size,
        () => 0,
      ),
    ),
  );
  const total = sizes.reduce((sum, size) => sum + size, 0);
  return total >= (options.jsonLinesOnWorkersFrom ?? DEFAULT_JSON_LINES_ON_WORKERS_FROM) ? jsonLines : [];
}

/** Runs `task` over `items` with at most `limit` running at once. */
async function runPool<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await task(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}
