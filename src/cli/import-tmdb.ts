/**
 * `catalog import tmdb (--ids FILE | --enrich [DIR]) [options]`: the command-line face of importTmdb. `args` are the
 * words after `import tmdb`. Credentials come from the environment (TMDB_API_TOKEN or TMDB_API_KEY, TMDB_API_URL);
 * neither is ever printed. Ctrl-C stops the import, keeping the films written so far; a second Ctrl-C quits at once.
 */
import { firstLine } from "../errors.js";
import { formatCount, formatDuration, plural } from "../format.js";
import { progressFor } from "../importers/progress.js";
import type { TmdbCredentials } from "../importers/tmdb-client.js";
import {
  DEFAULT_CACHE_DIR,
  DEFAULT_CONCURRENCY,
  DEFAULT_LANGUAGE,
  DEFAULT_MAX_AGE_MS,
  DEFAULT_OUT,
  DEFAULT_REGION,
  DEFAULT_REPORT,
  DEFAULT_TMDB_API_URL,
  importTmdb,
  TmdbAuthError,
  TmdbImportError,
  type ListedFilm,
  type TmdbImportOptions,
  type TmdbImportReport,
  type TmdbSelection,
} from "../importers/tmdb.js";
import { type CliIo, parseCommandLine, parseRegionFlag, UsageError } from "./io.js";

export interface TmdbCliIo extends CliIo {
  /** Stops the import (keeping what is written) when aborted; by default the process's SIGINT does. */
  signal?: AbortSignal;
  /** Time and pacing, for tests and the benchmark: the clock, sleep, rate, workers, backoff. */
  tuning?: Pick<TmdbImportOptions, "now" | "sleep" | "requestsPerSecond" | "concurrency" | "backoffMs" | "fetch">;
}

export const IMPORT_TMDB_USAGE =
  "usage: catalog import tmdb (--ids FILE [--min-popularity N] [--include-adult] | --enrich [DIR]) [--out FILE] " +
  "[--region CC] [--language xx-XX] [--cache DIR] [--max-age AGE] [--report FILE]";

const DEFAULT_DATA_DIR = "data";
const DAY_MS = 24 * 60 * 60 * 1000;
/** How many films of each list the summary names; the report file has them all. */
const LISTED_IN_SUMMARY = 10;

const HELP = `${IMPORT_TMDB_USAGE}

Fetches films from TMDb's API (one request per film, with credits, release dates, videos, alternative titles,
external ids, keywords and watch providers appended) and writes one film record per line.

What to import (one of):
  --ids FILE            TMDb movie ids, one per line, or TMDb's daily id export (movie_ids_MM_DD_YYYY.json.gz,
                        gzipped or not)
  --min-popularity N    with --ids: leave out export lines less popular than N (plain ids are kept)
  --include-adult       with --ids: keep export lines marked adult (left out by default)
  --enrich [DIR]        every film of the catalog in DIR (default $DATA_DIR, else ${DEFAULT_DATA_DIR}): by its TMDb id
                        when it has one, else matched by IMDb id, else by title and year; unmatched and ambiguous
                        films are listed, never guessed

Options:
  --out FILE            the JSON Lines file to write (default ${DEFAULT_OUT})
  --region CC           ISO 3166-1 country for certification, alternative titles and watch providers
                        (default ${DEFAULT_REGION})
  --language xx-XX      the language of titles, overviews and taglines (default ${DEFAULT_LANGUAGE})
  --cache DIR           where TMDb's answers are kept, so a re-run asks only for what is new or too old
                        (default ${DEFAULT_CACHE_DIR})
  --max-age AGE         answers older than this are fetched again: 30d, 12h, 45m, 90s (default 30d)
  --report FILE         the full lists of unmatched, ambiguous, not found and failed films, as JSON
                        (default ${DEFAULT_REPORT})

Environment:
  TMDB_API_TOKEN        a v4 API read access token (sent as a Bearer token), or
  TMDB_API_KEY          a v3 API key (sent as the api_key query parameter)
  TMDB_API_URL          the API's base URL (default ${DEFAULT_TMDB_API_URL})

Ctrl-C stops and keeps the films written so far; running the same command again resumes from the cache.
This product uses the TMDB API but is not endorsed or certified by TMDB. Watch providers: JustWatch. See docs/tmdb.md.
`;

