/**
 * An importer's output file, written whole or not at all: the records go to a temporary file beside it, renamed
 * into place once complete, so a failed or interrupted import never leaves half a catalog in the data folder (where
 * the next load would read it). A process that quits at once takes its temporary file with it.
 */
import { unlinkSync } from "node:fs";
import { mkdir, open, rename, unlink } from "node:fs/promises";
import { dirname } from "node:path";
import { finished } from "node:stream/promises";
import { describeFsError } from "../errors.js";

export interface OutputFile {
  stream: NodeJS.WritableStream;
  /** Finishes the output: closes the file and moves it into place. */
  commit(): Promise<void>;
  /** Gives up: removes the temporary file; the previous output, if any, stays as it was. */
  abandon(): Promise<void>;
}

/** Opens the output before the long work, so that an unwritable path fails at once; `fail` makes the error. */
export async function openOutputFile(out: string, fail: (message: string) => Error): Promise<OutputFile> {
  const temporary = `${out}.${process.pid}.tmp`;
  let stream: NodeJS.WritableStream & { destroy(): void };
  try {
    await mkdir(dirname(out), { recursive: true });
    stream = (await open(temporary, "w")).createWriteStream();
  } catch (error) {
    throw fail(`cannot write ${out}: ${describeFsError(error)}`);
  }
  const removeOnExit = (): void => {
    try {
      unlinkSync(temporary);
    } catch {
      // Already renamed or removed.
    }
  };
  process.once("exit", removeOnExit);
  return {
    stream,
    async commit() {
      stream.end();
      await finished(stream);
      await rename(temporary, out);
      process.off("exit", removeOnExit);
    },
    async abandon() {
      stream.destroy();
      await unlink(temporary).catch(() => {});
      process.off("exit", removeOnExit);
    },
  };
}
