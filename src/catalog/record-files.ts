/**
 * Reading JSON and JSON Lines catalog files into films, on the main thread or on a load worker (page-worker.ts).
 *
 * A JSON file is parsed whole (an array of records or one record). A JSON Lines file is read as bytes and split into
 * lines (see LineSplitter): a line is only ever decoded when it is within the line limit, and a bad line costs only
 * that line. The rules for a file's lines — what is a bad line, how many are listed, where a binary file stops — are
 * in JsonLinesReader, the one place both threads take them from.
 */
import { close, closeSync, createReadStream, fstat, open, openSync, read, readSync } from "node:fs";
import { promisify } from "node:util";
import { describeFsError, firstLine } from "../errors.js";
import { formatBytes } from "../format.js";
import type { Film } from "./film.js";
import { type DataFile, failed, type FileResult, type LoadError } from "./pages/page-file.js";
import { isPlainRecord, RecordError, recordToFilm } from "./records.js";

/** A film record is a few kilobytes; a line of megabytes is a broken export or not a catalog at all. */
export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;
/** Bigger reads than the default 64 KB: a JSON Lines catalog of 100,000 films is read in fewer turns. */
const JSON_LINES_CHUNK_BYTES = 256 * 1024;
/** A load worker reads bigger chunks: it holds no event loop anyone waits on, and fewer reads cost less. */
const WORKER_CHUNK_BYTES = 1024 * 1024;
/**
 * JSON files are parsed whole, as one string: this keeps that string well below V8's longest (2^29 - 24 characters),
 * and JSON Lines is the format for anything bigger. Never more than this is read, even from a file that grows after
 * its size was checked.
 */
const MAX_JSON_BYTES = 256 * 1024 * 1024;
/** A JSON Lines file that is wrong on every line would otherwise bury the report; warnings likewise. */
const MAX_LINE_ERRORS_PER_FILE = 50;
const MAX_WARNINGS_PER_FILE = 50;

// The callback API, promisified: FileHandle objects (fs/promises) cost more than twice as much per call.
const openFile = promisify(open);
const statFile = promisify(fstat);
const readFromFile = promisify(read);
const closeFile = promisify(close);

/** A JSON or JSON Lines file's films, read on this thread; a file that cannot be read is one error. */
export async function readRecordsFile(file: DataFile, maxLineBytes: number): Promise<FileResult<Film>> {
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

/**
 * The rules for one JSON Lines file's lines, whoever reads its bytes: each record line becomes a film for `onFilm`,
 * with the line's bytes when recordToFilm gives the very same film from them (no field cut, no field the catalog does
 * not read), else null;
 * blank lines are skipped; a bad line (too long, invalid JSON, not a film record) is an error, the first
 * MAX_LINE_ERRORS_PER_FILE listed and the rest counted; a field cut to its cap is a warning, likewise; a line with a
 * NUL byte ends the file (binary content). Feed it chunks with `push`, then call `end`.
 */
export class JsonLinesReader {
  private readonly errors: LoadError[] = [];
  private readonly warnings: Warnings;
  private readonly cuts: string[] = [];
  private badLines = 0;
  private readonly lines: LineSplitter;

  constructor(
    private readonly file: DataFile,
    private readonly maxLineBytes: number,
    private readonly onFilm: (film: Film, line: Uint8Array | null) => void,
  ) {
    this.warnings = new Warnings(file.name);
    this.lines = new LineSplitter(maxLineBytes, (raw, lineNumber, bytes) => this.line(raw, lineNumber, bytes));
  }

  /** Takes the next chunk of the file; false when the rest of the file is to be skipped. */
  push(chunk: Buffer): boolean {
    return this.lines.push(chunk);
  }

  /** After the last chunk (unless push said to stop): the file's errors and warnings. */
  end(stopped = false): { errors: LoadError[]; warnings: LoadError[] } {
    if (!stopped) this.lines.end();
    const errors = [...this.errors];
    if (this.badLines > MAX_LINE_ERRORS_PER_FILE) {
      const more = this.badLines - MAX_LINE_ERRORS_PER_FILE;
      errors.push({ file: this.file.name, message: `${more} more bad lines not listed`, unlisted: more });
    }
    return { errors, warnings: this.warnings.list() };
  }

  private line(raw: string | undefined, lineNumber: number, bytes: Uint8Array): boolean {
    const { name } = this.file;
    if (raw === undefined) {
      this.badLine(lineNumber, `longer than ${formatBytes(this.maxLineBytes)}; skipped`);
      return true;
    }
    const line = raw.trim();
    if (line === "") return true;
    if (line.includes("\u0000")) {
      this.errors.push({ file: `${name}:${lineNumber}`, message: "binary content; the rest of the file is skipped" });
      return false;
    }
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      this.badLine(lineNumber, `invalid JSON: ${firstLine(error)}`);
      return true;
    }
    const outcome = toFilm(value, name, this.cuts);
    // The line's bytes are the record as is only when trimming took nothing off.
    const asRead = this.cuts.length === 0 && line.length === raw.length && isPlainRecord(value);
    if (typeof outcome !== "string") this.onFilm(outcome, asRead ? bytes : null);
    else this.badLine(lineNumber, outcome);
    for (const cut of this.cuts.splice(0)) this.warnings.add(`${name}:${lineNumber}`, cut);
    return true;
  }

  private badLine(lineNumber: number, message: string): void {
    if (++this.badLines <= MAX_LINE_ERRORS_PER_FILE)
      this.errors.push({ file: `${this.file.name}:${lineNumber}`, message });
  }
}