const OPTIONS = {
  ids: { type: "string" },
  "min-popularity": { type: "string" },
  "include-adult": { type: "boolean" },
  enrich: { type: "string" },
  out: { type: "string" },
  region: { type: "string" },
  language: { type: "string" },
  cache: { type: "string" },
  "max-age": { type: "string" },
  report: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

type ParsedOptions = Omit<TmdbImportOptions, "credentials" | "baseUrl" | "progress" | "signal">;

/** 0 on success, 1 when the import fails or is interrupted, 2 for a bad command line or missing credentials. */
export async function runImportTmdb(args: string[], io: TmdbCliIo): Promise<number> {
  const env = io.env ?? process.env;
  let options: ParsedOptions;
  try {
    const parsed = readCommandLine(args, env);
    if (parsed === "help") {
      io.stdout(HELP);
      return 0;
    }
    options = parsed;
  } catch (error) {
    io.stderr(`import tmdb: ${firstLine(error)} (${IMPORT_TMDB_USAGE})\n`);
    return 2;
  }
  const credentials = credentialsFrom(env);
  if (credentials === null) {
    io.stderr(
      "import tmdb: no TMDb credentials: set TMDB_API_TOKEN (v4 read access token) or TMDB_API_KEY (v3 API key); see docs/tmdb.md\n",
    );
    return 2;
  }
  const baseUrl = env.TMDB_API_URL?.trim() || DEFAULT_TMDB_API_URL;
  if (!/^https?:\/\/[^\s/]+/.test(baseUrl)) {
    io.stderr(`import tmdb: TMDB_API_URL must be an http(s) URL, got "${baseUrl.slice(0, 80)}"\n`);
    return 2;
  }
  const secret = "token" in credentials ? credentials.token : credentials.apiKey;
  const redacted = (text: string) => text.split(secret).join("***");

  const { signal, release } =
    io.signal === undefined ? interruptOnSigint(io) : { signal: io.signal, release: () => {} };
  try {
    const report = await importTmdb({
      ...options,
      ...io.tuning,
      credentials,
      baseUrl,
      signal,
      progress: progressFor(io, { unit: "films", everyRows: 100 }),
    });
    io.stdout(redacted(formatTmdbSummary(report).join("\n")) + "\n");
    return report.interrupted ? 1 : 0;
  } catch (error) {
    if (error instanceof TmdbAuthError) {
      io.stderr(`${redacted(`TMDb rejected the token: ${error.message}`)}\n`);
      return 1;
    }
    if (!(error instanceof TmdbImportError)) throw error;
    io.stderr(`import tmdb: ${redacted(error.message)}\n`);
    return 1;
  } finally {
    release();
  }
}

function readCommandLine(args: string[], env: Readonly<Record<string, string | undefined>>): ParsedOptions | "help" {
  const { values } = parseCommandLine(withOptionalEnrichValue(args), OPTIONS, false);
  if (values.help === true) return "help";
  if (values.ids !== undefined && values.enrich !== undefined) throw new UsageError("use --ids or --enrich, not both");
  let selection: TmdbSelection;
  if (values.ids !== undefined) {
    if (values.ids === "") throw new UsageError("--ids needs a file");
    selection = {
      kind: "ids",
      file: values.ids,
      minPopularity: values["min-popularity"] === undefined ? undefined : parseMinPopularity(values["min-popularity"]),
      includeAdult: values["include-adult"] === true,
    };
  } else if (values.enrich !== undefined) {
    if (values["min-popularity"] !== undefined || values["include-adult"] === true) {
      throw new UsageError("--min-popularity and --include-adult go with --ids");
    }
    selection = { kind: "enrich", dataDir: values.enrich === "" ? dataDirOf(env) : values.enrich };
  } else {
    throw new UsageError("say what to import: --ids FILE or --enrich [DIR]");
  }
  return {
    selection,
    out: nonEmpty(values.out, "--out") ?? DEFAULT_OUT,
    region: values.region === undefined ? DEFAULT_REGION : parseRegionFlag(values.region),
    language: values.language === undefined ? DEFAULT_LANGUAGE : parseLanguage(values.language),
    cacheDir: nonEmpty(values.cache, "--cache") ?? DEFAULT_CACHE_DIR,
    maxAgeMs: values["max-age"] === undefined ? DEFAULT_MAX_AGE_MS : parseMaxAge(values["max-age"]),
    reportPath: nonEmpty(values.report, "--report") ?? DEFAULT_REPORT,
    concurrency: DEFAULT_CONCURRENCY,
  };
}

/** `--enrich` takes an optional folder: alone or before another flag, it means the default data folder. */
function withOptionalEnrichValue(args: string[]): string[] {
  return args.map((arg, index) => {
    const next = args[index + 1];
    return arg === "--enrich" && (next === undefined || next.startsWith("-")) ? "--enrich=" : arg;
  });
}

function nonEmpty(value: string | undefined, flag: string): string | undefined {
  if (value === "") throw new UsageError(`${flag} needs a value`);
  return value;
}

function parseMinPopularity(text: string): number {
  if (!/^\d+(?:\.\d+)?$/.test(text)) throw new UsageError(`--min-popularity must be a number, got "${text}"`);
  return Number(text);
}

function parseLanguage(text: string): string {
  if (!/^[a-z]{2}(?:-[A-Z]{2})?$/.test(text)) {
    throw new UsageError(`--language must be a language code like en-US, got "${text}"`);
  }
  return text;
}

const AGE_UNITS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: DAY_MS };

