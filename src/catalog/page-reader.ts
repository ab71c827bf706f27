/**
 * The page reader thread: reads page files and hands their bytes to the main thread in batches, so that the main
 * thread parses one batch while the next is read. Opening 100,000 small files is ~1.7 s of system calls that do not
 * get faster with more threads (measured on the 2-core VM), but they can overlap the parsing.
 *
 * Bytes travel as one transferred ArrayBuffer per batch: no copy, no serialization.
 */
import { closeSync, openSync, readSync } from "node:fs";
import { parentPort, workerData } from "node:worker_threads";

export interface PageReaderData {
  role: typeof READER_ROLE;
  paths: string[];
  maxPageBytes: number;
}

/** Marks the thread as a page reader: importing this module anywhere else (a test worker, say) starts nothing. */
export const READER_ROLE = "film-bot:page-reader";

/** One batch: the files [first, first + ends.length), their bytes back to back in `bytes`. */
export interface PageBytesBatch {
  first: number;
  bytes: ArrayBuffer;
  /** ends[i]: where file first+i ends in `bytes` (it starts where the previous one ends). */
  ends: Int32Array;
  /** Why a file could not be read (its bytes are then empty): TOO_LARGE or a message; null when it was read. */
  problems: (string | null)[];
}

/** The size of a batch's buffer: a whole batch, and room for one more page of the largest allowed size. */
function batchBufferBytes(maxPageBytes: number): number {
  return BATCH_BYTES + maxPageBytes + 1;
}

/** The problem of a page over the size limit (the main thread words the message). */
export const TOO_LARGE = "too large";

/** Files per batch, and bytes: a batch parses in a few milliseconds, so the event loop is never held long. */
const BATCH_FILES = 256;
const BATCH_BYTES = 4 * 1024 * 1024;

export function describeReadError(error: unknown): string {
  const code = typeof error === "object" && error !== null && "code" in error ? String(error.code) : "";
  const known: Record<string, string> = { ENOENT: "not found", EACCES: "permission denied", EPERM: "permission denied", EISDIR: "is a folder" };
  return known[code] ?? (error instanceof Error ? error.message.split("\n", 1)[0]! : String(error));
}

/**
 * Reads files straight into the batch's own ArrayBuffer, one read call each: no per-file Buffer, no concatenation,
 * no copy before the transfer (those copies once made this thread twice as slow as the reads themselves).
 * The buffer has room for one more whole page after BATCH_BYTES, so a page is never cut; a page that fills its
 * room (one byte more than allowed) is over the limit. The main thread sends each buffer back once parsed: a fresh
 * one per batch would cost more in page faults than the reads.
 */
function readBatch(paths: readonly string[], first: number, maxPageBytes: number, bytes: ArrayBuffer): PageBytesBatch {
  const view = new Uint8Array(bytes);
  const ends: number[] = [];
  const problems: (string | null)[] = [];
  let total = 0;
  for (let index = first; index < paths.length && ends.length < BATCH_FILES && total < BATCH_BYTES; index++) {
    let problem: string | null = null;
    try {
      const fd = openSync(paths[index]!, "r");
      try {
        const length = readSync(fd, view, total, maxPageBytes + 1, 0);
        if (length > maxPageBytes) problem = TOO_LARGE;
        else total += length;
      } finally {
        closeSync(fd);
      }
    } catch (error) {
      problem = `cannot read: ${describeReadError(error)}`;
    }
    ends.push(total);
    problems.push(problem);
  }
  return { first, bytes, ends: Int32Array.from(ends), problems };
}

function serve(): void {
  const { paths, maxPageBytes } = workerData as PageReaderData;
  const spare: ArrayBuffer[] = [];
  let next = 0;
  parentPort?.on("message", (message: unknown) => {
    if (message instanceof ArrayBuffer) {
      spare.push(message);
      return;
    }
    if (next >= paths.length) {
      parentPort?.close();
      return;
    }
    const batch = readBatch(paths, next, maxPageBytes, spare.pop() ?? new ArrayBuffer(batchBufferBytes(maxPageBytes)));
    next += batch.ends.length;
    parentPort?.postMessage(batch, [batch.bytes, batch.ends.buffer as ArrayBuffer]);
  });
}

if (parentPort && (workerData as Partial<PageReaderData> | null)?.role === READER_ROLE) serve();
