/**
 * Loads a data folder into films: every `*.txt` page, `*.json` file (an array of records or one record) and `*.jsonl`
 * file (one record per line, streamed) under it, recursively. Other files (README.md, images) and hidden entries
 * (".git", ".DS_Store") are ignored. A bad file or line is reported and skipped; it never stops the load. Records
 * of the same film are merged (see merge.ts).
 *
 * Pages are read by the page reader (pages/page-reader.ts: on worker threads for big folders, the films kept as their
 * pages). JSON and JSON Lines files are read asynchronously, a few at a time: they are few and can be big. A JSON
 * Lines file is split into lines as bytes (see LineSplitter): a line is only ever decoded when it is within the line
 * limit.
 */
import { close, createReadStream, fstat, open, read } from "node:fs";
import { readdir, realpath, stat } from "node:fs/promises";
import { relative, sep } from "node:path";
import { promisify } from "node:util";
import { describeFsError, errorCode, firstLine } from "../errors.js";
import { formatBytes, plural } from "../format.js";
import { SharedStrings } from "./compact.js";
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
import { keptPageFilm, type LoadedFilm } from "./pages/page-film.js";
import { PageReader } from "./pages/page-reader.js";
import { RecordError, recordToFilm } from "./records.js";
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
/** A film record is a few kilobytes; a line of megabytes is a broken export or not a catalog at all. */
const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;
/** Bigger reads than the default 64 KB: a JSON Lines catalog of 100,000 films is read in fewer turns. */
const JSON_LINES_CHUNK_BYTES = 256 * 1024;
/**
 * JSON files are parsed whole, as one string: this keeps that string well below V8's longest (2^29 - 24 characters),
 * and JSON Lines is the format for anything bigger. Never more than this is read, even from a file that grows after
 * its size was checked.
 */
const MAX_JSON_BYTES = 256 * 1024 * 1024;
/** A JSON Lines file that is wrong on every line would otherwise bury the report; warnings likewise. */
const MAX_LINE_ERRORS_PER_FILE = 50;
const MAX_WARNINGS_PER_FILE = 50;

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
    for (const film of outcome.records.films) films.push(pool.shareRecord(film));
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
type ReadOutcome = { page: FileOutcome } | { records: FileResult<Film> };

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
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const readOthers = runPool(others, 4, async (index) =>
    finished(index, { records: await readRecordsFile(files[index]!, maxLineBytes) }),
  );
  await Promise.all([pages.read(files, pageIndexes, pool, (index, page) => finished(index, { page })), readOthers]);
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

// The callback API, promisified: FileHandle objects (fs/promises) cost more than twice as much per call.
const openFile = promisify(open);
const statFile = promisify(fstat);
const readFromFile = promisify(read);
const closeFile = promisify(close);

async function readRecordsFile(file: DataFile, maxLineBytes: number): Promise<FileResult<Film>> {
  try {
    return file.kind === "jsonl" ? await readJsonLines(file, maxLineBytes) : await readJson(file);
  } catch (error) {
    return failed(file.name, `cannot read: ${describeFsError(error)}`);
  }
}

async function readJson(file: DataFile): Promise<FileResult<Film>> {
  const bytes = await readAtMost(file.path, MAX_JSON_BYTES);
  if (typeof bytes === "number") {
    return failed(
      file.name,
      `file too large for .json (${formatBytes(bytes)}); use JSON Lines (.jsonl) for big catalogs`,
    );
  }
  const text = withoutBom(bytes.toString("utf8"));
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
    const cuts: string[] = [];
    const film = toFilm(value, file.name, cuts);
    if (typeof film === "string") return failed(file.name, film);
    return { films: [film], errors: [], warnings: cuts.map((message) => ({ file: file.name, message })) };
  }
  return failed(
    file.name,
    `expected an array of film records or one record object, got ${value === null ? "null" : typeof value}`,
  );
}

function recordsOf(name: string, values: readonly unknown[]): FileResult<Film> {
  const result: FileResult<Film> = { films: [], errors: [] };
  const warnings = new Warnings(name);
  const cuts: string[] = [];
  values.forEach((value, index) => {
    const film = toFilm(value, name, cuts);
    if (typeof film !== "string") result.films.push(film);
    else result.errors.push({ file: name, message: `record ${index + 1}${titleHint(value)}: ${film}` });
    for (const cut of cuts.splice(0)) warnings.add(name, `record ${index + 1}${titleHint(value)}: ${cut}`);
  });
  result.warnings = warnings.list();
  return result;
}

/** A file's warnings, at most MAX_WARNINGS_PER_FILE of them listed. */
class Warnings {
  private readonly listed: LoadError[] = [];
  private count = 0;

  constructor(private readonly fileName: string) {}

  add(file: string, message: string): void {
    if (++this.count <= MAX_WARNINGS_PER_FILE) this.listed.push({ file, message });
  }

  list(): LoadError[] {
    const more = this.count - MAX_WARNINGS_PER_FILE;
    if (more > 0)
      this.listed.push({ file: this.fileName, message: `${more} more records cut, not listed`, unlisted: more });
    return this.listed;
  }
}