/** "30d", "12h", "45m", "90s"; a bare number is days. */
export function parseMaxAge(text: string): number {
  const match = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(text.trim());
  if (!match) throw new UsageError(`--max-age must be an age like 30d, 12h, 45m or 90s, got "${text}"`);
  return Number(match[1]) * AGE_UNITS[match[2] || "d"]!;
}

function dataDirOf(env: Readonly<Record<string, string | undefined>>): string {
  const fromEnv = env.DATA_DIR?.trim();
  return fromEnv ? fromEnv : DEFAULT_DATA_DIR;
}

/** The token when both are set: it is the credential TMDb recommends. */
function credentialsFrom(env: Readonly<Record<string, string | undefined>>): TmdbCredentials | null {
  const token = env.TMDB_API_TOKEN?.trim();
  if (token) return { token };
  const apiKey = env.TMDB_API_KEY?.trim();
  return apiKey ? { apiKey } : null;
}

/**
 * A Ctrl-C reaches this process more than once (from the terminal, and relayed by tsx and npm), so only a second one
 * a moment after the first quits at once.
 */
const REPEAT_SIGINT_MS = 1000;

function interruptOnSigint(io: CliIo): { signal: AbortSignal; release: () => void } {
  const controller = new AbortController();
  let firstAt = 0;
  const onSigint = () => {
    if (controller.signal.aborted) {
      if (performance.now() - firstAt > REPEAT_SIGINT_MS) process.exit(130);
      return;
    }
    firstAt = performance.now();
    // On a terminal the progress bar would draw over a line written now; the summary says it was interrupted.
    if (!io.isTTY) io.stderr("import tmdb: stopping after the films under way; Ctrl-C again to quit at once\n");
    controller.abort();
  };
  process.on("SIGINT", onSigint);
  return { signal: controller.signal, release: () => process.off("SIGINT", onSigint) };
}

// ─── Summary ────────────────────────────────────────────────────────────────────────────────────────────────────

