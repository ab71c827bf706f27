/**
 * The `catalog` command line: `npm run catalog -- <command> [arguments]`.
 *
 *   check [DIR] [--json]                                   parse a data folder, report every problem per file
 *   search [QUERY] [--data DIR] [--year N] [--limit N] [--json]   what /movie answers (stdin: one query a line)
 *   show QUERY|ID [--data DIR] [--json]                    one film record, every field
 *   import vega [--from FILE] [--out FILE]                 vega-datasets' movies.json → JSON Lines (import-vega.ts)
 *   import imdb --from DIR [--out FILE] […]                IMDb's TSV datasets → JSON Lines (import-imdb.ts)
 *   import tmdb (--ids FILE | --enrich [DIR]) […]          TMDb's API → JSON Lines (import-tmdb.ts)
 *   card QUERY|ID [--data DIR] [--view V] [--page N] [--region CC] [--no-color]   the film card /movie would post
 *
 * A small dispatcher over a table of subcommands (SUBCOMMANDS below): a new command is one entry pointing at a
 * function `(args, io) => Promise<exitCode>` in its own module. Exit codes: 0 success, 1 a problem with the data or
 * nothing found, 2 a usage error (bad flag, bad number, unknown command). Every error is one line on stderr.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { StringDecoder } from "node:string_decoder";
import { Catalog, type FilmResolution, type SearchOptions } from "../catalog/catalog.js";
import { isConvincingMatch, isConvincingPerson } from "../catalog/search/match-rules.js";
import type { Film } from "../catalog/film.js";
import { loadDataDir, type LoadResult, tallyProblems } from "../catalog/load.js";
import { filmDetails } from "../catalog/pages/page-film.js";
import { yearLabel } from "../cards/film-text.js";
import { CARD_USAGE, runCardCommand } from "./card.js";
import { findFilm, openCatalog } from "./open-catalog.js";
import { IMPORT_IMDB_USAGE, runImportImdb } from "./import-imdb.js";
import { IMPORT_TMDB_USAGE, runImportTmdb } from "./import-tmdb.js";
import { IMPORT_VEGA_USAGE, runImportVega } from "./import-vega.js";
import {
  type CliIo,
  dataDirOf,
  DEFAULT_DATA_DIR,
  EXIT_OK,
  EXIT_PROBLEM,
  EXIT_USAGE,
  isEntryPoint,
  parseCommandLine,
  UsageError,
} from "./io.js";
import { firstLine } from "../errors.js";
import { formatDuration, plural } from "../format.js";

export interface Subcommand {
  /** One line for the overview in `catalog --help`. */
  summary: string;
  /** "catalog check [DIR] [--json]". */
  usage: string;
  /** `args` are the words after the command name; returns the exit code. */
  run: (args: string[], io: CliIo) => Promise<number>;
  /** The command answers --help itself (import hands it on to the source's importer, which knows the options). */
  handlesHelp?: boolean;
}

const MAX_LIMIT = 1000;

// ─── Subcommands ────────────────────────────────────────────────────────────────────────────────────────────────

export const SUBCOMMANDS: Readonly<Record<string, Subcommand>> = {
  check: {
    summary: "parse a data folder and report every problem per file",
    usage: "catalog check [DIR] [--json]",
    run: runCheck,
  },
  search: {
    summary: "show what /movie would match (no QUERY: one query per line on stdin)",
    usage: "catalog search [QUERY] [--data DIR] [--year N] [--limit N] [--json]",
    run: runSearch,
  },
  show: {
    summary: "print one film record, by id or best title match",
    usage: "catalog show QUERY|ID [--data DIR] [--json]",
    run: runShow,
  },
  import: {
    summary: "convert another source into a JSON Lines catalog file (sources: vega, imdb, tmdb)",
    usage: "catalog import vega|imdb|tmdb [options]",
    run: runImport,
    handlesHelp: true,
  },
  card: {
    summary: "print the film card /movie would post, by id or best title match",
    usage: CARD_USAGE,
    run: runCard,
  },
  // ── More subcommands go here: one entry each, the code in its own module. ──
};

