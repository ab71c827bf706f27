/**
 * A streaming reader for tab-separated files in the IMDb dataset style: a header line, fields separated by tabs with
 * no quoting at all (a `"` is just a character), `\N` for a missing value, plain or gzipped. Built for files of tens
 * of millions of rows: the file is never held in memory, lines are found in the raw bytes so that a prefilter can
 * skip a row before it is decoded, and the hot path (`each`) hands each row's fields to a callback without
 * allocating a record per row.
 */
import { createReadStream, type ReadStream } from "node:fs";
import { access, stat } from "node:fs/promises";
import { join } from "node:path";
import { pipeline, type Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { silentProgress, type ProgressReporter } from "./progress.js";

/** IMDb's spelling of a missing value. */
export const TSV_NULL = "\\N";

/** How many malformed rows per file are kept with their line number and reason for the report. */
export const MALFORMED_SAMPLE_LIMIT = 5;

/** A header problem or an unreadable file: a clear, one-line message for the user. */
export class TsvError extends Error {
  override name = "TsvError";
}

export interface MalformedRow {
  /** 1-based line number in the file; the header is line 1. */
  line: number;
  reason: string;
}

export interface TsvStats {
  path: string;
  /** Data lines read (the header is not a row). */
  rows: number;
  malformed: number;
  /** The first few malformed rows, in file order. */
  malformedSamples: MalformedRow[];
  /** Bytes of the file on disk read so far (compressed bytes for a .gz file). */
  bytesRead: number;
  /** Size of the file on disk. */
  totalBytes: number;
}

/** A row as a record keyed by header name, with `\N` read as null. */
export type TsvRecord<C extends string> = { readonly [K in C]: string | null } & {
  readonly [column: string]: string | null | undefined;
};

export interface TsvRow<C extends string> {
  line: number;
  record: TsvRecord<C>;
}

/**
 * What the hot-path callback says about a row: nothing when the row was fine (or simply not wanted), or the reason
 * it is malformed, which is counted and sampled like a row with the wrong number of fields.
 */
export type RowVerdict = string | undefined;

/**
 * A cheap test on a row's raw UTF-8 bytes, `bytes[start, end)` without the line end, run before the row is decoded
 * and split: false skips the row. `fieldStart` / `fieldEnd` find a column in it.
 */
export type LinePrefilter = (bytes: Buffer, start: number, end: number) => boolean;

export interface EachOptions {
  /**
   * Skips rows before they are decoded or split, which is most of the cost of a row. Rows skipped here are counted
   * as read but not checked for their field count.
   */
  prefilter?: LinePrefilter;
}

export interface OpenTsvOptions<C extends string> {
  /** Columns that must be in the header (in any order). */
  required: readonly C[];
  /** The name shown by the progress reporter; the file name by default. */
  label?: string;
  progress?: ProgressReporter;
}

/** Bigger reads mean fewer chunks to stitch lines across; 1 MiB keeps the buffers small next to the data kept. */
const READ_CHUNK_BYTES = 1 << 20;
const GUNZIP_CHUNK_BYTES = 256 << 10;

/** The file to read for a dataset: `NAME.tsv` when present, else `NAME.tsv.gz`, else null. */
export async function resolveTsvFile(dir: string, name: string): Promise<string | null> {
  for (const candidate of [`${name}.tsv`, `${name}.tsv.gz`]) {
    const path = join(dir, candidate);
    try {
      await access(path);
      return path;
    } catch {
      // Not this variant; try the next.
    }
  }
  return null;
}

/** The value of a field, with `\N` read as null. */
export function nullable(field: string | undefined): string | null {
  return field === undefined || field === TSV_NULL ? null : field;
}

/**
 * A copy of a string that does not keep its source alive. V8 represents a substring of 13 characters or more as a
 * view into its parent, and every field split from a line is a view into the whole line (with IMDb's lists of
 * professions and known-for titles): keeping a million names would keep a million lines. A JSON round trip is the
 * cheapest way to get a plain flat copy (40 bytes for a typical name, against 70 for a view of a fresh copy and 110
 * for the view of its line).
 */
export function detach(text: string): string {
  return text.length < 13 ? text : (JSON.parse(JSON.stringify(text)) as string);
}

const TAB = 9;
const LF = 10;
const CR = 13;

/** Where field `column` (0-based) of the line `bytes[start, end)` starts, or -1 when the line has fewer fields. */
export function fieldStart(bytes: Buffer, start: number, end: number, column: number): number {
  let position = start;
  for (let tabs = 0; tabs < column; tabs++) {
    while (position < end && bytes[position] !== TAB) position++;
    if (position >= end) return -1;
    position++;
  }
  return position;
}

/** Where the field starting at `from` ends: the next tab, or the end of the line. */
export function fieldEnd(bytes: Buffer, from: number, end: number): number {
  let position = from;
  while (position < end && bytes[position] !== TAB) position++;
  return position;
}

/** Opens a TSV file and reads its header; iterate it with `each` or `rows`, or `close` it. */
export async function openTsv<C extends string>(path: string, options: OpenTsvOptions<C>): Promise<TsvReader<C>> {
  let totalBytes: number;
  try {
    totalBytes = (await stat(path)).size;
  } catch (error) {
    throw new TsvError(`${path}: cannot read the file (${errorText(error)})`);
  }
  const reader = new TsvReader<C>(path, totalBytes, options);
  try {
    await reader.readHeader(options.required);
  } catch (error) {
    reader.close();
    throw error;
  }
  return reader;
}

export class TsvReader<C extends string> {
  /** Header names in file order. */
  header: readonly string[] = [];
  /** The index of each required column, by name (`header` has them all). */
  columns: Readonly<Record<C, number>> = {} as Record<C, number>;
  readonly stats: TsvStats;

  private readonly raw: ReadStream;
  private readonly chunks: AsyncIterator<Buffer>;
  private readonly label: string;
  private readonly progress: ProgressReporter;
  /** The start of a line whose end is in a chunk not read yet. */
  private pending: Buffer = Buffer.alloc(0);
  private consumed = false;

  constructor(path: string, totalBytes: number, options: OpenTsvOptions<C>) {
    this.stats = { path, rows: 0, malformed: 0, malformedSamples: [], bytesRead: 0, totalBytes };
    this.label = options.label ?? path;
    this.progress = options.progress ?? silentProgress;
    this.raw = createReadStream(path, { highWaterMark: READ_CHUNK_BYTES });
    const bytes = path.endsWith(".gz") ? this.gunzipped(this.raw) : this.raw;
    this.chunks = bytes[Symbol.asyncIterator]();
  }

  /** Reads the first line and maps the column names; a missing required column is a TsvError naming it. */
  async readHeader(required: readonly C[]): Promise<void> {
    let newline = this.pending.indexOf(LF);
    while (newline === -1) {
      const chunk = await this.nextChunk();
      if (chunk === null) break;
      newline = chunk.indexOf(LF);
      if (newline !== -1) newline += this.pending.length;
      this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    }
    if (this.pending.length === 0) throw new TsvError(`${this.stats.path}: the file is empty (no header line)`);
    const headerEnd = newline === -1 ? this.pending.length : newline;
    const headerLine = withoutLineEnd(this.pending.toString("utf8", 0, headerEnd));
    this.pending = this.pending.subarray(Math.min(headerEnd + 1, this.pending.length));
    this.header = headerLine.replace(/^\uFEFF/, "").split("\t");
    const columns: Record<string, number> = {};
    this.header.forEach((name, index) => {
      columns[name] = index;
    });
    for (const name of required) {
      if (columns[name] === undefined) {
        throw new TsvError(`${this.stats.path}: missing required column "${name}" (header: ${this.header.join(", ")})`);
      }
    }
    this.columns = columns as Record<C, number>;
  }

  /** The field of a column, with `\N` read as null. */
  value(fields: readonly string[], column: C): string | null {
    return nullable(fields[this.columns[column]]);
  }

  /** A row as a record keyed by header name. */
  record(fields: readonly string[]): TsvRecord<C> {
    const record: Record<string, string | null> = {};
    this.header.forEach((name, index) => {
      record[name] = nullable(fields[index]);
    });
    return record as TsvRecord<C>;
  }

  /**
   * Reads every row, calling `visit` with its fields (a row with the wrong number of fields is counted as malformed
   * and never visited). The fields array and its strings are the caller's to keep, but see `detach`.
   */
  async each(visit: (fields: string[], line: number) => RowVerdict, options: EachOptions = {}): Promise<void> {
    for await (const chunk of this.wholeLineChunks()) this.scan(chunk, visit, options.prefilter);
  }

  /** Every well-formed row as a record: the convenient, slower way to read a small file. */
  async *rows(): AsyncGenerator<TsvRow<C>> {
    for await (const chunk of this.wholeLineChunks()) {
      const batch: TsvRow<C>[] = [];
      this.scan(chunk, (fields, line) => {
        batch.push({ line, record: this.record(fields) });
        return undefined;
      });
      yield* batch;
    }
  }

  /** Counts a row as malformed, keeping the first few for the report. */
  reject(line: number, reason: string): void {
    this.stats.malformed++;
    if (this.stats.malformedSamples.length < MALFORMED_SAMPLE_LIMIT) this.stats.malformedSamples.push({ line, reason });
  }

  /** Stops reading and releases the file; safe to call more than once. */
  close(): void {
    this.raw.destroy();
  }

  /** The rows of a chunk of whole lines: counted, prefiltered, decoded, split, checked and visited. */
  private scan(chunk: Buffer, visit: (fields: string[], line: number) => RowVerdict, prefilter?: LinePrefilter): void {
    const width = this.header.length;
    const stats = this.stats;
    let start = 0;
    while (start < chunk.length) {
      let newline = chunk.indexOf(LF, start);
      if (newline === -1) newline = chunk.length;
      const end = newline > start && chunk[newline - 1] === CR ? newline - 1 : newline;
      const row = ++stats.rows;
      if (prefilter === undefined || prefilter(chunk, start, end)) {
        // The header is line 1, so row n is on line n + 1.
        const fields = chunk.toString("utf8", start, end).split("\t");
        const verdict =
          fields.length === width ? visit(fields, row + 1) : `expected ${width} fields, found ${fields.length}`;
        if (verdict !== undefined) this.reject(row + 1, verdict);
      }
      start = newline + 1;
    }
    this.progress.advance(stats.rows, stats.bytesRead);
  }

  /**
   * The file after the header, in chunks that end at a line end (the last one may lack its newline). Working a
   * chunk at a time keeps the per-row cost to a plain loop, where an async iterator per row would cost a promise.
   */
  private async *wholeLineChunks(): AsyncGenerator<Buffer> {
    if (this.consumed) throw new Error(`${this.stats.path}: the rows were already read`);
    this.consumed = true;
    this.progress.startFile(this.label, this.stats.totalBytes);
    let complete = false;
    try {
      for (let chunk = await this.nextChunk(); chunk !== null; chunk = await this.nextChunk()) {
        const lastNewline = chunk.lastIndexOf(LF);
        if (lastNewline === -1) {
          this.pending = Buffer.concat([this.pending, chunk]);
          continue;
        }
        const whole =
          this.pending.length === 0
            ? chunk.subarray(0, lastNewline + 1)
            : Buffer.concat([this.pending, chunk.subarray(0, lastNewline + 1)]);
        // A copy, so the rest of the chunk does not keep the whole chunk alive while it waits.
        this.pending = Buffer.from(chunk.subarray(lastNewline + 1));
        yield whole;
      }
      if (this.pending.length > 0) {
        const last = this.pending;
        this.pending = Buffer.alloc(0);
        yield last;
      }
      complete = true;
    } finally {
      this.close();
      this.progress.finishFile(this.stats.rows, complete);
    }
  }

  private async nextChunk(): Promise<Buffer | null> {
    let result: IteratorResult<Buffer>;
    try {
      result = await this.chunks.next();
    } catch (error) {
      throw new TsvError(`${this.stats.path}: read failed (${errorText(error)})`);
    }
    this.stats.bytesRead = this.raw.bytesRead;
    return result.done === true ? null : result.value;
  }

  private gunzipped(raw: ReadStream): Readable {
    // pipeline forwards an error of either stream to the other; the iterator over the gunzip stream rethrows it.
    return pipeline(raw, createGunzip({ chunkSize: GUNZIP_CHUNK_BYTES }), () => {});
  }
}

function withoutLineEnd(line: string): string {
  return line.endsWith("\r") ? line.slice(0, -1) : line;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
