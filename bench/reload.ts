/**
 * Reload benchmark: a JSON Lines catalog (bench/jsonl-catalog.ts, 300,000 films by default) loaded as the bot loads
 * it (through the catalog holder), then reloaded after a small change (one film of a small extra file changes before
 * each reload: the catalog is built again, as after a moderator's edit) while autocomplete keystrokes arrive, each
 * answered as the bot's autocomplete does (filmChoices on the holder's current catalog). The reloads alternate between
 * two rates: one keystroke every 5 ms (200 a second, a very busy bot) and every 20 ms (50 a second). A last reload
 * changes nothing, at the faster rate: the holder then keeps the catalog in service.
 *
 * A keystroke's latency runs from when it arrived to when its answer was ready: keystrokes arrive on a fixed
 * schedule, whether or not the event loop is free, as interactions queue up on a busy bot's socket. The same
 * keystrokes are timed with no reload first, at each rate, as the floor. Reloads follow one another as a moderator's
 * would, with no collection forced between them (the bot forces none), and keystrokes are timed until AFTER_RELOAD_MS
 * after each, so that the collection a reload leaves to do counts too. Memory: the heap after a full GC and RSS in the
 * steady state and after the last reload; the heap and RSS as they are after each reload; the peak RSS during each
 * reload (the kernel's high-water mark, reset before each reload where /proc allows it, else sampled).
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import pino from "pino";
import { filmChoices } from "../src/cards/film-lookup.js";
import { Catalog } from "../src/catalog/catalog.js";
import { createCatalogHolder, type CatalogHolder } from "../src/reload/holder.js";
import { loadQuerySet } from "../tests/catalog/search/queries/evaluate.js";
import { jsonLinesCatalog } from "./jsonl-catalog.js";
import { filmBytesMb } from "./load.js";
import { type Latency, keystrokes } from "./search.js";

export interface ReloadBenchOptions {
  films?: number;
  reloads?: number;
  /** Milliseconds between two keystrokes, by turns: reload n uses rates[(n - 1) % rates.length]. */
  rates?: readonly number[];
  log?: (line: string) => void;
}

export interface MemoryFigures {
  heapMb: number;
  /** The films' bytes (see filmBytesMb). */
  filmBytesMb: number;
  /** The indexes' typed arrays and other buffers made on this thread (SharedArrayBuffer memory counts here only). */
  arrayBuffersMb: number;
  rssMb: number;
}

export interface ReloadRun {
  everyMs: number;
  durationMs: number;
  latency: Latency;
  peakRssMb: number;
  /** Keystrokes answered with no choice although the same query has choices on an idle catalog. */
  empty: number;
  /** No film changed before this reload. */
  unchanged: boolean;
}

export interface ReloadBenchResult {
  films: number;
  startMs: number;
  /** By rate (milliseconds between keystrokes). */
  idle: Map<number, Latency>;
  steady: MemoryFigures;
  /** As they are 2 s after the first and the last reload, no collection forced. */
  afterFirst: MemoryFigures;
  afterLast: MemoryFigures;
  /** After the last reload and a full collection. */
  settled: MemoryFigures;
  runs: ReloadRun[];
}

const MB = 1024 * 1024;

/** How long keystrokes go on being timed after a reload ends: the collection it leaves to do falls in it. */
const AFTER_RELOAD_MS = 2_000;

function memoryAfterGc(catalog: Catalog): MemoryFigures {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  return memoryNow(catalog);
}

function memoryNow(catalog: Catalog): MemoryFigures {
  const usage = process.memoryUsage();
  return {
    heapMb: usage.heapUsed / MB,
    filmBytesMb: filmBytesMb(catalog.films),
    arrayBuffersMb: usage.arrayBuffers / MB,
    rssMb: usage.rss / MB,
  };
}

/** The process's peak RSS since the last reset: the kernel's VmHWM, or samples when /proc cannot tell. */
class PeakRss {
  private sampled = 0;
  private readonly timer = setInterval(() => this.sample(), 5);
  private readonly kernel = canResetPeak();

