/**
 * `catalog import vega [--from FILE] [--out FILE]`: converts vega-datasets' movies.json (the copy inside the
 * installed dev dependency by default) into a JSON Lines catalog file, and says what it dropped and repaired.
 * `args` are the words after `import vega`.
 *
 * Re-runnable: the same input always gives a byte-identical file (one record per line, fields in the order of the
 * Film contract, rows in the source's order), so regenerating the shipped catalog shows up in a diff only when the
 * source or the converter changed.
 */
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { emptyPlainFilm, type PlainFilm } from "../catalog/film.js";
import { describeFsError, firstLine } from "../errors.js";
import { formatCount, plural } from "../format.js";
import { openOutputFile } from "../importers/output-file.js";
import { convertVegaMovies, vegaMoviesPath, type VegaImportReport } from "../importers/vega.js";
import { type CliIo, parseCommandLine, UsageError } from "./io.js";

export const IMPORT_VEGA_USAGE = "usage: catalog import vega [--from FILE] [--out FILE]";
export const DEFAULT_VEGA_OUT = "data/vega-movies.jsonl";
/** The summary lists every dropped row (the source has one or two) but only the first repairs (it has dozens). */
export const REPAIRS_SHOWN = 10;

const HELP = `${IMPORT_VEGA_USAGE}

Converts vega-datasets' movies.json (3,201 films, BSD-3-Clause) into one film record per line, repairing
mis-decoded titles ("AmÈlie" → "Amélie"), years read as 20xx ("2046" → 1946), catalogue-style titles
("Secret, The" → "The Secret") and years repeated in titles ("King Kong (1933)"), and dropping rows without a
title and repeated title + year rows.

  --from FILE   the movies.json to read (default: the one in the installed vega-datasets package)
  --out FILE    the JSON Lines file to write, replaced whole (default ${DEFAULT_VEGA_OUT})
`;