// ─── Dispatcher ─────────────────────────────────────────────────────────────────────────────────────────────────

export async function runCatalogCli(argv: readonly string[], io: CliIo): Promise<number> {
  const commandIo = io;
  const [name, ...args] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    commandIo.stdout(overview());
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  const command = Object.hasOwn(SUBCOMMANDS, name) ? SUBCOMMANDS[name] : undefined;
  if (!command) {
    commandIo.stderr(
      `catalog: unknown command "${name}" (commands: ${Object.keys(SUBCOMMANDS).join(", ")}; see catalog --help)\n`,
    );
    return EXIT_USAGE;
  }
  if (command.handlesHelp !== true && (args.includes("--help") || args.includes("-h"))) {
    commandIo.stdout(`usage: ${command.usage}\n\n${command.summary}\n`);
    return EXIT_OK;
  }
  try {
    return await command.run(args, commandIo);
  } catch (error) {
    const usage = error instanceof UsageError;
    commandIo.stderr(`catalog ${name}: ${firstLine(error)}${usage ? ` (usage: ${command.usage})` : ""}\n`);
    return usage ? EXIT_USAGE : EXIT_PROBLEM;
  }
}

function overview(): string {
  const width = Math.max(...Object.keys(SUBCOMMANDS).map((name) => name.length));
  const lines = Object.entries(SUBCOMMANDS).map(([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`);
  const usages = Object.values(SUBCOMMANDS).map((command) => `  ${command.usage}`);
  return [
    "usage: npm run catalog -- <command> [arguments]",
    "",
    "commands:",
    ...lines,
    "",
    ...usages,
    "",
    `DIR defaults to $DATA_DIR, else "${DEFAULT_DATA_DIR}". Exit codes: 0 ok, 1 data problem or nothing found, 2 usage error.`,
    "`catalog <command> --help` shows one command's usage.",
    "",
  ].join("\n");
}

// ─── check ──────────────────────────────────────────────────────────────────────────────────────────────────────

async function runCheck(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine(args, { json: { type: "boolean", default: false } });
  if (positionals.length > 1) throw new UsageError(`expected one folder, got ${positionals.length} arguments`);
  const dir = positionals[0] ?? dataDirOf(io);
  const result = await loadDataDir(dir);
  if (values.json) writeCheckJson(result, io);
  else io.stdout(checkSummary(dir, result));
  return result.errors.length > 0 ? EXIT_PROBLEM : EXIT_OK;
}

/** `{"films": [...], "errors": [...], "warnings": [...], "merges": [...]}`, written film by film: a 100,000-film
 *  catalog is one string too many for JSON.stringify. */
function writeCheckJson(result: LoadResult, io: CliIo): void {
  writeJsonArray(io, '{"films": [', result.films.map(filmDetails));
  writeJsonArray(io, '"errors": [', result.errors);
  writeJsonArray(io, '"warnings": [', result.warnings ?? []);
  writeJsonArray(io, '"merges": [', result.merges, "]}\n");
}

function writeJsonArray(io: CliIo, opening: string, items: readonly unknown[], closing = "],\n"): void {
  io.stdout(items.length === 0 ? opening : `${opening}\n`);
  items.forEach((item, index) => io.stdout(`${JSON.stringify(item)}${index < items.length - 1 ? ",\n" : "\n"}`));
  io.stdout(closing);
}

function checkSummary(dir: string, result: LoadResult): string {
  const warnings = result.warnings ?? [];
  const lines = [
    `${dir}: ${plural(result.filesRead, "data file")} read in ${formatDuration(result.durationMs, 2)}: ` +
      `${plural(result.films.length, "film")} loaded, ${plural(result.merges.length, "merge")}, ${tallyProblems(result.errors, "error")}` +
      (warnings.length > 0 ? `, ${tallyProblems(warnings, "warning")}` : ""),
  ];
  if (result.filesRead === 0) lines.push("(no .txt, .json or .jsonl files found)");
  for (const merge of result.merges) {
    lines.push(
      `merged: ${merge.id} "${merge.title}"${merge.year === null ? "" : ` (${merge.year})`} from ${merge.files.join(", ")}`,
    );
  }
  for (const error of result.errors) lines.push(`${error.file}: ${error.message}`);
  // Warnings do not change the exit code: the films are loaded, and the author may want the cut anyway.
  for (const warning of warnings) lines.push(`warning: ${warning.file}: ${warning.message}`);
  return `${lines.join("\n")}\n`;
}

/**
 * "9 errors in 6 files": problems and the files they are in, counted apart, as a JSON Lines file can have many bad
 * lines; the entry standing for those not listed counts as many as it stands for.
 */
// ─── search ─────────────────────────────────────────────────────────────────────────────────────────────────────

interface SearchLine {
  query: string;
  /** What /movie answers: the card (`answer`), a pick menu (`ask`), or "no film matches" (`none`). */
  verdict: FilmResolution["verdict"];
  /** The film /movie posts, when the verdict is `answer`. */
  answer: string | null;
  /** The films of the pick menu, when the verdict is `ask`. */
  menu: string[];
  /** A year typed in the text that the title's films lack (/movie then asks). */
  missingYear: number | null;
  results: { id: string; title: string; year: number | null; score: number }[];
  /** People the query names, as /movie points to /person: empty unless the query reads as a name. */
  people: { name: string; score: number; films: number }[];
}

const PEOPLE_LISTED = 5;

async function runSearch(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine(args, {
    data: { type: "string" },
    year: { type: "string" },
    limit: { type: "string" },
    json: { type: "boolean", default: false },
  });
  const options = {
    year: values.year === undefined ? undefined : parseYearFlag(values.year),
    limit: values.limit === undefined ? undefined : parseLimitFlag(values.limit),
  };
  const query = positionals.join(" ").trim();
  const catalog = await openCatalog(values.data ?? dataDirOf(io), io);
  if (positionals.length === 0) return searchBatch(catalog, options, io);
  if (query === "") throw new UsageError("the query is empty");
  const line = searchLine(catalog, query, options);
  io.stdout(values.json ? `${JSON.stringify(line)}\n` : searchReport(line, options.year));
  return line.verdict === "none" && line.people.length === 0 ? EXIT_PROBLEM : EXIT_OK;
}

/** One JSON line per query line on stdin; the catalog is loaded once for all of them. */
async function searchBatch(catalog: Catalog, options: SearchOptions, io: CliIo): Promise<number> {
  if (io.isTTY) io.stderr("reading queries from stdin, one per line (end with Ctrl-D)\n");
  for await (const line of linesOf(io.stdin ?? noInput())) {
    const query = line.trim();
    if (query === "") continue;
    io.stdout(`${JSON.stringify(searchLine(catalog, query, options))}\n`);
  }
  return EXIT_OK;
}

/** The bot's reading of a query: Catalog.resolve for films, and the people /movie would point to. */
function searchLine(catalog: Catalog, query: string, options: SearchOptions): SearchLine {
  const matches = catalog.search(query, options);
  const resolution = catalog.resolve(query, options);
  return {
    query,
    verdict: resolution.verdict,
    answer: resolution.verdict === "answer" ? resolution.film.id : null,
    menu: resolution.verdict === "ask" ? resolution.matches.map((match) => match.film.id) : [],
    missingYear: resolution.verdict === "ask" ? resolution.missingYear : null,
    results: matches.map(({ film, score }) => ({ id: film.id, title: film.title, year: film.year, score })),
    people: peopleNamed(catalog, query, matches[0]?.score ?? 0),
  };
}

/**
 * The people a query names: a convincing person match (surnames included, as /person takes them) that scores at
 * least as well as the best title, so "seven" stays a film and "kubrick" reads as a name.
 */
function peopleNamed(catalog: Catalog, query: string, bestTitle: number): SearchLine["people"] {
  const people = catalog.searchPeople(query, PEOPLE_LISTED);
  const best = people[0];
  if (best === undefined || best.score < bestTitle || !isConvincingPerson(best.score, people[1]?.score)) return [];
  return people
    .filter((person, index) => index === 0 || isConvincingMatch(person.score))
    .map(({ name, score, filmCount }) => ({ name, score, films: filmCount }));
}

function searchReport(line: SearchLine, year: number | undefined): string {
  const asked = `"${line.query}"${year === undefined ? "" : ` in ${year}`}`;
  const parts: string[] = [];
  let listed = line.results;
  if (line.verdict === "answer") {
    const film = line.results.find((result) => result.id === line.answer);
    parts.push(
      `/movie posts the card of ${film === undefined ? line.answer : `${film.title} ${yearLabel(film.year)}`}.\n`,
    );
  } else if (line.verdict === "ask") {
    const menu = new Set(line.menu);
    listed = line.results.filter((result) => menu.has(result.id));
    parts.push(
      line.missingYear === null
        ? `/movie asks which film ${asked} means, from these:\n`
        : `No film matches "${line.query}" in ${line.missingYear}; /movie asks if it is one of these:\n`,
    );
  } else {
    parts.push(`No films match ${asked}.\n`);
    if (listed.length > 0) parts.push("Closest titles:\n");
  }
  if (listed.length > 0) {
    const rows = listed.map((result, index) => [
      String(index + 1),
      result.score.toFixed(3),
      result.year === null ? "" : String(result.year),
      result.title,
      result.id,
    ]);
    parts.push(table(["#", "score", "year", "title", "id"], rows));
  }
  if (line.people.length > 0) {
    const rows = line.people.map((person, index) => [
      String(index + 1),
      person.score.toFixed(3),
      String(person.films),
      person.name,
    ]);
    parts.push(`\nPeople (/person):\n${table(["#", "score", "films", "name"], rows)}`);
  }
  return parts.join("");
}

/** Columns padded to their widest cell; the last column is not padded. */
function table(header: string[], rows: string[][]): string {
  const all = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...all.map((row) => (row[column] ?? "").length)));
  const format = (row: string[]): string =>
    row
      .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join("  ")
      .trimEnd();
  return `${all.map(format).join("\n")}\n`;
}

function parseYearFlag(text: string): number {
  if (!/^\d{4}$/.test(text.trim())) throw new UsageError(`--year must be a year like 2015, got "${text}"`);
  return Number(text);
}

function parseLimitFlag(text: string): number {
  const limit = /^\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (!(limit >= 1 && limit <= MAX_LIMIT))
    throw new UsageError(`--limit must be a whole number from 1 to ${MAX_LIMIT}, got "${text}"`);
  return limit;
}

// ─── show ───────────────────────────────────────────────────────────────────────────────────────────────────────

async function runShow(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine(args, {
    data: { type: "string" },
    json: { type: "boolean", default: false },
  });
  const query = positionals.join(" ").trim();
  if (query === "") throw new UsageError("expected a film title or id");
  const film = await findFilm(query, values.data ?? dataDirOf(io), io);
  if (!film) {
    io.stderr(`No film matches "${query}".\n`);
    return EXIT_PROBLEM;
  }
  io.stdout(values.json ? `${JSON.stringify(film, null, 2)}\n` : describeFilm(film));
  return EXIT_OK;
}

/** Every field of the record, labelled; "—" where the record has nothing. */
export function describeFilm(film: Film): string {
  const none = "—";
  const list = (items: readonly string[]): string => (items.length > 0 ? items.join(", ") : none);
  const text = (value: string | number | null): string => (value === null || value === "" ? none : String(value));
  const rating = film.rating
    ? `${film.rating.score}/${film.rating.outOf}${film.rating.votes === null ? "" : ` (${film.rating.votes.toLocaleString("en")} votes)`}`
    : none;
  const fields: [string, string][] = [
    ["Id", film.id],
    ["Title", film.title],
    ["Year", text(film.year)],
    ["Release date", text(film.releaseDate)],
    ["Rating", rating],
    ["Critic score", film.criticScore === null ? none : `${film.criticScore}/100`],
    ["Runtime", film.runtimeMinutes === null ? none : `${film.runtimeMinutes} min`],
    ["Genres", list(film.genres)],
    ["Directors", list(film.directors)],
    ["Stars", list(film.stars)],
    ["Countries", list(film.countries)],
    ["Languages", list(film.languages)],
    ["Filming locations", text(film.filmingLocations)],
    ["Website", text(film.website)],
    ["Tagline", text(film.tagline)],
    ["Certification", text(film.certification)],
    [
      "By region",
      list(Object.entries(film.certifications).map(([region, certification]) => `${region} ${certification}`)),
    ],
    ["Adult", film.adult ? "yes" : "no"],
    ["Alternate titles", list(film.alternateTitles)],
    ["Keywords", list(film.keywords)],
    ["IMDb id", text(film.imdbId)],
    ["TMDb id", text(film.tmdbId)],
    ["Poster", text(film.poster)],
    ["Trailer", text(film.trailer)],
    ["Source", film.source],
  ];
  const width = Math.max(...fields.map(([label]) => label.length)) + 1;
  const out = [`${film.title}${film.year === null ? "" : ` (${film.year})`}`, ""];
  for (const [label, value] of fields) out.push(`${`${label}:`.padEnd(width)} ${value}`);
  out.push("", "Logline:", indent(text(film.logline)), "", "Synopsis:", indent(text(film.synopsis)));
  out.push("", `Cast (${film.cast.length}):`);
  out.push(
    ...(film.cast.length > 0
      ? film.cast.map((member) => `  ${member.name}${member.role === null ? "" : ` — ${member.role}`}`)
      : [`  ${none}`]),
  );
  const specs = Object.entries(film.technicalSpecs);
  out.push(
    "",
    "Technical specs:",
    ...(specs.length > 0 ? specs.map(([key, value]) => `  ${key}: ${value}`) : [`  ${none}`]),
  );
  const regions = Object.entries(film.watchProviders);
  out.push("", "Watch providers:");
  if (regions.length === 0) out.push(`  ${none}`);
  for (const [region, offers] of regions) {
    out.push(`  ${region}: ${text(offers.link)}`);
    out.push(
      `    Streaming: ${list(offers.streaming)}`,
      `    Rent: ${list(offers.rent)}`,
      `    Buy: ${list(offers.buy)}`,
    );
  }
  out.push(
    "",
    `Trivia (${film.trivia.length}):`,
    ...(film.trivia.length > 0 ? film.trivia.map((item) => indent(item, "  - ")) : [`  ${none}`]),
  );
  out.push("", "Review:", indent(text(film.review)), "");
  return out.join("\n");
}

function indent(text: string, first = "  "): string {
  return text
    .split("\n")
    .map((line, index) => (index === 0 ? first : " ".repeat(first.length)) + line)
    .join("\n")
    .replace(/[ \t]+$/gm, "");
}

// ─── import ─────────────────────────────────────────────────────────────────────────────────────────────────────

/** Each source's importer parses its own options and prints its own summary and errors. */
const IMPORT_SOURCES: Readonly<Record<string, Subcommand["run"]>> = {
  vega: runImportVega,
  imdb: runImportImdb,
  tmdb: runImportTmdb,
};

async function runImport(args: string[], io: CliIo): Promise<number> {
  const [source, ...rest] = args;
  if (source === "--help" || source === "-h") {
    io.stdout(importHelp());
    return EXIT_OK;
  }
  const importer = source !== undefined && Object.hasOwn(IMPORT_SOURCES, source) ? IMPORT_SOURCES[source] : undefined;
  if (importer === undefined) {
    const sources = Object.keys(IMPORT_SOURCES).join(" or ");
    throw new UsageError(
      source === undefined ? `expected a source: ${sources}` : `unknown source "${source}", expected ${sources}`,
    );
  }
  return importer(rest, io);
}

function importHelp(): string {
  const command = SUBCOMMANDS.import!;
  return [
    `usage: ${command.usage}`,
    "",
    command.summary,
    "",
    IMPORT_VEGA_USAGE,
    IMPORT_IMDB_USAGE,
    IMPORT_TMDB_USAGE,
    "",
    "`catalog import SOURCE --help` describes a source's options.",
    "",
  ].join("\n");
}

// ─── card ───────────────────────────────────────────────────────────────────────────────────────────────────────

function runCard(args: string[], io: CliIo): Promise<number> {
  return runCardCommand(args, io);
}

// ─── Shared ─────────────────────────────────────────────────────────────────────────────────────────────────────

async function* noInput(): AsyncGenerator<string> {}

/** The lines of a byte or text stream, decoded as UTF-8 across chunk boundaries; "\r\n" counts as one break. */
export async function* linesOf(chunks: AsyncIterable<string | Uint8Array>): AsyncGenerator<string> {
  const decoder = new StringDecoder("utf8");
  let pending = "";
  for await (const chunk of chunks) {
    pending +=
      typeof chunk === "string" ? chunk : decoder.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    let newline = pending.indexOf("\n");
    while (newline !== -1) {
      yield pending.slice(0, newline).replace(/\r$/, "");
      pending = pending.slice(newline + 1);
      newline = pending.indexOf("\n");
    }
  }
  pending += decoder.end();
  if (pending !== "") yield pending.replace(/\r$/, "");
}

// ─── Entry point ────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * The IMDb import's live memory stays near 600 MB at IMDb's size, but V8 collects lazily below its default heap limit
 * (a share of the machine's memory), and garbage took the process to 1.1 GB. With a heap ceiling it stays near
 * 600 MB, and is faster. So the import runs in a child with one, unless a ceiling was already given.
 */
const IMPORT_HEAP_MB = 768;

function wantsHeapCeiling(args: readonly string[]): boolean {
  const given = [...process.execArgv, process.env.NODE_OPTIONS ?? ""].some((flag) =>
    flag.includes("max-old-space-size"),
  );
  return args[0] === "import" && args[1] === "imdb" && !args.includes("--help") && !given;
}

async function runWithHeapCeiling(args: readonly string[]): Promise<number> {
  const child = spawn(
    process.execPath,
    [...process.execArgv, `--max-old-space-size=${IMPORT_HEAP_MB}`, process.argv[1]!, ...args],
    { stdio: "inherit" },
  );
  const [code, signal] = (await once(child, "exit")) as [number | null, NodeJS.Signals | null];
  if (code === 0) return EXIT_OK;
  if (signal !== null || code === 134) {
    process.stderr.write(
      `import imdb: stopped (${signal ?? `exit ${code}`}); if it ran out of its ${IMPORT_HEAP_MB} MB heap, give it ` +
        "more: NODE_OPTIONS=--max-old-space-size=1536 npm run catalog -- import imdb …\n",
    );
  }
  return code ?? EXIT_PROBLEM;
}

if (isEntryPoint(import.meta.url)) {
  // `catalog search … | head` closes the pipe early; that is the reader's choice, not an error.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
  const args = process.argv.slice(2);
  process.exitCode = wantsHeapCeiling(args)
    ? await runWithHeapCeiling(args)
    : await runCatalogCli(args, {
        stdout: (text) => process.stdout.write(text),
        stderr: (text) => process.stderr.write(text),
        stdin: process.stdin,
        isTTY: process.stderr.isTTY === true,
        stdoutIsTTY: process.stdout.isTTY === true,
        env: process.env,
      });
}
