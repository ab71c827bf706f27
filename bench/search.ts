/**
 * Search benchmark: catalogs of ~3k real titles (vega-datasets), 30k and 300k (real + synthetic titles); for each,
 * build time, memory, and per-keystroke query latency of the project's search next to plain fuse.js over all titles,
 * measured in the same run; then quality on the query set of tests/catalog/search/queries.
 */
import Fuse from "fuse.js";
import { Catalog } from "../src/catalog/catalog.js";
import type { Film } from "../src/catalog/film.js";
import {
  evaluateQuality,
  loadQuerySet,
  type QualityReport,
  querySetFilms,
  resolution,
  share,
} from "../tests/catalog/search/queries/evaluate.js";
import type { SearchQuery } from "../tests/catalog/search/queries/generate.js";
import { formatCount } from "../src/format.js";
import { syntheticFilms } from "./synthetic.js";

export interface Latency {
  queries: number;
  p50: number;
  p99: number;
  max: number;
}

export interface SearchBenchRow {
  titles: number;
  /** Titles and alternate titles. */
  names: number;
  buildMs: number;
  /** The heap and typed arrays the catalog adds (see memoryUsed). */
  memoryMb: number;
  ours: Latency;
  fuse: Latency;
}

export interface SearchBenchResult {
  rows: SearchBenchRow[];
  quality: { ours: QualityReport; oursOnFuseSample: QualityReport; fuse: QualityReport; fuseSample: number };
}

/** The heap and the typed arrays (the indexes' are SharedArrayBuffer memory, which "arrayBuffers" counts). */
function memoryUsed(): number {
  (globalThis as { gc?: () => void }).gc?.();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

/** What a member sends while typing: every prefix of every query, in order. */
export function keystrokes(queries: readonly SearchQuery[]): string[] {
  const typed: string[] = [];
  for (const { query } of queries)
    for (let length = 1; length <= query.length; length++) typed.push(query.slice(0, length));
  return typed;
}

/** Every n-th item, so a sample spreads over the whole list. */
function sample<T>(items: readonly T[], count: number): T[] {
  if (items.length <= count) return [...items];
  const step = items.length / count;
  return Array.from({ length: count }, (_, i) => items[Math.floor(i * step)]!);
}

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? 0;
}

export function measure(queries: readonly string[], run: (query: string) => unknown): Latency {
  // Warm up the JIT on a few queries first: the first calls of any function are interpreted.
  for (const query of queries.slice(0, Math.min(200, queries.length))) run(query);
  const times = queries.map((query) => {
    const started = performance.now();
    run(query);
    return performance.now() - started;
  });
  times.sort((a, b) => a - b);
  return { queries: times.length, p50: percentile(times, 0.5), p99: percentile(times, 0.99), max: times.at(-1) ?? 0 };
}

function plainFuse(films: readonly Film[]): Fuse<Film> {
  return new Fuse(films, { keys: ["title", "alternateTitles"], includeScore: true });
}

export function realFilms(): Film[] {
  return querySetFilms();
}

export interface SearchBenchOptions {
  sizes?: number[];
  /** Sizes measured again with alternate titles on the synthetic films (about three names a film). */
  sizesWithAlternateTitles?: number[];
  /** Keystroke queries timed for our search, per catalog. */
  keystrokeQueries?: number;
  /** Queries timed for plain fuse.js, per catalog size (it is slow: it scores every title on every query). */
  fuseQueries?: (titles: number) => number;
  log?: (line: string) => void;
}

function rates(stats: QualityReport): string {
  return `${share(stats.top1, stats.queries)} at rank 1, ${share(stats.top25, stats.queries)} in the top 25`;
}