/** One record per line, streamed: a 300 MB file never sits in memory, and a bad line costs only that line. */
async function readJsonLines(file: DataFile, maxLineBytes: number): Promise<FileResult<Film>> {
  const films: Film[] = [];
  const reader = new JsonLinesReader(file, maxLineBytes, (film) => films.push(film));
  const stream = createReadStream(file.path, { highWaterMark: JSON_LINES_CHUNK_BYTES });
  let going = true;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      going = reader.push(chunk);
      if (!going) break;
    }
  } finally {
    stream.destroy();
  }
  return { films, ...reader.end(!going) };
}

/**
 * A JSON Lines file read with blocking reads, for a load worker: its thread has nothing else to do, and each chunk is
 * a fresh buffer, since the line splitter keeps views of the chunks of a line not finished yet. Throws when the file
 * cannot be read.
 */
export function readJsonLinesSync(
  file: DataFile,
  reader: JsonLinesReader,
): { errors: LoadError[]; warnings: LoadError[] } {
  const fd = openSync(file.path, "r");
  let going = true;
  try {
    for (;;) {
      const chunk = Buffer.allocUnsafe(WORKER_CHUNK_BYTES);
      const length = readSync(fd, chunk, 0, chunk.length, null);
      if (length === 0) break;
      going = reader.push(chunk.subarray(0, length));
      if (!going) break;
    }
  } finally {
    closeSync(fd);
  }
  return reader.end(!going);
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
    /**
     * Gets each line's text, or undefined for a line over the limit, its number (from 1) and its bytes (a view of the
     * chunk, or of the line's pieces joined; empty for a line over the limit); false stops.
     */
    private readonly onLine: (line: string | undefined, lineNumber: number, bytes: Uint8Array) => boolean,
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
    let bytes: Uint8Array = NO_BYTES;
    if (!this.skipping) {
      const last = to > from ? chunk[to - 1] : this.parts.at(-1)?.at(-1);
      const length = this.partBytes + (to - from) - (last === CR ? 1 : 0);
      if (length <= this.maxLineBytes) {
        bytes =
          this.parts.length === 0
            ? chunk.subarray(from, from + length)
            : Buffer.concat([...this.parts, chunk.subarray(from, to)]).subarray(0, length);
        line = (bytes as Buffer).toString("utf8");
        if (lineNumber === 1) line = withoutBom(line);
      }
    }
    this.parts.length = 0;
    this.partBytes = 0;
    this.skipping = false;
    return this.onLine(line, lineNumber, bytes);
  }
}

function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