/** The report as lines for a person: one line of totals, then the films not written, then where the full lists are. */
export function formatTmdbSummary(report: TmdbImportReport): string[] {
  const films = plural(report.written, "film");
  const head = report.interrupted
    ? `Interrupted: wrote ${films} of ${formatCount(report.total)} to ${report.out}`
    : `Wrote ${films} to ${report.out}`;
  const counts: string[] = [];
  if (report.matched !== null) {
    const { byTmdbId, byImdbId, byTitleAndYear } = report.matched;
    // Only a catalog that holds TMDb records already (a re-run, mostly) has films matched by TMDb id.
    const byTmdb = byTmdbId > 0 ? `${formatCount(byTmdbId)} by TMDb id, ` : "";
    counts.push(
      `${formatCount(byTmdbId + byImdbId + byTitleAndYear)} matched (${byTmdb}${formatCount(byImdbId)} by IMDb id, ${formatCount(byTitleAndYear)} by title and year)`,
      `${formatCount(report.unmatched.length)} unmatched`,
      `${formatCount(report.ambiguous.length)} ambiguous`,
    );
  }
  counts.push(`${formatCount(report.failed.length)} failed`, `${formatCount(report.notFound.length)} not found`);
  if (report.duplicates.length > 0) counts.push(`${formatCount(report.duplicates.length)} duplicates`);
  const of = report.matched !== null ? `of ${formatCount(report.total)} catalog films: ` : "";
  const requests =
    plural(report.requests.requests, "request") +
    ` (${formatCount(report.requests.retried)} retried), ${formatCount(report.requests.fromCache)} from the cache`;
  const lines = [`${head} in ${formatDuration(report.elapsedMs)}; ${of}${counts.join(", ")}; ${requests}`];

  if (report.idsFile !== null) {
    const file = report.idsFile;
    const left = [
      file.belowPopularity > 0 ? `${formatCount(file.belowPopularity)} below --min-popularity` : "",
      file.adult > 0 ? `${formatCount(file.adult)} adult` : "",
      file.duplicates > 0 ? `${formatCount(file.duplicates)} repeated` : "",
      file.malformed > 0 ? `${formatCount(file.malformed)} malformed` : "",
    ].filter((part) => part !== "");
    lines.push(
      `  ids file: ${formatCount(file.lines)} lines, ${formatCount(report.total)} ids${left.length > 0 ? ` (left out: ${left.join(", ")})` : ""}`,
    );
    for (const sample of file.malformedSamples) lines.push(`      line ${sample.line}: ${sample.reason}`);
  }
  if (report.catalog !== null) {
    const { dir, films: catalogFilms, fromOutput, loadErrors } = report.catalog;
    const notes = [
      fromOutput > 0 ? `${formatCount(fromOutput)} only in ${report.out}, left out` : "",
      loadErrors > 0 ? `${formatCount(loadErrors)} loading problems (see: catalog check ${dir})` : "",
    ].filter((part) => part !== "");
    lines.push(
      `  catalog ${dir}: ${formatCount(catalogFilms)} films${notes.length > 0 ? ` (${notes.join("; ")})` : ""}`,
    );
  }
  const sections: [string, ListedFilm[]][] = [
    ["unmatched", report.unmatched],
    ["ambiguous", report.ambiguous],
    ["not found", report.notFound],
    ["failed", report.failed],
    ["duplicates", report.duplicates],
  ];
  for (const [label, listed] of sections) {
    if (listed.length === 0) continue;
    lines.push(`  ${label} (${formatCount(listed.length)}):`);
    for (const film of listed.slice(0, LISTED_IN_SUMMARY)) lines.push(`    ${describeListed(film)}`);
    if (listed.length > LISTED_IN_SUMMARY)
      lines.push(`    … and ${formatCount(listed.length - LISTED_IN_SUMMARY)} more`);
  }
  if (report.requests.cacheWriteErrors > 0) {
    lines.push(`  ${formatCount(report.requests.cacheWriteErrors)} answers could not be cached in ${report.cacheDir}`);
  }
  const listedCount = sections.reduce((sum, [, listed]) => sum + listed.length, 0);
  if (report.reportPath !== null && listedCount > 0) lines.push(`  full lists: ${report.reportPath}`);
  if (report.interrupted) lines.push("  run the same command again to go on: the answers so far are cached");
  return lines;
}

/** `"Heat" (1995), TMDb 949: HTTP 503, gave up after 5 attempts`. */
function describeListed(film: ListedFilm): string {
  const parts: string[] = [];
  if (film.title !== undefined) parts.push(`"${film.title}"${film.year == null ? "" : ` (${film.year})`}`);
  if (film.tmdbId !== undefined) parts.push(`TMDb ${film.tmdbId}`);
  let text = `${parts.join(", ")}: ${film.reason}`;
  if (film.candidates !== undefined && film.candidates.length > 0) {
    text += ` (${film.candidates
      .slice(0, 5)
      .map((c) => `TMDb ${c.tmdbId} "${c.title}"${c.year === null ? "" : ` ${c.year}`}`)
      .join(", ")})`;
  }
  return text;
}