export function runSearchBench(options: SearchBenchOptions = {}): SearchBenchResult {
  const log = options.log ?? console.log;
  const real = realFilms();
  const querySet = loadQuerySet();
  const typed = sample(keystrokes(querySet), options.keystrokeQueries ?? 5000);
  const fuseQueries = options.fuseQueries ?? ((titles: number) => (titles <= 5000 ? 1000 : titles <= 50_000 ? 60 : 12));
  const rows: SearchBenchRow[] = [];
  let realCatalog: Catalog | undefined;

  const runs = [
    ...(options.sizes ?? [real.length, 30_000, 300_000]).map((size) => ({ size, alternateTitles: false })),
    ...(options.sizesWithAlternateTitles ?? [30_000, 300_000]).map((size) => ({ size, alternateTitles: true })),
  ];
  for (const { size, alternateTitles } of runs) {
    const films =
      size <= real.length ? real : [...real, ...syntheticFilms(real, size - real.length, { alternateTitles })];
    const names = films.reduce((sum, film) => sum + 1 + film.alternateTitles.length, 0);
    const memoryBefore = memoryUsed();
    const started = performance.now();
    const catalog = Catalog.build(films);
    const buildMs = performance.now() - started;
    const memoryMb = (memoryUsed() - memoryBefore) / 1024 / 1024;
    if (size <= real.length) realCatalog = catalog;

    const ours = measure(typed, (query) => catalog.search(query, { limit: 25 }));
    const fuse = plainFuse(films);
    const fuseLatency = measure(sample(typed, fuseQueries(films.length)), (query) => fuse.search(query, { limit: 25 }));
    const row: SearchBenchRow = { titles: films.length, names, buildMs, memoryMb, ours, fuse: fuseLatency };
    rows.push(row);
    log(
      `${String(films.length).padStart(7)} titles${alternateTitles ? ` (${formatCount(names)} names with alternate titles)` : ""}  build+index ${row.buildMs.toFixed(0).padStart(5)} ms  heap + arrays ${row.memoryMb.toFixed(0).padStart(4)} MB  ` +
        `ours p50 ${ours.p50.toFixed(3)} p99 ${ours.p99.toFixed(3)} ms (${ours.queries} keystrokes)  ` +
        `fuse.js p50 ${fuseLatency.p50.toFixed(1)} p99 ${fuseLatency.p99.toFixed(1)} ms (${fuseLatency.queries} sampled)  ` +
        `→ ${(fuseLatency.p50 / ours.p50).toFixed(0)}× faster at p50, ${(fuseLatency.p99 / ours.p99).toFixed(0)}× at p99`,
    );
  }

  const catalog = realCatalog ?? Catalog.build(real);
  const ours = evaluateQuality(
    querySet,
    (query) => catalog.search(query, { limit: 25 }).map((match) => match.film.id),
    (query) => resolution(catalog, query),
  );
  // Plain fuse.js is slow even at 3k titles: a spread sample of the set, the same one for both.
  const fuseSample = sample(querySet, 1500);
  const fuse = plainFuse(real);
  const fuseQuality = evaluateQuality(fuseSample, (query) =>
    fuse.search(query, { limit: 25 }).map((result) => result.item.id),
  );
  const oursOnFuseSample = evaluateQuality(fuseSample, (query) =>
    catalog.search(query, { limit: 25 }).map((match) => match.film.id),
  );
  log(`quality, ${ours.queries} queries on ${real.length} real titles: ours ${rates(ours)}`);
  log(
    `  sent as text: card ${share(ours.cards, ours.queries)} (wrong ${share(ours.wrongCards, ours.queries, 2)}), ` +
      `pick menu ${share(ours.menus, ours.queries)} (holding the film ${share(ours.menusWithFilm, ours.menus)})`,
  );
  log(
    `quality, same ${fuseSample.length}-query sample: ours ${rates(oursOnFuseSample)}, plain fuse.js ${rates(fuseQuality)}`,
  );
  log(`  ${"kind".padEnd(28)} queries  rank 1  top 25    card   wrong    menu   fuse.js rank 1`);
  for (const [kind, stats] of Object.entries(ours.byKind)) {
    const fuseKind = fuseQuality.byKind[kind];
    const cells = [
      share(stats.top1, stats.queries),
      share(stats.top25, stats.queries),
      share(stats.cards, stats.queries),
      String(stats.wrongCards),
      share(stats.menus, stats.queries),
    ].map((cell) => cell.padStart(7));
    log(
      `  ${kind.padEnd(28)} ${String(stats.queries).padStart(7)} ${cells.join(" ")}` +
        (fuseKind ? `   ${share(fuseKind.top1, fuseKind.queries).padStart(7)}` : ""),
    );
  }
  return { rows, quality: { ours, oursOnFuseSample, fuse: fuseQuality, fuseSample: fuseSample.length } };
}