const OPTIONS = {
  from: { type: "string" },
  out: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/**
 * The fields every record is written with, in contract order (film.ts): those of a plain film. vega-datasets has
 * none of the rich fields (IMDb and TMDb ids, poster, …), and the loader reads a missing field as empty.
 */
const FILM_FIELDS = Object.keys(emptyPlainFilm("", "")) as (keyof PlainFilm)[];

/** A source or destination that cannot be used; one line, exit code 1. */
class VegaImportError extends Error {}

interface VegaImportOptions {
  from: string;
  out: string;
}

/** 0 on success, 1 when the import fails, 2 for a bad command line. */
export async function runImportVega(args: string[], io: CliIo): Promise<number> {
  let options: VegaImportOptions | "help";
  try {
    options = readCommandLine(args);
  } catch (error) {
    if (!(error instanceof UsageError || error instanceof VegaImportError)) throw error;
    io.stderr(`import vega: ${firstLine(error)}${error instanceof UsageError ? ` (${IMPORT_VEGA_USAGE})` : ""}\n`);
    return error instanceof UsageError ? 2 : 1;
  }
  if (options === "help") {
    io.stdout(HELP);
    return 0;
  }
  try {
    const report = convertVegaMovies(await readMoviesJson(options.from));
    await writeFileAtomically(options.out, filmsAsJsonLines(report.films, basename(options.out)));
    io.stdout(formatVegaSummary(report, options).join("\n") + "\n");
    return 0;
  } catch (error) {
    if (!(error instanceof VegaImportError)) throw error;
    io.stderr(`import vega: ${error.message}\n`);
    return 1;
  }
}

function readCommandLine(args: string[]): VegaImportOptions | "help" {
  const { values } = parseCommandLine(args, OPTIONS, false);
  if (values.help === true) return "help";
  if (values.from === "") throw new UsageError("--from needs a file");
  if (values.out === "") throw new UsageError("--out needs a file");
  return { from: values.from ?? defaultMoviesPath(), out: values.out ?? DEFAULT_VEGA_OUT };
}

/** The installed package's movies.json; without the dev dependency (a production install) --from is the way. */
function defaultMoviesPath(): string {
  try {
    return vegaMoviesPath();
  } catch {
    throw new VegaImportError("the vega-datasets package is not installed (npm install), or pass --from FILE");
  }
}

async function readMoviesJson(path: string): Promise<unknown[]> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new VegaImportError(`cannot read ${path}: ${describeFsError(error)}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text) as unknown;
  } catch (error) {
    throw new VegaImportError(`${path} is not valid JSON: ${firstLine(error)}`);
  }
  // Checked here rather than left to the converter, whose error would be indistinguishable from a bug.
  if (!Array.isArray(data)) throw new VegaImportError(`${path}: expected an array of films, got ${describeJson(data)}`);
  return data;
}

/**
 * One record per line, fields in contract order. `source` is the output file's name, the convention of every
 * importer (the loader sets it to the file's name anyway, so the file says what the catalog will show).
 */
export function filmsAsJsonLines(films: readonly PlainFilm[], source: string): string {
  return (
    films.map((film) => JSON.stringify(inContractOrder({ ...film, source }))).join("\n") +
    (films.length > 0 ? "\n" : "")
  );
}

function inContractOrder(film: PlainFilm): Record<keyof PlainFilm, PlainFilm[keyof PlainFilm]> {
  return Object.fromEntries(FILM_FIELDS.map((field) => [field, film[field]])) as Record<
    keyof PlainFilm,
    PlainFilm[keyof PlainFilm]
  >;
}

/**
 * Written beside the destination, then renamed over it: the bot reloading the data folder mid-import sees the old
 * file or the new one, never half of one. The temporary name ends in ".tmp", which the loader does not read.
 */
async function writeFileAtomically(out: string, text: string): Promise<void> {
  const output = await openOutputFile(out, (message) => new VegaImportError(message));
  try {
    output.stream.write(text);
    await output.commit();
  } catch (error) {
    await output.abandon();
    throw new VegaImportError(`cannot write ${out}: ${describeFsError(error)}`);
  }
}

/** The report as lines for a person: the total, every dropped row, then the repairs (the first few of them). */
export function formatVegaSummary(report: VegaImportReport, where: VegaImportOptions): string[] {
  const rows = report.films.length + report.dropped.length;
  const lines = [
    `Imported ${formatCount(report.films.length)} films from ${where.from} (${formatCount(rows)} rows) into ${where.out}`,
  ];
  lines.push(report.dropped.length === 0 ? "Dropped no rows" : `Dropped ${plural(report.dropped.length, "row")}:`);
  for (const drop of report.dropped) lines.push(`  ${rowLabel(drop.row, drop.title)}: ${drop.reason}`);
  lines.push(...repairLines(report.repaired));
  return lines;
}

function repairLines(repaired: VegaImportReport["repaired"]): string[] {
  if (repaired.length === 0) return ["Repaired no rows"];
  // A row can need two repairs (a tidied title and a shifted year): rows and repairs are counted apart.
  const rows = new Set(repaired.map((repair) => repair.row)).size;
  const shown = repaired.slice(0, REPAIRS_SHOWN);
  const lines = [
    `Repaired ${plural(rows, "row")} (${plural(repaired.length, "repair")})${repaired.length > shown.length ? `, the first ${shown.length}` : ""}:`,
  ];
  for (const repair of shown) lines.push(`  ${rowLabel(repair.row, repair.title)}: ${repair.repair}`);
  if (repaired.length > shown.length) lines.push(`  … and ${formatCount(repaired.length - shown.length)} more`);
  return lines;
}

/** `[3053] "null"`: the row's index in the movies.json array, to find it in the source. */
function rowLabel(row: number, title: string): string {
  return `[${row}] ${JSON.stringify(title)}`;
}

function describeJson(value: unknown): string {
  if (value === null) return "null";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}
