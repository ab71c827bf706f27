/**
 * `catalog import imdb --from DIR [--min-votes N] [--types movie,tvMovie] [--aka-regions US,GB] [--out FILE]
 * [--include-adult]`: the command-line face of importImdb. `args` are the words after `import imdb`.
 */
import {
  DEFAULT_AKA_REGIONS,
  DEFAULT_MIN_VOTES,
  DEFAULT_OUT,
  DEFAULT_TYPES,
  IMDB_TITLE_TYPES,
  ImdbImportError,
  MAX_ALTERNATE_TITLES,
  importImdb,
  type ImdbImportOptions,
  type ImdbImportReport,
} from "../importers/imdb.js";
import { firstLine } from "../errors.js";
import { formatBytes, formatCount, formatDuration } from "../format.js";
import { progressFor } from "../importers/progress.js";
import { type CliIo, parseCommandLine, UsageError } from "./io.js";
import { TsvError } from "../importers/tsv.js";

export const IMPORT_IMDB_USAGE =
  "usage: catalog import imdb --from DIR [--min-votes N] [--types movie,tvMovie] [--aka-regions US,GB] [--out FILE] " +
  "[--include-adult]";

const HELP = `${IMPORT_IMDB_USAGE}

Reads IMDb's non-commercial datasets (title.basics, title.ratings, title.crew, title.principals, name.basics, and
title.akas for alternate titles when it is there; each NAME.tsv or NAME.tsv.gz in DIR) and writes one film record
per line.

  --from DIR         the folder with the dataset files (required)
  --min-votes N      leave out titles with fewer votes; 0 also keeps unrated titles (default ${DEFAULT_MIN_VOTES})
  --types LIST       comma-separated title types to import (default ${DEFAULT_TYPES.join(",")});
                     one of ${IMDB_TITLE_TYPES.join(", ")}
  --aka-regions LIST comma-separated regions whose titles in title.akas become alternate titles, after the
                     original title (default ${DEFAULT_AKA_REGIONS.join(",")}; empty: the original title only; at most ${MAX_ALTERNATE_TITLES} a film)
  --out FILE         the JSON Lines file to write (default ${DEFAULT_OUT})
  --include-adult    import adult titles too (left out by default)
`;

