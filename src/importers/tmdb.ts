/**
 * Imports films from TMDb's API (https://developer.themoviedb.org/) into JSON Lines film records (tmdb-record.ts),
 * either for a list of TMDb ids (tmdb-ids.ts) or for every film of an existing catalog ("enrich": by the TMDb id a
 * catalog film already has, else matched by IMDb id through /find, else by title and year through /search/movie, see
 * tmdb-match.ts).
 *
 * One details request per film (/movie/{id} with every section appended), made by a fixed number of workers through
 * one paced, retrying, caching client (tmdb-client.ts). Records are written in input order as soon as all before them
 * are done, so memory holds at most a window of finished films and the output is the same whatever the timing.
 *
 * The output goes to a temporary file beside FILE, renamed into place at the end. When the run is interrupted (the
 * signal), it stops starting films, lets the lines written so far stand, and renames the file all the same: a valid
 * catalog of the films done so far, and the cache makes the next run resume. When TMDb refuses the credentials (401),
 * nothing is renamed: the previous output stays as it was.
 */
import { once } from "node:events";
import { mkdir, rename, writeFile } from "node:fs/promises";
import { basename, dirname, relative, resolve, sep } from "node:path";
import { DEFAULT_REGION, type Film } from "../catalog/film.js";
import { loadDataDir } from "../catalog/load.js";
import { filmDetails } from "../catalog/pages/page-film.js";
import { firstLine } from "../errors.js";
import { openOutputFile } from "./output-file.js";
import { silentProgress, type ProgressReporter } from "./progress.js";
import { ResponseCache } from "./tmdb-cache.js";
import {
  DEFAULT_TMDB_API_URL,
  TmdbAuthError,
  TmdbClient,
  TmdbInterrupted,
  type TmdbClientStats,
  type TmdbCredentials,
  type TmdbTiming,
} from "./tmdb-client.js";
import { readIdsFile, type IdsFile } from "./tmdb-ids.js";
import { matchSearchResults, releaseYear } from "./tmdb-match.js";
import { findSchema, movieDetailsSchema, searchMovieSchema, type MovieResult } from "./tmdb-payloads.js";
import { toRecord } from "./tmdb-record.js";

export const DEFAULT_OUT = "data/tmdb.jsonl";
export const DEFAULT_CACHE_DIR = "state/tmdb-cache";
export const DEFAULT_REPORT = "state/tmdb-report.json";
export const DEFAULT_LANGUAGE = "en-US";
export const DEFAULT_MAX_AGE_MS = 30 * 24 * 60 * 60 * 1000;
export const DEFAULT_CONCURRENCY = 8;
export const APPEND_TO_RESPONSE =
  "credits,release_dates,videos,alternative_titles,external_ids,keywords,watch/providers";
export { DEFAULT_REGION, DEFAULT_TMDB_API_URL };

/** Finished films held back waiting for an earlier, slower one, at most: the bound on memory. */
const ORDER_WINDOW = 1000;

export type TmdbSelection =
  /** TMDb ids from a file of ids or the daily export. */
  | { kind: "ids"; file: string; minPopularity?: number; includeAdult?: boolean }
  /** Every film of the catalog in this data folder. */
  | { kind: "enrich"; dataDir: string };

export interface TmdbImportOptions extends TmdbTiming {
  selection: TmdbSelection;
  /** The JSON Lines file to write. */
  out: string;
  credentials: TmdbCredentials;
  /** DEFAULT_TMDB_API_URL by default. */
  baseUrl?: string;
  /** ISO 3166-1, upper case. */
  region?: string;
  /** e.g. "en-US". */
  language?: string;
  /** The response cache's folder; null for none. */
  cacheDir: string | null;
  maxAgeMs?: number;
  /** Where the full lists (unmatched, ambiguous, not found, failed) are written as JSON; null for nowhere. */
  reportPath: string | null;
  /** Workers, so requests in flight, at most. */
  concurrency?: number;
  requestsPerSecond?: number;
  retries?: number;
  backoffMs?: number;
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** Aborting stops the import, keeping the films written so far (Ctrl-C). */
  signal?: AbortSignal;
  progress?: ProgressReporter;
}

/** A film that was not written, and why. */
export interface ListedFilm {
  /** The TMDb id, when known. */
  tmdbId?: number;
  /** The catalog film (--enrich). */
  catalogId?: string;
  title?: string;
  year?: number | null;
  reason: string;
  /** For an ambiguous match: the TMDb films that fit equally well. */
  candidates?: { tmdbId: number; title: string; year: number | null }[];
}