  reset(): void {
    if (this.kernel) writeFileSync("/proc/self/clear_refs", "5");
    this.sampled = process.memoryUsage.rss();
  }

  sample(): void {
    this.sampled = Math.max(this.sampled, process.memoryUsage.rss());
  }

  peakMb(): number {
    this.sample();
    return Math.max(this.sampled, this.kernel ? highWaterMark() : 0) / MB;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

function canResetPeak(): boolean {
  try {
    writeFileSync("/proc/self/clear_refs", "5");
    return highWaterMark() > 0;
  } catch {
    return false;
  }
}

function highWaterMark(): number {
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync("/proc/self/status", "utf8"));
  return match ? Number(match[1]) * 1024 : 0;
}

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? 0;
}

function latencyOf(times: number[]): Latency {
  times.sort((a, b) => a - b);
  return { queries: times.length, p50: percentile(times, 0.5), p99: percentile(times, 0.99), max: times.at(-1) ?? 0 };
}

/**
 * Keystrokes arriving every `everyMs` until `until` settles (or `count` of them when there is nothing to wait for),
 * each answered from the holder's current catalog. Returns each one's latency, and the queries answered empty.
 */
async function typeWhile(
  holder: CatalogHolder,
  queries: readonly string[],
  everyMs: number,
  until: Promise<unknown> | number,
): Promise<{ times: number[]; emptyQueries: string[] }> {
  const times: number[] = [];
  const emptyQueries: string[] = [];
  let done = false;
  if (typeof until !== "number") void until.finally(() => (done = true));
  const limit = typeof until === "number" ? until : Infinity;
  const start = performance.now();
  let sent = 0;
  for (;;) {
    const now = performance.now();
    // Every keystroke due by now, each answered at its turn: the ones that arrived while the loop was busy waited.
    while (start + sent * everyMs <= now && sent < limit) {
      const arrived = start + sent * everyMs;
      const query = queries[sent % queries.length]!;
      sent++;
      const choices = filmChoices(holder.current, query, null);
      times.push(performance.now() - arrived);
      if (choices.length === 0) emptyQueries.push(query);
    }
    if (sent >= limit || done) break;
    await sleep(Math.max(0, start + sent * everyMs - performance.now()));
  }
  return { times, emptyQueries };
}

