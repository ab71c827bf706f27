/**
 * Loads a data folder into films: every `*.txt` page, `*.json` file (an array of records or one record) and `*.jsonl`
 * file (one record per line, streamed) under it, recursively. Other files (README.md, images) and hidden entries
 * (".git", ".DS_Store") are ignored. A bad file or line is reported and skipped; it never stops the load. Records
 * of the same film are merged (see merge.ts).
 *
 * Pages are read by the page reader (pages/page-reader.ts: on worker threads for big folders, the films kept as their
 * pages). JSON and JSON Lines files are read asynchronously, a few at a time: they are few and can be big.
 */
import { createReadStream } from "node:fs";
import { readdir, readFile, realpath, stat } from "node:fs/promises";
import { relative, sep } from "node:path";
import { createInterface } from "node:readline";
import { describeFsError, errorCode, firstLine } from "../errors.js";
import { formatBytes } from "../format.js";
import { detach, SharedStrings } from "./compact.js";
import type { Film } from "./film.js";
import { mergeSteps, type MergeNote } from "./merge.js";
import {
  type DataFile,
  failed,
  type FileKind,
  type FileOutcome,
  type FileResult,
  isFileResult,
  type LoadError,
} from "./pages/page-file.js";
import { type LoadedFilm, PageFilm } from "./pages/page-film.js";
import { PageReader } from "./pages/page-reader.js";
import { RecordError, recordToFilm } from "./records.js";
import { runStepsWithPauses } from "./steps.js";

export interface LoadResult {
  /** Plain records, or pages kept as their bytes (see pages/page-film.ts): `filmDetails` gives either's record. */
  films: LoadedFilm[];
  errors: LoadError[];
  merges: MergeNote[];
  /** Data files (.txt / .json / .jsonl) found and read, including the ones that failed. */
  filesRead: number;
  durationMs: number;
}

export interface LoadOptions {
  /** Pages larger than this are reported, not parsed. Default 2 MB. */
  maxPageBytes?: number;
  /**
   * Page worker threads that read and parse pages (0: this thread does it all). Default: one per core
   * (at most 4) from a few thousand pages on.
   */
  pageWorkers?: number;
  /** The page worker's entry module; tests give one that fails. */
  pageWorkerModule?: URL;
  /** Called after each file, e.g. to drive a progress bar. */
  onProgress?: (done: number, total: number) => void;
}

export type { MergeNote } from "./merge.js";
export type { LoadError } from "./pages/page-file.js";

const DEFAULT_MAX_PAGE_BYTES = 2 * 1024 * 1024;
/** JSON files are parsed whole; past this size V8 strings give out, and JSON Lines is the format to use. */
const MAX_JSON_BYTES = 256 * 1024 * 1024;
/** A JSON Lines file that is wrong on every line would otherwise bury the report. */
const MAX_LINE_ERRORS_PER_FILE = 50;

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
  let outcomes: FileOutcome[];
  let files: DataFile[];
  try {
    files = await listDataFiles(dir, walkErrors, (pagesSoFar) => pages.pagesFound(pagesSoFar));
    outcomes = await readAll(files, options, pages, pool);
  } finally {
    pages.close();
  }
  const films: LoadedFilm[] = [];
  const errors: LoadError[] = [...walkErrors];
  for (const outcome of outcomes) {
    if (outcome instanceof PageFilm) {
      films.push(outcome);
      continue;
    }
    if (!isFileResult(outcome)) {
      // A page parsed on this thread, with the load's string pool; its id is a concatenation, flattened here.
      outcome.id = detach(outcome.id);
      films.push(outcome);
      continue;
    }
    for (const film of outcome.films) films.push(pool.shareRecord(film));
    for (const error of outcome.errors) errors.push(error);
  }
  const merged = await runStepsWithPauses(mergeSteps(films));
  return {
    films: merged.films,
    errors,
    merges: merged.merges,
    filesRead: files.length,
    durationMs: performance.now() - started,
  };
}

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
): Promise<FileOutcome[]> {
  const results: FileOutcome[] = Array.from({ length: files.length });
  let done = 0;
  const finished = (index: number, result: FileOutcome): void => {
    results[index] = result;
    options.onProgress?.(++done, files.length);
  };
  const pageIndexes: number[] = [];
  const others: number[] = [];
  for (const [index, file] of files.entries()) (file.kind === "page" ? pageIndexes : others).push(index);
  const readOthers = runPool(others, 4, async (index) => finished(index, await readRecordsFile(files[index]!)));
  await Promise.all([pages.read(files, pageIndexes, pool, finished), readOthers]);
  return results;
}