export interface TmdbImportReport {
  mode: TmdbSelection["kind"];
  out: string;
  /** Films to import: ids read, or catalog films. */
  total: number;
  written: number;
  /** --enrich: catalog films matched to a TMDb film, by how (by TMDb id: the catalog film had one already). */
  matched: { byTmdbId: number; byImdbId: number; byTitleAndYear: number } | null;
  unmatched: ListedFilm[];
  ambiguous: ListedFilm[];
  notFound: ListedFilm[];
  failed: ListedFilm[];
  /** Catalog films matched to a TMDb film already written for an earlier one. */
  duplicates: ListedFilm[];
  /** --ids: what the file held. */
  idsFile: Omit<IdsFile, "ids"> | null;
  /** --enrich: the catalog read. */
  catalog: { dir: string; films: number; fromOutput: number; loadErrors: number } | null;
  requests: TmdbClientStats;
  interrupted: boolean;
  elapsedMs: number;
  reportPath: string | null;
  cacheDir: string | null;
}

/** A problem that stops the import before or outside TMDb's answers: one line for the user. */
export class TmdbImportError extends Error {
  override name = "TmdbImportError";
}

export { TmdbAuthError };

type WorkItem = { kind: "id"; tmdbId: number } | { kind: "film"; film: CatalogFilm };

interface CatalogFilm {
  id: string;
  title: string;
  year: number | null;
  imdbId: string | null;
  tmdbId: number | null;
}

type MatchedBy = "tmdb" | "imdb" | "title";

type Outcome =
  | { kind: "record"; tmdbId: number; line: string; matchedBy: MatchedBy | null; listed: ListedFilm }
  | { kind: "unmatched" | "ambiguous" | "notFound" | "failed"; listed: ListedFilm };

export async function importTmdb(options: TmdbImportOptions): Promise<TmdbImportReport> {
  const now = options.now ?? Date.now;
  const startedAt = now();
  const progress = options.progress ?? silentProgress;
  const region = options.region ?? DEFAULT_REGION;
  const language = options.language ?? DEFAULT_LANGUAGE;
  const source = basename(options.out);

  const { items, idsFile, catalog } = await selectWork(options);
  const cache = options.cacheDir === null ? null : await openCache(options.cacheDir);
  const output = await openOutputFile(options.out, (message) => new TmdbImportError(message));

  const stop = new AbortController();
  const external = options.signal;
  const onAbort = () => stop.abort();
  external?.addEventListener("abort", onAbort, { once: true });
  if (external?.aborted === true) stop.abort();

  const client = new TmdbClient({
    baseUrl: options.baseUrl ?? DEFAULT_TMDB_API_URL,
    credentials: options.credentials,
    cache,
    maxAgeMs: options.maxAgeMs ?? DEFAULT_MAX_AGE_MS,
    requestsPerSecond: options.requestsPerSecond,
    retries: options.retries,
    backoffMs: options.backoffMs,
    timeoutMs: options.timeoutMs,
    fetch: options.fetch,
    signal: stop.signal,
    now: options.now,
    sleep: options.sleep,
  });

  const report: TmdbImportReport = {
    mode: options.selection.kind,
    out: options.out,
    total: items.length,
    written: 0,
    matched: options.selection.kind === "enrich" ? { byTmdbId: 0, byImdbId: 0, byTitleAndYear: 0 } : null,
    unmatched: [],
    ambiguous: [],
    notFound: [],
    failed: [],
    duplicates: [],
    idsFile,
    catalog,
    requests: client.stats,
    interrupted: false,
    elapsedMs: 0,
    reportPath: options.reportPath,
    cacheDir: options.cacheDir,
  };
  const writtenIds = new Set<number>();
  const writer = new OrderedWriter(output.stream, (outcome) => {
    if (outcome.kind !== "record") {
      report[outcome.kind].push(outcome.listed);
      return null;
    }
    // Two catalog films (a film and its remake listed with a wrong year, say) can lead to one TMDb film.
    if (writtenIds.has(outcome.tmdbId)) {
      report.duplicates.push({
        ...outcome.listed,
        reason: `TMDb ${outcome.tmdbId} is already written for another film`,
      });
      return null;
    }
    writtenIds.add(outcome.tmdbId);
    report.written++;
    if (outcome.matchedBy === "tmdb") report.matched!.byTmdbId++;
    if (outcome.matchedBy === "imdb") report.matched!.byImdbId++;
    if (outcome.matchedBy === "title") report.matched!.byTitleAndYear++;
    return outcome.line;
  });

  const work = new FilmWork(client, { region, language, source });
  let fatal: unknown = null;
  let done = 0;
  let next = 0;
  // Started with the first film done, so a run refused at once (401) shows nothing but the refusal.
  let progressStarted = false;
  const filmDone = () => {
    if (!progressStarted) progress.startFile("TMDb", items.length);
    progressStarted = true;
    progress.advance(++done, done);
  };
  const worker = async (): Promise<void> => {
    while (!stop.signal.aborted) {
      const index = next++;
      if (index >= items.length) return;
      try {
        await writer.waitForRoom(index, stop.signal);
        if (stop.signal.aborted) return;
        const outcome = await work.run(items[index]!);
        await writer.put(index, outcome);
      } catch (error) {
        if (error instanceof TmdbInterrupted || stop.signal.aborted) return;
        fatal ??= error;
        stop.abort();
        return;
      }
      filmDone();
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY) }, worker));
  } finally {
    external?.removeEventListener("abort", onAbort);
  }
  report.interrupted = fatal === null && stop.signal.aborted && done < items.length;
  if (progressStarted) progress.finishFile(done, fatal === null && !report.interrupted);
  if (fatal !== null) {
    await output.abandon();
    throw fatal instanceof TmdbAuthError || fatal instanceof TmdbImportError
      ? fatal
      : new TmdbImportError(`cannot write ${options.out}: ${firstLine(fatal)}`);
  }
  await output.commit().catch(async (error: unknown) => {
    await output.abandon();
    throw new TmdbImportError(`cannot write ${options.out}: ${firstLine(error)}`);
  });
  report.elapsedMs = now() - startedAt;
  if (options.reportPath !== null) await writeReport(options.reportPath, report);
  return report;
}

