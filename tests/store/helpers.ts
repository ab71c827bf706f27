/** Pieces shared by the store tests: entries, folders, a logger that keeps what it was told, waiting. */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { Writable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import { pino, type Logger } from "pino";
import type { ReloadAuditEntry } from "../../src/store/store.js";
import { tempDir } from "../commands/fixtures.js";

export const AT = new Date("2025-03-01T10:00:00.000Z");

export function auditEntry(overrides: Partial<ReloadAuditEntry> = {}): ReloadAuditEntry {
  return {
    at: AT.toISOString(),
    by: "user:123456789012345678 (mod)",
    guildId: "223456789012345678",
    outcome: "reloaded",
    films: 10,
    previousFilms: 9,
    skippedFiles: 0,
    durationMs: 12,
    message: "10 films (was 9)",
    ...overrides,
  };
}

const memoryDirs: string[] = [];

/**
 * A folder in memory (/dev/shm) when there is one, else a temp folder: SQLite syncs every commit to disk, which
 * makes tests that write hundreds of times slow without making them test anything more.
 */
export async function fastDir(prefix: string): Promise<string> {
  if (!existsSync("/dev/shm")) return tempDir(prefix);
  const dir = await mkdtemp(join("/dev/shm", prefix));
  memoryDirs.push(dir);
  return dir;
}

export async function removeFastDirs(): Promise<void> {
  await Promise.all(memoryDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/** A logger at debug level whose lines are kept, parsed, in `lines`. */
export function recordingLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  return { logger: pino({ level: "debug" }, stream), lines };
}

/** Polls `condition` every 20 ms until it holds or `timeoutMs` passed; returns whether it held. */
export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await sleep(20);
  }
  return condition();
}

/** How long `work` took to settle, and how: the value, or the error. */
export async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value?: T; error?: unknown }> {
  const started = performance.now();
  try {
    const value = await work();
    return { ms: performance.now() - started, value };
  } catch (error) {
    return { ms: performance.now() - started, error };
  }
}

const TSX = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
const STORE_PROCESS = fileURLToPath(new URL("./store-process.ts", import.meta.url));

export interface StoreProcess {
  /** Sends a request and waits for its answer: the result, or throws the error the store gave (name, reason). */
  request(op: string, ...args: string[]): Promise<unknown>;
  /** Resolves with how the process ended: its exit code, or the signal that killed it. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly stderr: string[];
  kill(): void;
}

/** Starts store-process.ts on `url` and waits until its store is open. */
export async function startStoreProcess(url: string): Promise<StoreProcess> {
  const child = spawn(process.execPath, ["--import", TSX, STORE_PROCESS, url], { stdio: ["pipe", "pipe", "pipe"] });
  const stderr: string[] = [];
  child.stderr.on("data", (chunk: Buffer) => stderr.push(...String(chunk).split("\n").filter(Boolean)));
  const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: unknown) => void }>();
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  void exited.then((how) => {
    for (const pending of waiting.values()) pending.reject(new Error(`store process ended: ${JSON.stringify(how)}`));
    waiting.clear();
  });
  let buffered = "";
  child.stdout.on("data", (chunk: Buffer) => {
    buffered += String(chunk);
    const lines = buffered.split("\n");
    buffered = lines.pop() ?? "";
    for (const line of lines.filter(Boolean)) {
      const answer = JSON.parse(line) as {
        id: number;
        result?: unknown;
        error?: { name: string; reason: string | null; message: string };
      };
      const pending = waiting.get(answer.id);
      waiting.delete(answer.id);
      if (answer.error === undefined) pending?.resolve(answer.result);
      else pending?.reject(Object.assign(new Error(answer.error.message), answer.error));
    }
  });
  let nextId = 0;
  const request = (op: string, ...args: string[]): Promise<unknown> => {
    const id = ++nextId;
    return new Promise((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      child.stdin.write(`${JSON.stringify({ id, op, args })}\n`);
    });
  };
  const ready = new Promise((resolve, reject) => waiting.set(0, { resolve, reject }));
  await ready;
  return { request, exited, stderr, kill: () => child.kill("SIGKILL") };
}
