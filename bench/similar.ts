/**
 * Similar-films benchmark: catalogs of ~3k real films (vega-datasets: directors and genres, no cast), 30k and 300k
 * (real + synthetic films with genres, directors and cast, bench/synthetic.ts); for each, what the indexes behind
 * Catalog.similar add to the catalog's build (time and heap: the genre index and the similar index; the people index
 * was already built), and the latency of one Similar press — `catalog.similar(id, 10)` for films spread over the
 * catalog — beside a plain `catalog.get(id)` timed the same way, the floor of any lookup. Target (issue 11): under
 * 5 ms p99 at 300,000 films.
 */
import { Catalog } from "../src/catalog/catalog.js";
import type { Film } from "../src/catalog/film.js";
import { votesOf } from "../src/catalog/film.js";
import { Genres } from "../src/catalog/genres.js";
import { People } from "../src/catalog/people.js";
import { SimilarIndex } from "../src/catalog/similar.js";
import { type Latency, measure, realFilms } from "./search.js";
import { syntheticFilms, withSyntheticCredits } from "./synthetic.js";

export interface SimilarBenchRow {
  films: number;
  catalogBuildMs: number;
  /** Genres.build + SimilarIndex.build on the same films: what they add to a catalog build. */
  addedBuildMs: number;
  /** Heap and typed arrays the two indexes hold. */
  addedMemoryMb: number;
  similar: Latency;
  /**
   * The p99 of the CPU time of a press (this process's, user + system): beside the wall-clock p99, it tells the work
   * from the time the machine gave other processes in between, which on a busy 2-core machine is most of the tail.
   */
  cpuP99: number;
  floor: Latency;
  /** Mean films listed per press (at most 10). */
  meanListed: number;
}

/** The heap and the typed arrays' buffers (outside the heap), after a full collection when --expose-gc allows. */
function memoryUsed(): number {
  (globalThis as { gc?: () => void }).gc?.();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

/** The `fraction` percentile of the CPU time `run` takes per id, in ms (after the same warm-up as measure). */
function cpuPercentile(ids: readonly string[], run: (id: string) => unknown, fraction: number): number {
  for (const id of ids.slice(0, 200)) run(id);
  const times = ids.map((id) => {
    const before = process.cpuUsage();
    run(id);
    const used = process.cpuUsage(before);
    return (used.user + used.system) / 1000;
  });
  times.sort((a, b) => a - b);
  return times[Math.min(times.length - 1, Math.floor(times.length * fraction))] ?? 0;
}

/** Every n-th film id, so the presses spread over the whole catalog (real films and synthetic ones). */
function spread(films: readonly Film[], count: number): string[] {
  const step = Math.max(1, films.length / count);
  return Array.from({ length: Math.min(count, films.length) }, (_, i) => films[Math.floor(i * step)]!.id);
}

export function runSimilarBench(
  options: { sizes?: number[]; presses?: number; log?: (line: string) => void } = {},
): SimilarBenchRow[] {
  const log = options.log ?? console.log;
  const real = realFilms();
  const rows: SimilarBenchRow[] = [];
  for (const size of options.sizes ?? [real.length, 30_000, 300_000]) {
    const films =
      size <= real.length ? real : withSyntheticCredits([...real, ...syntheticFilms(real, size - real.length)]);

    let started = performance.now();
    const catalog = Catalog.build(films);
    const catalogBuildMs = performance.now() - started;

    // The added indexes alone, on the same films; the people index and the votes order are inputs, not timed.
    const people = People.build(films);
    const byVotes = Int32Array.from(films.keys()).sort((a, b) => votesOf(films[b]!) - votesOf(films[a]!));
    const memoryBefore = memoryUsed();
    started = performance.now();
    const genres = Genres.build(films);
    const index = SimilarIndex.build(films, people, genres, byVotes);
    const addedBuildMs = performance.now() - started;
    const addedMemoryMb = (memoryUsed() - memoryBefore) / 1024 / 1024;
    // Used once the heap is measured, so that neither index is collected before.
    index.similar(0, 1);

    const ids = spread(films, options.presses ?? 5000);
    let listed = 0;
    const similar = measure(ids, (id) => (listed += catalog.similar(id, 10).length));
    const cpuP99 = cpuPercentile(ids, (id) => catalog.similar(id, 10), 0.99);
    const floor = measure(ids, (id) => catalog.get(id));
    const row: SimilarBenchRow = {
      films: films.length,
      catalogBuildMs,
      addedBuildMs,
      addedMemoryMb,
      similar,
      cpuP99,
      floor,
      meanListed: listed / (ids.length + Math.min(200, ids.length)),
    };
    rows.push(row);
    log(
      `${String(films.length).padStart(7)} films  catalog build ${catalogBuildMs.toFixed(0).padStart(5)} ms, ` +
        `of which genres + similar index ${addedBuildMs.toFixed(0).padStart(4)} ms, memory +${addedMemoryMb.toFixed(1)} MB  ` +
        `similar p50 ${similar.p50.toFixed(3)} p99 ${similar.p99.toFixed(3)} max ${similar.max.toFixed(2)} ms ` +
        `(CPU p99 ${cpuP99.toFixed(3)} ms) ` +
        `(${similar.queries} presses, ${row.meanListed.toFixed(1)} films listed on average)  ` +
        `floor catalog.get p50 ${floor.p50.toFixed(4)} p99 ${floor.p99.toFixed(4)} ms`,
    );
  }
  return rows;
}