// ─── What to import ─────────────────────────────────────────────────────────────────────────────────────────────

async function selectWork(options: TmdbImportOptions): Promise<{
  items: WorkItem[];
  idsFile: TmdbImportReport["idsFile"];
  catalog: TmdbImportReport["catalog"];
}> {
  const selection = options.selection;
  if (selection.kind === "ids") {
    let file: IdsFile;
    try {
      file = await readIdsFile(selection.file, {
        minPopularity: selection.minPopularity,
        includeAdult: selection.includeAdult,
      });
    } catch (error) {
      throw new TmdbImportError(`cannot read ${selection.file}: ${firstLine(error)}`);
    }
    const { ids, ...summary } = file;
    return { items: ids.map((tmdbId) => ({ kind: "id", tmdbId })), idsFile: summary, catalog: null };
  }
  let films: Film[];
  let loadErrors: number;
  try {
    const loaded = await loadDataDir(selection.dataDir);
    films = loaded.films.map(filmDetails);
    loadErrors = loaded.errors.length;
  } catch (error) {
    throw new TmdbImportError(firstLine(error));
  }
  // The previous output is in the folder too; its films alone (not merged with a catalog film) are TMDb's already.
  const outputName = nameInside(selection.dataDir, options.out);
  const items: WorkItem[] = [];
  let fromOutput = 0;
  for (const film of films) {
    if (outputName !== null && film.source === outputName) {
      fromOutput++;
      continue;
    }
    items.push({
      kind: "film",
      film: { id: film.id, title: film.title, year: film.year, imdbId: film.imdbId, tmdbId: film.tmdbId },
    });
  }
  return {
    items,
    idsFile: null,
    catalog: { dir: selection.dataDir, films: films.length, fromOutput, loadErrors },
  };
}

/** The path of `file` relative to `dir` with "/" separators, as the loader names sources; null when outside it. */
function nameInside(dir: string, file: string): string | null {
  const name = relative(resolve(dir), resolve(file));
  if (name === "" || name.startsWith("..") || resolve(name) === name) return null;
  return sep === "/" ? name : name.split(sep).join("/");
}

// ─── One film ───────────────────────────────────────────────────────────────────────────────────────────────────

class FilmWork {
  constructor(
    private readonly client: TmdbClient,
    private readonly settings: { region: string; language: string; source: string },
  ) {}

  run(item: WorkItem): Promise<Outcome> {
    return item.kind === "id"
      ? this.details(item.tmdbId, { tmdbId: item.tmdbId, reason: "" }, null)
      : this.enrich(item.film);
  }