const OPTIONS = {
  from: { type: "string" },
  "min-votes": { type: "string" },
  types: { type: "string" },
  "aka-regions": { type: "string" },
  out: { type: "string" },
  "include-adult": { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/** 0 on success, 1 when the import fails, 2 for a bad command line. */
export async function runImportImdb(args: string[], io: CliIo): Promise<number> {
  let options: Omit<ImdbImportOptions, "progress">;
  try {
    const parsed = readCommandLine(args);
    if (parsed === "help") {
      io.stdout(HELP);
      return 0;
    }
    options = parsed;
  } catch (error) {
    io.stderr(`import imdb: ${firstLine(error)} (${IMPORT_IMDB_USAGE})\n`);
    return 2;
  }
  try {
    const report = await importImdb({
      ...options,
      progress: progressFor(io),
    });
    io.stdout(formatImportSummary(report).join("\n") + "\n");
    return 0;
  } catch (error) {
    if (!(error instanceof ImdbImportError || error instanceof TsvError || isSystemError(error))) throw error;
    io.stderr(`import imdb: ${firstLine(error)}\n`);
    return 1;
  }
}

function readCommandLine(args: string[]): Omit<ImdbImportOptions, "progress"> | "help" {
  const { values } = parseCommandLine(args, OPTIONS, false);
  if (values.help === true) return "help";
  if (values.from === undefined || values.from === "") throw new UsageError("--from DIR is required");
  return {
    fromDir: values.from,
    minVotes: values["min-votes"] === undefined ? DEFAULT_MIN_VOTES : parseMinVotes(values["min-votes"]),
    types: values.types === undefined ? DEFAULT_TYPES : parseTypes(values.types),
    akaRegions: values["aka-regions"] === undefined ? DEFAULT_AKA_REGIONS : parseRegions(values["aka-regions"]),
    includeAdult: values["include-adult"] === true,
    out: values.out ?? DEFAULT_OUT,
  };
}

function parseMinVotes(text: string): number {
  if (!/^\d{1,9}$/.test(text)) throw new UsageError(`--min-votes must be a whole number, got "${text}"`);
  return Number(text);
}

/** A typo in a type would silently import nothing, so only IMDb's own type names are accepted. */
function parseTypes(text: string): string[] {
  const types = text
    .split(",")
    .map((type) => type.trim())
    .filter((type) => type !== "");
  if (types.length === 0) throw new UsageError("--types needs at least one title type");
  const unknown = types.filter((type) => !IMDB_TITLE_TYPES.includes(type));
  if (unknown.length > 0) {
    throw new UsageError(
      `unknown title type${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")} (known: ${IMDB_TITLE_TYPES.join(", ")})`,
    );
  }
  return types;
}

/** IMDb's region codes: ISO 3166 letters ("US"), and a few of its own ("XWW" for worldwide, "SUHH"). */
const REGION_CODE = /^[A-Za-z]{2,4}$/;

/** Taken in either case and kept in IMDb's upper case; an empty list asks for the original titles only. */
function parseRegions(text: string): string[] {
  const regions = text
    .split(",")
    .map((region) => region.trim())
    .filter((region) => region !== "");
  const bad = regions.filter((region) => !REGION_CODE.test(region));
  if (bad.length > 0) {
    const quoted = bad.map((region) => `"${region}"`).join(", ");
    throw new UsageError(`--aka-regions takes region codes like US,GB, got ${quoted}`);
  }
  return [...new Set(regions.map((region) => region.toUpperCase()))];
}

/** The report as lines for a person: totals, then one line per file, then anything left out, then alternate titles. */
export function formatImportSummary(report: ImdbImportReport): string[] {
  const where = report.out === null ? "" : ` into ${report.out}`;
  const lines = [
    `Imported ${formatCount(report.films)} films${where} in ${formatDuration(report.elapsedMs)} (peak memory ${formatBytes(report.peakRssBytes)})`,
  ];
  const nameWidth = Math.max(...report.files.map((file) => file.dataset.length));
  const rowsWidth = Math.max(...report.files.map((file) => formatCount(file.rows).length));
  for (const file of report.files) {
    const rate = file.elapsedMs > 0 ? Math.round((file.rows / file.elapsedMs) * 1000) : 0;
    const malformed = file.malformed === 0 ? "" : `, ${formatCount(file.malformed)} malformed`;
    lines.push(
      `  ${file.dataset.padEnd(nameWidth)}  ${formatCount(file.rows).padStart(rowsWidth)} rows${malformed} in ${formatDuration(file.elapsedMs)} (${formatCount(rate)} rows/s)`,
    );
    for (const sample of file.malformedSamples) lines.push(`      line ${sample.line}: ${sample.reason}`);
    if (file.malformed > file.malformedSamples.length) {
      lines.push(`      … and ${formatCount(file.malformed - file.malformedSamples.length)} more`);
    }
  }
  if (report.unresolvedPeople > 0) {
    const people =
      report.unresolvedPeople === 1
        ? "1 credited person is"
        : `${formatCount(report.unresolvedPeople)} credited people are`;
    lines.push(`  ${people} not in name.basics (credits left out)`);
  }
  if (report.idCollisions > 0) {
    const films = report.idCollisions === 1 ? "1 film shares" : `${formatCount(report.idCollisions)} films share`;
    lines.push(`  ${films} title and year with a more-voted film (IMDb id added to the id)`);
  }
  lines.push(alternateTitlesLine(report.alternateTitles));
  return lines;
}

function alternateTitlesLine(akas: ImdbImportReport["alternateTitles"]): string {
  if (akas === null) return "  no title.akas.tsv(.gz) in the folder: alternate titles not imported";
  const titles = akas.count === 1 ? "1 alternate title" : `${formatCount(akas.count)} alternate titles`;
  const regions = akas.regions.length === 0 ? "" : ` and ${akas.regions.join(", ")}`;
  return `  ${titles} (original${regions} titles)`;
}

function isSystemError(error: unknown): boolean {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === "string";
}
