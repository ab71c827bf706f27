/** Shared pieces of the command-line tests: a temp work folder per test, captured output, JSON Lines files. */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach } from "vitest";
import type { Film } from "../../src/catalog/film.js";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export type CliEntry = (
  args: string[],
  io: { stdout: (text: string) => void; stderr: (text: string) => void; isTTY: boolean },
) => Promise<number>;

/** Runs a CLI entry point with its output captured, not on a terminal. */
export async function runCli(entry: CliEntry, args: string[]): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const code = await entry(args, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    isTTY: false,
  });
  return { code, stdout, stderr };
}

/** A fresh temporary folder for each test of the file, removed after it; call inside tests. */
export function useWorkDir(prefix: string): () => string {
  let work: string | undefined;
  beforeEach(async () => {
    work = await mkdtemp(join(tmpdir(), prefix));
  });
  afterEach(async () => {
    if (work !== undefined) await rm(work, { recursive: true, force: true });
  });
  return () => {
    if (work === undefined) throw new Error("useWorkDir: the folder exists only inside tests");
    return work;
  };
}

/** The film records of a JSON Lines file. */
export async function filmsIn(path: string): Promise<Film[]> {
  const text = await readFile(path, "utf8");
  return text
    .trimEnd()
    .split("\n")
    .map((line) => JSON.parse(line) as Film);
}