export async function runReloadBench(options: ReloadBenchOptions = {}): Promise<ReloadBenchResult> {
  const log = options.log ?? console.log;
  const films = options.films ?? 300_000;
  const rates = options.rates ?? [5, 20];
  const catalog = await jsonLinesCatalog(films, log);
  const queries = keystrokes(loadQuerySet()).filter((_, i) => i % 7 === 0);
  const peak = new PeakRss();
  // The film that changes before each reload, alone in a file of its own (removed at the end).
  const changing = join(catalog.dir, "bench-reload-changing.jsonl");
  const change = (n: number): void =>
    writeFileSync(
      changing,
      JSON.stringify({ title: "Reload Bench Film", year: 2001, rating: { score: 5 + (n % 50) / 10, votes: 1000 + n } }),
    );
  change(0);
  try {
    const holder = createCatalogHolder({
      dataDir: catalog.dir,
      initial: Catalog.build([]),
      logger: pino({ level: "silent" }),
    });
    const started = performance.now();
    const first = await holder.reload({ force: true });
    const startMs = performance.now() - started;
    if (first.status !== "reloaded") throw new Error(`the first load was ${first.status}`);
    const steady = memoryAfterGc(holder.current);
    log(
      `${first.films} films from ${catalog.files.length} JSON Lines files (${(catalog.bytes / MB).toFixed(0)} MB) and the one-film file that changes: ` +
        `loaded in ${(startMs / 1000).toFixed(1)} s; steady state: heap ${steady.heapMb.toFixed(0)} MB after GC, ` +
        `films' bytes ${steady.filmBytesMb.toFixed(0)} MB, array buffers ${steady.arrayBuffersMb.toFixed(0)} MB, ` +
        `RSS ${steady.rssMb.toFixed(0)} MB`,
    );
    const idle = new Map<number, Latency>();
    for (const everyMs of rates) {
      // Ten seconds of keystrokes at each rate.
      const latency = latencyOf((await typeWhile(holder, queries, everyMs, Math.round(10_000 / everyMs))).times);
      idle.set(everyMs, latency);
      log(
        `  autocomplete, no reload (${latency.queries} keystrokes, one every ${everyMs} ms): ` +
          `p50 ${latency.p50.toFixed(2)} ms, p99 ${latency.p99.toFixed(2)} ms, max ${latency.max.toFixed(1)} ms`,
      );
    }
    // Every query, not only those the idle runs reached: a query answered empty during a reload counts only if it has
    // choices on the same catalog at rest.
    const hasChoices = new Set(queries.filter((query) => filmChoices(holder.current, query, null).length > 0));
    const runs: ReloadRun[] = [];
    let afterFirst = steady;
    let afterLast = steady;
    const reloads = options.reloads ?? 4;
    for (let n = 1; n <= reloads + 1; n++) {
      const unchanged = n > reloads;
      const everyMs = unchanged ? rates[0]! : rates[(n - 1) % rates.length]!;
      if (!unchanged) change(n);
      peak.reset();
      const reload = holder.reload({ force: false });
      const typed = await typeWhile(
        holder,
        queries,
        everyMs,
        reload.then(() => sleep(AFTER_RELOAD_MS)),
      );
      const outcome = await reload;
      // The holder's own timing: the 2 s of keystrokes after the reload are not part of it.
      const { durationMs } = outcome;
      if (outcome.status !== "reloaded") throw new Error(`reload ${n} was ${outcome.status}`);
      if ((outcome.unchanged === true) !== unchanged)
        throw new Error(`reload ${n} was ${unchanged ? "" : "not "}expected to find every film unchanged`);
      const run: ReloadRun = {
        everyMs,
        durationMs,
        latency: latencyOf(typed.times),
        peakRssMb: peak.peakMb(),
        empty: typed.emptyQueries.filter((query) => hasChoices.has(query)).length,
        unchanged,
      };
      runs.push(run);
      afterLast = memoryNow(holder.current);
      if (n === 1) afterFirst = afterLast;
      log(
        `  reload ${n}${unchanged ? " (no film changed)" : ""}: ${(durationMs / 1000).toFixed(1)} s; autocomplete meanwhile (${run.latency.queries} keystrokes, ` +
          `one every ${everyMs} ms): ` +
          `p50 ${run.latency.p50.toFixed(1)} ms, p99 ${run.latency.p99.toFixed(1)} ms, max ${run.latency.max.toFixed(0)} ms, ` +
          `${run.empty} empty; peak RSS ${run.peakRssMb.toFixed(0)} MB = ${(run.peakRssMb / steady.rssMb).toFixed(2)}× ` +
          `the steady state; ${AFTER_RELOAD_MS / 1000} s after, no collection forced: heap ${afterLast.heapMb.toFixed(0)} MB, films' bytes ` +
          `${afterLast.filmBytesMb.toFixed(0)} MB, array buffers ${afterLast.arrayBuffersMb.toFixed(0)} MB, ` +
          `RSS ${afterLast.rssMb.toFixed(0)} MB`,
      );
    }
    const settled = memoryAfterGc(holder.current);
    log(
      `after the reloads and a full collection: heap ${settled.heapMb.toFixed(0)} MB, films' bytes ` +
        `${settled.filmBytesMb.toFixed(0)} MB, array buffers ${settled.arrayBuffersMb.toFixed(0)} MB, ` +
        `RSS ${settled.rssMb.toFixed(0)} MB = ${(settled.rssMb / steady.rssMb).toFixed(2)}× the steady state`,
    );
    return { films: first.films, startMs, idle, steady, afterFirst, afterLast, settled, runs };
  } finally {
    peak.stop();
    rmSync(changing, { force: true });
  }
}