/** Runs `task` over `items` with at most `limit` running at once. */
async function runPool<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await task(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

async function readRecordsFile(file: DataFile): Promise<FileResult> {
  try {
    return file.kind === "jsonl" ? await readJsonLines(file) : await readJson(file);
  } catch (error) {
    return failed(file.name, `cannot read: ${describeFsError(error)}`);
  }
}

async function readJson(file: DataFile): Promise<FileResult> {
  const { size } = await stat(file.path);
  if (size > MAX_JSON_BYTES) {
    return failed(
      file.name,
      `file too large for .json (${formatBytes(size)}); use JSON Lines (.jsonl) for big catalogs`,
    );
  }
  const text = withoutBom((await readFile(file.path)).toString("utf8"));
  if (text.trim() === "") return failed(file.name, "empty file");
  if (text.includes("\u0000")) return failed(file.name, "binary content");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return failed(file.name, `invalid JSON: ${firstLine(error)}`);
  }
  if (Array.isArray(value)) return recordsOf(file.name, value);
  if (typeof value === "object" && value !== null) {
    const film = toFilm(value, file.name);
    return typeof film === "string" ? failed(file.name, film) : { films: [film], errors: [] };
  }
  return failed(
    file.name,
    `expected an array of film records or one record object, got ${value === null ? "null" : typeof value}`,
  );
}

function recordsOf(name: string, values: readonly unknown[]): FileResult {
  const result: FileResult = { films: [], errors: [] };
  values.forEach((value, index) => {
    const film = toFilm(value, name);
    if (typeof film !== "string") result.films.push(film);
    else result.errors.push({ file: name, message: `record ${index + 1}${titleHint(value)}: ${film}` });
  });
  return result;
}

/** A film, or the reason the value is not one. */
function toFilm(value: unknown, name: string): Film | string {
  try {
    return recordToFilm(value, name);
  } catch (error) {
    if (error instanceof RecordError) return error.message;
    throw error;
  }
}

/** ' ("Miss You Already")' when the bad record has a readable title, to find it in a long file. */
function titleHint(value: unknown): string {
  if (typeof value !== "object" || value === null || !("title" in value)) return "";
  return typeof value.title === "string" && value.title.trim() !== "" ? ` ("${value.title.trim().slice(0, 60)}")` : "";
}

/** One record per line, streamed: a 300 MB file never sits in memory, and a bad line costs only that line. */
async function readJsonLines(file: DataFile): Promise<FileResult> {
  const result: FileResult = { films: [], errors: [] };
  const stream = createReadStream(file.path, { encoding: "utf8" });
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let lineNumber = 0;
  let badLines = 0;
  try {
    for await (const raw of lines) {
      lineNumber++;
      const line = (lineNumber === 1 ? withoutBom(raw) : raw).trim();
      if (line === "") continue;
      if (line.includes("\u0000")) {
        result.errors.push({
          file: `${file.name}:${lineNumber}`,
          message: "binary content; the rest of the file is skipped",
        });
        break;
      }
      const outcome = parseRecordLine(line, file.name);
      if (typeof outcome !== "string") {
        result.films.push(outcome);
      } else if (++badLines <= MAX_LINE_ERRORS_PER_FILE) {
        result.errors.push({ file: `${file.name}:${lineNumber}`, message: outcome });
      }
    }
  } finally {
    lines.close();
    stream.destroy();
  }
  if (badLines > MAX_LINE_ERRORS_PER_FILE) {
    result.errors.push({
      file: file.name,
      message: `${badLines - MAX_LINE_ERRORS_PER_FILE} more bad lines not listed`,
    });
  }
  return result;
}

function parseRecordLine(line: string, name: string): Film | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return `invalid JSON: ${firstLine(error)}`;
  }
  return toFilm(value, name);
}

// ─── Helpers ────────────────────────────────────────────────────────────────────────────────────────────────────

function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
