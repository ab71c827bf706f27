/**
 * The bot as a real process, as `npm start` runs it (node with tsx's loader, src/main.ts), for tests and the
 * benchmark that need separate processes: signals, exit codes, several replicas.
 */
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import { START_SETTINGS } from "../../src/reload/collector.js";

const TSX = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
export const MAIN = fileURLToPath(new URL("../../src/main.ts", import.meta.url));
export const DEPLOY = fileURLToPath(new URL("../../src/deploy.ts", import.meta.url));

export interface Running {
  readonly pid: number;
  stdout: string[];
  stderr: string[];
  exited: Promise<number | null>;
  signal(signal: NodeJS.Signals): void;
}

/**
 * Runs a script like `tsx <script>` in `cwd` with only `env` (and PATH): nothing leaks in from the test's environment.
 * Node's options and glibc's setting are npm start's.
 */
export function run(script: string, cwd: string, env: Record<string, string>): Running {
  const child = spawn(process.execPath, [...START_SETTINGS.nodeOptions, "--import", TSX, script], {
    cwd,
    env: { PATH: process.env["PATH"] ?? "", ...START_SETTINGS.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  child.stdout.on("data", (chunk: Buffer) => stdout.push(...String(chunk).split("\n").filter(Boolean)));
  child.stderr.on("data", (chunk: Buffer) => stderr.push(...String(chunk).split("\n").filter(Boolean)));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { pid: child.pid ?? -1, stdout, stderr, exited, signal: (signal) => child.kill(signal) };
}

export async function until(
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** The JSON log lines a bot process wrote so far. */
export function logLines(bot: Running): Record<string, unknown>[] {
  return bot.stdout.flatMap((line) => {
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
}

export interface Replica extends Running {
  /** http://127.0.0.1:<port>, where the replica's HTTP server listens. */
  readonly url: string;
}

/** Starts the bot in "http" interactions mode on a free port and waits until it says it is ready. */
export async function startReplica(cwd: string, env: Record<string, string>): Promise<Replica> {
  const bot = run(MAIN, cwd, { INTERACTIONS: "http", HTTP_HOST: "127.0.0.1", HTTP_PORT: "0", ...env });
  let port: number | undefined;
  await until(
    () => {
      if (bot.stderr.length > 0) throw new Error(`the replica failed: ${bot.stderr.join("\n")}`);
      const lines = logLines(bot);
      port ??= lines.find((line) => line["msg"] === "HTTP server listening")?.["port"] as number | undefined;
      return port !== undefined && lines.some((line) => line["msg"] === "ready");
    },
    30_000,
    "the replica to be ready",
  );
  return { ...bot, url: `http://127.0.0.1:${port}` };
}
