/**
 * Benchmark of the TMDb importer against the fake TMDb (tests/importers/fake-tmdb.ts) answering with a realistic
 * latency, drawn evenly from 50–150 ms per request: films per second through the importer with its default politeness
 * (8 requests in flight, at most 40 a second), then the time of the re-run answered from the cache.
 *
 *   npx tsx bench/tmdb-import.ts [--films N] [--min-latency MS] [--max-latency MS] [--keep]
 *
 * With those defaults the rate limit, not the latency, is the bound (8 requests in flight allow more than 40 a second).
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isEntryPoint } from "../src/cli/io.js";
import { parseArgs } from "node:util";
import { formatCount, formatDuration } from "../src/format.js";
import {
  DEFAULT_CONCURRENCY,
  importTmdb,
  type TmdbImportOptions,
  type TmdbImportReport,
} from "../src/importers/tmdb.js";
import { DEFAULT_REQUESTS_PER_SECOND } from "../src/importers/tmdb-client.js";
import { FakeTmdb, fakeMovie, type FakeMovie } from "../tests/importers/fake-tmdb.js";
import { seededRandom } from "../tests/support/seeded-random.js";

export interface TmdbBenchOptions {
  /** Films to import; 1,000 by default. */
  films?: number;
  /** The fake's latency per request, drawn evenly from [min, max]; 50–150 ms by default. */
  latencyMs?: { min: number; max: number };
  /** Leave the output and cache in place (their folder is printed). */
  keep?: boolean;
  log?: (line: string) => void;
}

export interface TmdbBenchRun {
  label: "fresh" | "cached";
  report: TmdbImportReport;
  filmsPerSecond: number;
}

export async function runTmdbImportBench(options: TmdbBenchOptions = {}): Promise<TmdbBenchRun[]> {
  const log = options.log ?? ((line: string) => console.log(line));
  const films = options.films ?? 1000;
  const latency = options.latencyMs ?? { min: 50, max: 150 };
  const movies = generateMovies(films);
  const fake = await FakeTmdb.start({ movies, latencyMs: latency });
  const root = await mkdtemp(join(tmpdir(), "tmdb-bench-"));
  try {
    const ids = join(root, "ids.txt");
    await writeFile(ids, movies.map((movie) => movie.details.id).join("\n") + "\n");
    log(
      `${formatCount(films)} films; fake TMDb latency ${latency.min}–${latency.max} ms per request; ` +
        `${DEFAULT_CONCURRENCY} requests in flight, at most ${DEFAULT_REQUESTS_PER_SECOND} a second`,
    );
    const settings: TmdbImportOptions = {
      selection: { kind: "ids", file: ids },
      out: join(root, "data", "tmdb.jsonl"),
      credentials: { token: fake.token },
      baseUrl: fake.url,
      cacheDir: join(root, "cache"),
      reportPath: join(root, "report.json"),
    };
    const runs: TmdbBenchRun[] = [];
    for (const label of ["fresh", "cached"] as const) {
      const report = await importTmdb(settings);
      const filmsPerSecond = report.elapsedMs > 0 ? (report.written / report.elapsedMs) * 1000 : 0;
      runs.push({ label, report, filmsPerSecond });
      log(
        `${label.padEnd(6)}  ${formatCount(report.written)} films in ${formatDuration(report.elapsedMs)} ` +
          `(${filmsPerSecond.toFixed(1)} films/s); ${formatCount(report.requests.requests)} requests, ` +
          `${formatCount(report.requests.fromCache)} from the cache; ${report.failed.length} failed`,
      );
    }
    return runs;
  } finally {
    await fake.close();
    if (options.keep === true) log(`kept ${root}`);
    else await rm(root, { recursive: true, force: true });
  }
}

/**
 * Films with about the cast, crew, releases, videos and providers of a typical TMDb film, so bodies are of a real size.
 */
function generateMovies(count: number): FakeMovie[] {
  const random = seededRandom(20_250_515);
  const pick = (max: number) => Math.floor(random() * max);
  return Array.from({ length: count }, (_film, index) => {
    const id = 100_000 + index;
    const year = 1930 + pick(95);
    return fakeMovie({
      id,
      title: `Benchmark Film ${index + 1}`,
      release_date: `${year}-${String(1 + pick(12)).padStart(2, "0")}-${String(1 + pick(28)).padStart(2, "0")}`,
      cast: Array.from({ length: 10 + pick(30) }, (_, order) => ({
        name: `Actor ${pick(50_000)}`,
        character: `Role ${order + 1}`,
      })),
      directors: [`Director ${pick(5000)}`],
      certifications: [
        ["US", "PG-13", 3],
        ["GB", "12A", 3],
        ["FR", "", 4],
      ],
      alternative_titles: [
        ["US", `Benchmark ${index + 1}`],
        ["DE", `Testfilm ${index + 1}`],
      ],
      keywords: Array.from({ length: pick(15) }, (_, keyword) => `keyword ${keyword}`),
      videos: [{ key: `t${id}` }, { key: `c${id}`, type: "Clip" }],
      providers: { US: { flatrate: ["Netflix"], rent: ["Apple TV", "Amazon Video"], buy: ["Apple TV"] } },
    });
  });
}

if (isEntryPoint(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      films: { type: "string" },
      "min-latency": { type: "string" },
      "max-latency": { type: "string" },
      keep: { type: "boolean" },
    },
    strict: true,
  });
  await runTmdbImportBench({
    films: values.films === undefined ? undefined : Number(values.films),
    latencyMs: { min: Number(values["min-latency"] ?? 50), max: Number(values["max-latency"] ?? 150) },
    keep: values.keep === true,
  });
}