/** A film, or the reason the value is not one; what was cut to its cap goes to `cuts`. */
function toFilm(value: unknown, name: string, cuts?: string[]): Film | string {
  try {
    return recordToFilm(value, name, cuts);
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

/**
 * The file's bytes, or its size when that is over `max`. Only as many bytes as the size checked are read, from the
 * same open file: a file still being written is cut there (and reported as invalid JSON), never read past the limit.
 */
async function readAtMost(path: string, max: number): Promise<Buffer | number> {
  const fd = await openFile(path, "r");
  try {
    const { size } = await statFile(fd);
    if (size > max) return size;
    const buffer = Buffer.allocUnsafe(size);
    let length = 0;
    while (length < size) {
      const { bytesRead } = await readFromFile(fd, buffer, length, size - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    return buffer.subarray(0, length);
  } finally {
    await closeFile(fd);
  }
}

/** One record per line, streamed: a 300 MB file never sits in memory, and a bad line costs only that line. */
async function readJsonLines(file: DataFile, maxLineBytes: number): Promise<FileResult<Film>> {
  const result: FileResult<Film> = { films: [], errors: [] };
  const warnings = new Warnings(file.name);
  const cuts: string[] = [];
  let badLines = 0;
  const badLine = (lineNumber: number, message: string): void => {
    if (++badLines <= MAX_LINE_ERRORS_PER_FILE) result.errors.push({ file: `${file.name}:${lineNumber}`, message });
  };
  const lines = new LineSplitter(maxLineBytes, (raw, lineNumber) => {
    if (raw === undefined) {
      badLine(lineNumber, `longer than ${formatBytes(maxLineBytes)}; skipped`);
      return true;
    }
    const line = raw.trim();
    if (line === "") return true;
    if (line.includes("\u0000")) {
      result.errors.push({
        file: `${file.name}:${lineNumber}`,
        message: "binary content; the rest of the file is skipped",
      });
      return false;
    }
    const outcome = parseRecordLine(line, file.name, cuts);
    if (typeof outcome !== "string") result.films.push(outcome);
    else badLine(lineNumber, outcome);
    for (const cut of cuts.splice(0)) warnings.add(`${file.name}:${lineNumber}`, cut);
    return true;
  });
  const stream = createReadStream(file.path, { highWaterMark: JSON_LINES_CHUNK_BYTES });
  try {
    let going = true;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      going = lines.push(chunk);
      if (!going) break;
    }
    if (going) lines.end();
  } finally {
    stream.destroy();
  }
  if (badLines > MAX_LINE_ERRORS_PER_FILE) {
    const more = badLines - MAX_LINE_ERRORS_PER_FILE;
    result.errors.push({ file: file.name, message: `${more} more bad lines not listed`, unlisted: more });
  }
  result.warnings = warnings.list();
  return result;
}

function parseRecordLine(line: string, name: string, cuts: string[]): Film | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return `invalid JSON: ${firstLine(error)}`;
  }
  return toFilm(value, name, cuts);
}

const LF = 0x0a;
const CR = 0x0d;
const NO_BYTES = Buffer.alloc(0);

/**
 * Splits a stream of bytes into lines as the chunks arrive, never holding more than one line of at most
 * `maxLineBytes`: a line is decoded once it is whole and within the limit, and the bytes of a longer one are dropped
 * as they come. (node:readline builds every line as a string first; one line of a few hundred megabytes ends the
 * process with "Invalid string length".) Splitting bytes at LF is safe in UTF-8, where no byte of a multi-byte
 * character is 0x0a, and decoding whole lines means a character cut between two chunks is whole again. A CR before
 * the LF and a byte order mark opening the first line are not part of the line; the last line needs no LF.
 */
export class LineSplitter {
  /** The beginning of the current line, from earlier chunks (views into them). */
  private readonly parts: Buffer[] = [];
  private partBytes = 0;
  /** The current line is over the limit: its bytes are dropped up to the next LF. */
  private skipping = false;
  private lineNumber = 0;

  constructor(
    private readonly maxLineBytes: number,
    /** Gets each line's text, or undefined for a line over the limit, and its number (from 1); false stops. */
    private readonly onLine: (line: string | undefined, lineNumber: number) => boolean,
  ) {}

  /** Bytes held for the line not finished yet: never more than the limit and one (a CR that may end it). */
  get heldBytes(): number {
    return this.partBytes;
  }

  /** Takes the next chunk; false when the line handler asked to stop. */
  push(chunk: Buffer): boolean {
    let from = 0;
    while (from < chunk.length) {
      const lf = chunk.indexOf(LF, from);
      if (lf === -1) {
        this.hold(chunk, from);
        return true;
      }
      if (!this.finishLine(chunk, from, lf)) return false;
      from = lf + 1;
    }
    return true;
  }

  /** The last line, when the bytes did not end with a line break. */
  end(): void {
    if (this.partBytes > 0 || this.skipping) this.finishLine(NO_BYTES, 0, 0);
  }

  private hold(chunk: Buffer, from: number): void {
    if (this.skipping) return;
    const length = chunk.length - from;
    if (this.partBytes + length > this.maxLineBytes + 1) {
      this.skipping = true;
      this.parts.length = 0;
      this.partBytes = 0;
      return;
    }
    this.parts.push(chunk.subarray(from));
    this.partBytes += length;
  }

  /** The line made of the held parts and chunk[from, to). */
  private finishLine(chunk: Buffer, from: number, to: number): boolean {
    const lineNumber = ++this.lineNumber;
    let line: string | undefined;
    if (!this.skipping) {
      const last = to > from ? chunk[to - 1] : this.parts.at(-1)?.at(-1);
      const length = this.partBytes + (to - from) - (last === CR ? 1 : 0);
      if (length <= this.maxLineBytes) {
        line =
          this.parts.length === 0
            ? chunk.toString("utf8", from, from + length)
            : Buffer.concat([...this.parts, chunk.subarray(from, to)]).toString("utf8", 0, length);
        if (lineNumber === 1) line = withoutBom(line);
      }
    }
    this.parts.length = 0;
    this.partBytes = 0;
    this.skipping = false;
    return this.onLine(line, lineNumber);
  }
}

// ─── Helpers ────────────────────────────────────────────────────────────────────────────────────────────────────

function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
