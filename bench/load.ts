/**
 * Start-up benchmark: 100,000 realistic pages (bench/pages.ts) loaded from disk and indexed, as the bot does at start
 * and on /reload (loadDataDir, then Catalog.buildWithPauses). Prints wall time per step, CPU time (all threads), the
 * heap after a full GC (run with --expose-gc, as `npm run bench` does), and the page bytes the catalog keeps outside
 * the heap (see src/catalog/page-film.ts). The floor, measured in the same run: reading every page on one thread,
 * keeping nothing (machines differ by 2x; the ratio to the floor travels between them, the seconds do not).
 */
import { readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Catalog } from "../src/catalog/catalog.js";
import { KeptFilm } from "../src/catalog/pages/page-film.js";
import { loadDataDir } from "../src/catalog/load.js";
import { generatePages } from "./pages.js";
import { realFilms } from "./search.js";
import { syntheticFilms } from "./synthetic.js";

/**
 * The memory the films' bytes take: the distinct slabs kept films point into. Slabs are shared memory made by the load
 * workers (page-worker.ts), which process.memoryUsage() on this thread counts neither as "external" nor as
 * "arrayBuffers".
 */
export function filmBytesMb(films: readonly unknown[]): number {
  const slabs = new Set<ArrayBufferLike>();
  for (const film of films) if (film instanceof KeptFilm) slabs.add(film.bytes.buffer);
  let bytes = 0;
  for (const slab of slabs) bytes += slab.byteLength;
  return bytes / 1024 / 1024;
}

export interface LoadBenchResult {
  pages: number;
  films: number;
  /** Reading every page on one thread (see readEveryPage). */
  floorMs: number;
  errors: number;
  loadMs: number;
  indexMs: number;
  totalMs: number;
  cpuMs: number;
  heapMb: number;
  /** The pages PageFilms are kept as (see filmBytesMb). */
  pageBytesMb: number;
  /** The indexes' typed arrays (SharedArrayBuffer memory, counted as "arrayBuffers"). */
  indexArraysMb: number;
  rssMb: number;
}

/** Reads every file under `dir`, one after the other on this thread, keeping nothing; how many bytes. */
function readEveryPage(dir: string): number {
  let bytes = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true }))
    if (entry.isFile()) bytes += readFileSync(join(entry.parentPath, entry.name)).length;
  return bytes;
}

function memoryAfterGc(): NodeJS.MemoryUsage {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage();
}

export async function runLoadBench(
  pages = 100_000,
  log: (line: string) => void = console.log,
): Promise<LoadBenchResult> {
  const dir = join(tmpdir(), `film-bot-bench-pages-${pages}`);
  const real = realFilms();
  const titles = [...real, ...syntheticFilms(real, Math.max(0, pages - real.length))]
    .slice(0, pages)
    .map((film) => film.title);
  const started = performance.now();
  if (generatePages(dir, titles))
    log(
      `generated ${pages} pages in ${dir} in ${((performance.now() - started) / 1000).toFixed(1)} s (kept for the next run)`,
    );

  const floorStart = performance.now();
  readEveryPage(dir);
  const floorMs = performance.now() - floorStart;
  const before = memoryAfterGc();
  const cpuBefore = process.cpuUsage();
  const loadStart = performance.now();
  const loaded = await loadDataDir(dir);
  const indexStart = performance.now();
  const catalog = await Catalog.buildWithPauses(loaded.films);
  const end = performance.now();
  const cpu = process.cpuUsage(cpuBefore);
  const after = memoryAfterGc();
  const heapMb = (after.heapUsed - before.heapUsed) / 1024 / 1024;
  // The indexes' arrays, made here on shared memory (src/catalog/index-arrays.ts), count as "arrayBuffers".
  const pageBytesMb = filmBytesMb(catalog.films);
  const indexArraysMb = (after.arrayBuffers - before.arrayBuffers) / 1024 / 1024;
  const result: LoadBenchResult = {
    pages,
    films: catalog.size,
    floorMs,
    errors: loaded.errors.length,
    loadMs: indexStart - loadStart,
    indexMs: end - indexStart,
    totalMs: end - loadStart,
    cpuMs: (cpu.user + cpu.system) / 1000,
    heapMb,
    pageBytesMb,
    indexArraysMb,
    rssMb: after.rss / 1024 / 1024,
  };
  log(
    `${pages} pages → ${result.films} films (${loaded.merges.length} merged, ${result.errors} errors): ` +
      `load ${(result.loadMs / 1000).toFixed(2)} s + index ${(result.indexMs / 1000).toFixed(2)} s = ${(result.totalMs / 1000).toFixed(2)} s ` +
      `(CPU ${(result.cpuMs / 1000).toFixed(2)} s, all threads); heap ${heapMb.toFixed(0)} MB after GC, ` +
      `outside the heap: pages ${pageBytesMb.toFixed(0)} MB, index arrays ${indexArraysMb.toFixed(0)} MB; ` +
      `RSS ${result.rssMb.toFixed(0)} MB; ` +
      `floor (reading every page, one thread) ${(floorMs / 1000).toFixed(2)} s: the load and index take ` +
      `${(result.totalMs / floorMs).toFixed(1)}× the floor`,
  );
  return result;
}
