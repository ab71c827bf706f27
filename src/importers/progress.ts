/**
 * Progress of a long import, file by file: a live bar on a terminal, a plain line every million rows when the output
 * is a log or a pipe, nothing at all in tests. The reader reports once per chunk read, so a reporter can be as slow
 * as a terminal write without slowing the import.
 */
import { SingleBar } from "cli-progress";
import { formatBytes, formatCount, formatDuration } from "../format.js";

export interface ProgressReporter {
  /** A file starts; its size on disk when known (compressed size for a .gz file). */
  startFile(label: string, totalBytes: number | null): void;
  /** Rows read so far in the current file, and bytes of the file on disk read so far. */
  advance(rows: number, bytesRead: number): void;
  /** The file is done: read to the end when `complete`, else given up on (an error); always follows startFile. */
  finishFile(rows: number, complete: boolean): void;
}

export const silentProgress: ProgressReporter = {
  startFile() {},
  advance() {},
  finishFile() {},
};

export interface ProgressUnitOptions {
  /**
   * What is counted, plural ("films"). By default rows of a file whose size is in bytes; with a unit, the total given
   * to startFile and the position given to advance are counts of that unit too (an importer of items, not of files).
   */
  unit?: string;
}

export interface LineProgressOptions extends ProgressUnitOptions {
  /** A line each time this many more rows have been read; 1,000,000 by default. */
  everyRows?: number;
  /** Milliseconds, for the rate; performance.now by default. */
  now?: () => number;
}

/** Plain periodic lines ("title.principals: 3,000,000 rows, 41%, 812,000 rows/s"), for logs and pipes. */
export function lineProgress(write: (line: string) => void, options: LineProgressOptions = {}): ProgressReporter {
  const everyRows = options.everyRows ?? 1_000_000;
  const now = options.now ?? (() => performance.now());
  const unit = options.unit ?? "rows";
  const describeTotal = (total: number): string =>
    options.unit === undefined ? formatBytes(total) : `${formatCount(total)} ${unit}`;
  let label = "";
  let totalBytes: number | null = null;
  let startedAt = 0;
  let nextReport = everyRows;
  return {
    startFile(fileLabel, fileBytes) {
      label = fileLabel;
      totalBytes = fileBytes;
      startedAt = now();
      nextReport = everyRows;
      write(`${label}: reading${fileBytes === null ? "" : ` (${describeTotal(fileBytes)})`}\n`);
    },
    advance(rows, bytesRead) {
      if (rows < nextReport) return;
      nextReport = (Math.floor(rows / everyRows) + 1) * everyRows;
      const share = totalBytes === null || totalBytes === 0 ? "" : `, ${Math.floor((bytesRead / totalBytes) * 100)}%`;
      write(
        `${label}: ${formatCount(rows)} ${unit}${share}, ${formatCount(rate(rows, now() - startedAt))} ${unit}/s\n`,
      );
    },
    finishFile(rows, complete) {
      const elapsed = now() - startedAt;
      if (!complete) write(`${label}: stopped after ${formatCount(rows)} ${unit}\n`);
      else
        write(
          `${label}: ${formatCount(rows)} ${unit} in ${formatDuration(elapsed)} (${formatCount(rate(rows, elapsed))} ${unit}/s)\n`,
        );
    },
  };
}

const LABEL_WIDTH = 23;

/** A live cli-progress bar per file on a terminal stream; the finished bar stays as that file's summary line. */
export function barProgress(
  stream: NodeJS.WritableStream = process.stderr,
  options: ProgressUnitOptions = {},
): ProgressReporter {
  const unit = options.unit ?? "rows";
  let bar: SingleBar | null = null;
  let startedAt = 0;
  let withTotal = false;
  const payload = (label: string, rows: number) => ({
    // Room for "title.principals.tsv.gz", so the bars of the five files line up.
    file: label.padEnd(LABEL_WIDTH),
    rows: formatCount(rows),
    rate: formatCount(rate(rows, performance.now() - startedAt)),
  });
  let label = "";
  return {
    startFile(fileLabel, totalBytes) {
      label = fileLabel;
      startedAt = performance.now();
      withTotal = totalBytes !== null && totalBytes > 0;
      bar = new SingleBar({
        stream,
        format: withTotal
          ? `{file} |{bar}| {percentage}% | {rows} ${unit} | {rate} ${unit}/s | {duration_formatted}`
          : `{file} | {rows} ${unit} | {rate} ${unit}/s | {duration_formatted}`,
        barsize: 30,
        hideCursor: true,
      });
      bar.start(withTotal ? totalBytes! : 1, 0, payload(label, 0));
    },
    advance(rows, bytesRead) {
      bar?.update(withTotal ? bytesRead : 0, payload(label, rows));
    },
    finishFile(rows, complete) {
      if (bar === null) return;
      if (complete) bar.update(withTotal ? bar.getTotal() : 1, payload(label, rows));
      // Stopping also shows the cursor again, which matters most when the import fails.
      bar.stop();
      bar = null;
    },
  };
}

export interface ProgressTarget {
  isTTY?: boolean;
  stderr: (text: string) => void;
}

/** The bar on a terminal, plain lines otherwise. */
export function progressFor(target: ProgressTarget, options: LineProgressOptions = {}): ProgressReporter {
  return target.isTTY === true ? barProgress(process.stderr, options) : lineProgress(target.stderr, options);
}

function rate(rows: number, elapsedMs: number): number {
  return elapsedMs <= 0 ? 0 : Math.round((rows / elapsedMs) * 1000);
}