  private async enrich(film: CatalogFilm): Promise<Outcome> {
    const listed: ListedFilm = { catalogId: film.id, title: film.title, year: film.year, reason: "" };
    // Known already (a TMDb record of the catalog, or this import's previous output merged with the film): no lookup,
    // and a re-run asks again exactly what the first run asked.
    if (film.tmdbId !== null) return this.details(film.tmdbId, listed, film, "tmdb");
    if (film.imdbId !== null) {
      const found = await this.client.get(`/find/${film.imdbId}`, { external_source: "imdb_id" }, findSchema);
      if (!found.ok && !found.notFound) return { kind: "failed", listed: { ...listed, reason: found.reason } };
      const results = found.ok ? found.data.movie_results : [];
      if (results.length === 1) return this.details(results[0]!.id, listed, film, "imdb");
      if (results.length > 1) {
        return {
          kind: "ambiguous",
          listed: {
            ...listed,
            reason: `IMDb id ${film.imdbId} leads to several TMDb films`,
            candidates: results.map(candidate),
          },
        };
      }
      // TMDb does not know the IMDb id: the title and year may still find the film, under the same strict rule.
    }
    if (film.year === null) {
      return { kind: "unmatched", listed: { ...listed, reason: "no IMDb id and no year to check a title match" } };
    }
    const searched = await this.client.get(
      "/search/movie",
      {
        query: film.title,
        year: String(film.year),
        include_adult: "false",
        language: this.settings.language,
        page: "1",
      },
      searchMovieSchema,
    );
    if (!searched.ok) return { kind: "failed", listed: { ...listed, reason: searched.reason } };
    const match = matchSearchResults({ title: film.title, year: film.year }, searched.data.results);
    if (match.kind === "unmatched") return { kind: "unmatched", listed: { ...listed, reason: match.reason } };
    if (match.kind === "ambiguous") {
      return {
        kind: "ambiguous",
        listed: {
          ...listed,
          reason: `${match.candidates.length} TMDb films fit equally well`,
          candidates: match.candidates.map(candidate),
        },
      };
    }
    return this.details(match.result.id, listed, film, "title");
  }

  private async details(
    tmdbId: number,
    listed: ListedFilm,
    film: CatalogFilm | null,
    matchedBy: MatchedBy | null = null,
  ): Promise<Outcome> {
    const withId: ListedFilm = { ...listed, tmdbId };
    const answer = await this.client.get(
      `/movie/${tmdbId}`,
      { append_to_response: APPEND_TO_RESPONSE, language: this.settings.language },
      movieDetailsSchema,
    );
    if (!answer.ok)
      return { kind: answer.notFound ? "notFound" : "failed", listed: { ...withId, reason: answer.reason } };
    const record = toRecord(answer.data, {
      region: this.settings.region,
      source: this.settings.source,
      catalogFilm: film === null ? undefined : { id: film.id, title: film.title, year: film.year },
    });
    if (typeof record === "string") return { kind: "failed", listed: { ...withId, reason: record } };
    return {
      kind: "record",
      tmdbId,
      line: JSON.stringify(record),
      matchedBy,
      listed: { ...withId, title: withId.title ?? record.title, year: withId.year ?? record.year, reason: "" },
    };
  }
}

function candidate(result: MovieResult): { tmdbId: number; title: string; year: number | null } {
  return { tmdbId: result.id, title: result.title || result.original_title, year: releaseYear(result) };
}

// ─── Output ─────────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * Outcomes arrive in any order and are taken in input order: each is handed to `take` (which counts it and returns
 * the line to write, or null) once every earlier one has been. A worker may run at most ORDER_WINDOW items ahead of
 * the first unfinished one.
 */
class OrderedWriter {
  private readonly pending = new Map<number, Outcome>();
  private nextIndex = 0;
  private waiting: (() => void)[] = [];
  private failure: unknown = null;

  constructor(
    private readonly stream: NodeJS.WritableStream,
    private readonly take: (outcome: Outcome) => string | null,
  ) {
    stream.on("error", (error) => {
      this.failure = error;
    });
  }

  async waitForRoom(index: number, signal: AbortSignal): Promise<void> {
    while (index >= this.nextIndex + ORDER_WINDOW && !signal.aborted) {
      await new Promise<void>((wake) => {
        this.waiting.push(wake);
        signal.addEventListener("abort", () => wake(), { once: true });
      });
    }
  }

  async put(index: number, outcome: Outcome): Promise<void> {
    this.pending.set(index, outcome);
    let blocked = false;
    while (this.pending.has(this.nextIndex)) {
      const ready = this.pending.get(this.nextIndex)!;
      this.pending.delete(this.nextIndex);
      this.nextIndex++;
      const line = this.take(ready);
      if (this.failure !== null) throw this.failure;
      // Each line goes to the stream whole and in order here; only the wait for it to drain is shared.
      if (line !== null && !this.stream.write(`${line}\n`)) blocked = true;
    }
    const waiting = this.waiting;
    this.waiting = [];
    for (const wake of waiting) wake();
    if (blocked) await once(this.stream, "drain");
    if (this.failure !== null) throw this.failure;
  }
}

async function openCache(dir: string): Promise<ResponseCache> {
  try {
    return await ResponseCache.open(dir);
  } catch (error) {
    throw new TmdbImportError(`cannot use the cache folder ${dir}: ${firstLine(error)}`);
  }
}

/** The report as JSON, for tools and for reading the full lists; written whole or not at all. */
async function writeReport(path: string, report: TmdbImportReport): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
    const temporary = `${path}.${process.pid}.tmp`;
    await writeFile(temporary, `${JSON.stringify(report, null, 2)}\n`);
    await rename(temporary, path);
  } catch (error) {
    throw new TmdbImportError(`cannot write the report ${path}: ${firstLine(error)}`);
  }
}
