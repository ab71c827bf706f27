/**
 * What every catalog command talks to, and how it fails: the entry point passes the process's streams, tests pass
 * strings. Exit codes are the same for every command: 0 success, 1 a problem with the data or nothing found, 2 a
 * usage error (bad flag, bad number, unknown command). Every error is one line on stderr.
 */
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { regionCodeOf } from "../catalog/film.js";
import { firstLine } from "../errors.js";

export interface CliIo {
  /** Raw writers: the text carries its own newlines. */
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether stderr is a terminal: live progress bars and hints then. Default false. */
  isTTY?: boolean;
  /** Whether stdout is a terminal: coloured film cards then. Default: `isTTY`. */
  stdoutIsTTY?: boolean;
  /** Input for commands that read one query a line. Default: nothing. */
  stdin?: AsyncIterable<string | Uint8Array>;
  /** DATA_DIR, NO_COLOR and friends. Default: process.env. */
  env?: Readonly<Record<string, string | undefined>>;
}

export const EXIT_OK = 0;
export const EXIT_PROBLEM = 1;
export const EXIT_USAGE = 2;

/** A mistake in how the command was called: one line with the usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

export function envOf(io: CliIo): Readonly<Record<string, string | undefined>> {
  return io.env ?? process.env;
}

export const DEFAULT_DATA_DIR = "data";

/** The data folder a command reads when none is given: $DATA_DIR, else `data`. */
export function dataDirOf(io: CliIo): string {
  const fromEnv = envOf(io).DATA_DIR?.trim();
  return fromEnv ? fromEnv : DEFAULT_DATA_DIR;
}

/**
 * The flags and words of a command line; a bad flag is a UsageError with the first sentence of Node's message (it
 * goes on with advice about "--" that does not apply here).
 */
export function parseCommandLine<T extends NonNullable<ParseArgsConfig["options"]>>(
  args: string[],
  options: T,
  allowPositionals = true,
) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals });
  } catch (error) {
    throw new UsageError(
      firstLine(error)
        .split(/\.(?:\s|$)/)[0]!
        .replace(/\s+/g, " "),
    );
  }
}

/** The value of `--region`: a two-letter country code, upper-cased; else a UsageError. */
export function parseRegionFlag(text: string): string {
  const code = regionCodeOf(text);
  if (code === null) throw new UsageError(`--region must be a two-letter country code, got "${text}"`);
  return code;
}

/** Whether the module at `moduleUrl` is the program being run (`tsx src/cli/catalog.ts`), not imported by another. */
export function isEntryPoint(moduleUrl: string): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(moduleUrl));
  } catch {
    return false;
  }
}
