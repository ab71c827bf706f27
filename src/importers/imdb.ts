/**
 * Imports films from IMDb's non-commercial datasets (https://developer.imdb.com/non-commercial-datasets/) into
 * JSON Lines film records.
 *
 * The files are big (title.principals alone is ~90 M rows), so they are streamed one after the other, in the order
 * that lets each one be filtered by what the previous ones kept:
 *   1. title.basics      → titles of the wanted types (adult titles dropped unless asked for);
 *   2. title.ratings     → their ratings; titles under --min-votes dropped;
 *   3. title.crew        → directors of the kept titles;
 *   4. title.principals  → cast (actor / actress / self) of the kept titles;
 *   5. name.basics       → names of only the people credited above;
 *   6. title.akas        → alternate titles of the kept titles, when the file is there (it is optional): only the
 *                          rows of kept titles that are an original title or in one of the wanted regions are kept.
 * Everything kept is held column by column in arrays of numbers, with IMDb ids parsed to integers, so a 300 k film
 * import stays well under 1 GB. Rows of unwanted titles and people are skipped on their raw bytes, before they are
 * decoded or split; such rows are counted as read but not checked, so malformed counts cover the rows used.
 *
 * Record conventions:
 *   - `source` is the output file's name ("imdb.jsonl"), as for any catalog file; the IMDb id ("tt0000001") is
 *     `imdbId`, and also `technicalSpecs["IMDb ID"]`, among the film's specs (the loader reads either).
 *   - Of the rich fields (film.ts) only `imdbId` and `alternateTitles` are written: IMDb's datasets have no others.
 *   - `alternateTitles` are the original title, then the titles of the wanted regions in the order asked, each in
 *     IMDb's ordering, distinct by normalizeText, none the same as `title`, at most MAX_ALTERNATE_TITLES. Without
 *     title.akas the field is left out, so an empty list always means that IMDb knows no other title.
 *   - `id` is filmId(title, year); when two films share it (remakes of the same year, same-titled films), the
 *     most-voted keeps it and the others get their IMDb id appended ("hamlet-1948-tt0040416").
 *   - `stars` are the first STAR_COUNT cast members by billing order; `cast` roles are the characters joined by " / ".
 */
import { once } from "node:events";
import { basename } from "node:path";
import {
  emptyPlainFilm,
  IMDB_ID_SPEC,
  MAX_FILM_YEAR,
  MIN_FILM_YEAR,
  type CastMember,
  type PlainFilm,
} from "../catalog/film.js";
import { filmId, normalizeText } from "../catalog/normalize.js";
import { grown } from "../catalog/typed-arrays.js";
import { openOutputFile, type OutputFile } from "./output-file.js";
import { silentProgress, type ProgressReporter } from "./progress.js";
import {
  detach,
  fieldEnd,
  fieldStart,
  openTsv,
  resolveTsvFile,
  TSV_NULL,
  type LinePrefilter,
  type MalformedRow,
  type TsvReader,
} from "./tsv.js";

export const DEFAULT_MIN_VOTES = 100;
export const DEFAULT_TYPES: readonly string[] = ["movie"];
export const DEFAULT_OUT = "data/imdb.jsonl";
/** Regions whose titles become alternate titles, besides the original title. */
export const DEFAULT_AKA_REGIONS: readonly string[] = ["US", "GB"];
/** A film's alternate titles are capped: a famous film has dozens of titles in its regions alone. */
export const MAX_ALTERNATE_TITLES = 10;
/** How many of the top-billed cast are the film's stars. */
export const STAR_COUNT = 3;

/** The title types IMDb uses in title.basics. */
export const IMDB_TITLE_TYPES: readonly string[] = [
  "movie",
  "short",
  "tvMovie",
  "tvSeries",
  "tvMiniSeries",
  "tvEpisode",
  "tvShort",
  "tvSpecial",
  "tvPilot",
  "video",
  "videoGame",
];

/** The columns each file must have; other columns are ignored. */
const REQUIRED_COLUMNS = {
  "title.basics": ["tconst", "titleType", "primaryTitle", "isAdult", "startYear", "runtimeMinutes", "genres"],
  "title.ratings": ["tconst", "averageRating", "numVotes"],
  "title.crew": ["tconst", "directors"],
  "title.principals": ["tconst", "ordering", "nconst", "category", "characters"],
  "name.basics": ["nconst", "primaryName"],
  "title.akas": ["titleId", "ordering", "title", "region", "isOriginalTitle"],
} as const;

export type ImdbDataset = keyof typeof REQUIRED_COLUMNS;
type ColumnOf<D extends ImdbDataset> = (typeof REQUIRED_COLUMNS)[D][number];

/** The optional file: without it, films have no alternate titles. */
export const AKAS_DATASET = "title.akas";
type RequiredDataset = Exclude<ImdbDataset, typeof AKAS_DATASET>;

/** The files an import needs, in the order they are read (title.akas, when there, is read last). */
export const IMDB_DATASETS: readonly RequiredDataset[] = [
  "title.basics",
  "title.ratings",
  "title.crew",
  "title.principals",
  "name.basics",
];

/**
 * The runtimes the catalog's record validation accepts (records.ts). IMDb has runtimes of 0 and of several days
 * (art installations); those are imported as unknown rather than making the catalog reject the whole record.
 */
const MIN_RUNTIME = 1;
const MAX_RUNTIME = 2000;

/** The principals categories that make someone part of the cast. */
const CAST_CATEGORIES: ReadonlySet<string> = new Set(["actor", "actress", "self"]);

/** A written record: a plain film and the rich fields IMDb has. */
export type ImdbFilmRecord = PlainFilm & {
  /** "tt0000001". */
  imdbId: string;
  /** Only when title.akas was read. */
  alternateTitles?: string[];
  /** Only on adult titles (read with includeAdult), so that every other line stays as it was. */
  adult?: true;
};

export interface ImdbImportOptions {
  /**
   * The folder holding the five files and optionally title.akas, each as NAME.tsv or NAME.tsv.gz (plain wins when
   * both are there).
   */
  fromDir: string;
  /** Titles with fewer votes (or no rating, when above 0) are left out; DEFAULT_MIN_VOTES by default. */
  minVotes?: number;
  /** title.basics titleType values to keep; DEFAULT_TYPES by default. */
  types?: readonly string[];
  includeAdult?: boolean;
  /**
   * title.akas regions ("US", "XWW") whose titles become alternate titles, besides the original title, which is
   * always one; DEFAULT_AKA_REGIONS by default. Earlier regions come first.
   */
  akaRegions?: readonly string[];
  /**
   * A file path, written through a temporary file beside it and renamed when complete (so a failed import never
   * leaves half a catalog), or a stream, which is written to but not ended.
   */
  out: string | NodeJS.WritableStream;
  /** The records' `source`; the output file's name by default, "imdb.jsonl" when writing to a stream. */
  source?: string;
  progress?: ProgressReporter;
}

export interface ImdbFileReport {
  dataset: ImdbDataset;
  path: string;
  rows: number;
  malformed: number;
  /** The first few malformed rows with their line numbers. */
  malformedSamples: MalformedRow[];
  elapsedMs: number;
}

export interface ImdbImportReport {
  films: number;
  /** In reading order. */
  files: ImdbFileReport[];
  /** People credited on a kept film but missing from name.basics; their credits are left out. */
  unresolvedPeople: number;
  /** Films whose id was already taken by a more-voted film of the same title and year (IMDb id appended). */
  idCollisions: number;
  /** The alternate titles written and the regions asked for; null when there was no title.akas file. */
  alternateTitles: { count: number; regions: readonly string[] } | null;
  /** The output path, or null when writing to a stream. */
  out: string | null;
  elapsedMs: number;
  /** The process's peak resident set size so far. */
  peakRssBytes: number;
}

/** A missing file or a file that cannot be used: a clear, one-line message for the user. */
export class ImdbImportError extends Error {
  override name = "ImdbImportError";
}

export async function importImdb(options: ImdbImportOptions): Promise<ImdbImportReport> {
  const startedAt = performance.now();
  const paths = await resolveDatasetFiles(options.fromDir);
  await checkHeaders(paths);
  const progress = options.progress ?? silentProgress;
  const settings: ReadSettings = {
    types: new Set(options.types ?? DEFAULT_TYPES),
    includeAdult: options.includeAdult ?? false,
    minVotes: options.minVotes ?? DEFAULT_MIN_VOTES,
  };
  const akaRegions = [...new Set(options.akaRegions ?? DEFAULT_AKA_REGIONS)];
  const output = await openOutput(options.out);
  try {
    const state = new ImportState();
    const files: ImdbFileReport[] = [];
    const read = async <D extends ImdbDataset>(
      dataset: D,
      path: string,
      phase: (reader: TsvReader<ColumnOf<D>>) => Promise<void>,
    ) => {
      files.push(await readDataset(dataset, path, progress, phase));
    };
    await read("title.basics", paths["title.basics"], (reader) => readBasics(reader, state, settings));
    await read("title.ratings", paths["title.ratings"], (reader) => readRatings(reader, state));
    state.keepTitlesWithVotes(settings.minVotes);
    await read("title.crew", paths["title.crew"], (reader) => readCrew(reader, state));
    await read("title.principals", paths["title.principals"], (reader) => readPrincipals(reader, state));
    await read("name.basics", paths["name.basics"], (reader) => readNames(reader, state));
    const akasPath = paths[AKAS_DATASET];
    if (akasPath !== null) await read(AKAS_DATASET, akasPath, (reader) => readAkas(reader, state, akaRegions));

    const source = options.source ?? (typeof options.out === "string" ? basename(options.out) : basename(DEFAULT_OUT));
    const written = await writeFilms(state, source, output.stream, akasPath !== null);
    await output.commit();
    return {
      films: written.films,
      files,
      unresolvedPeople: state.people.size - state.names.size,
      idCollisions: written.idCollisions,
      alternateTitles: akasPath === null ? null : { count: written.alternateTitles, regions: akaRegions },
      out: typeof options.out === "string" ? options.out : null,
      elapsedMs: performance.now() - startedAt,
      peakRssBytes: peakRssBytes(),
    };
  } catch (error) {
    await output.abandon();
    throw error;
  }
}

/** The process's peak RSS in bytes (Linux and macOS report maxRSS in kilobytes). */
export function peakRssBytes(): number {
  return process.resourceUsage().maxRSS * 1024;
}

// ---------------------------------------------------------------------------------------------------------------
// Files

type DatasetPaths = Record<RequiredDataset, string> & Record<typeof AKAS_DATASET, string | null>;

/**
 * The five files, or one error naming every missing one: better than failing on the fourth after ten minutes. And
 * title.akas, or null when it is not there.
 */
async function resolveDatasetFiles(dir: string): Promise<DatasetPaths> {
  const paths: Partial<Record<RequiredDataset, string>> = {};
  const missing: string[] = [];
  for (const dataset of IMDB_DATASETS) {
    const path = await resolveTsvFile(dir, dataset);
    if (path === null) missing.push(`${dataset}.tsv(.gz)`);
    else paths[dataset] = path;
  }
  if (missing.length > 0)
    throw new ImdbImportError(`missing IMDb file${missing.length > 1 ? "s" : ""} in ${dir}: ${missing.join(", ")}`);
  return { ...(paths as Record<RequiredDataset, string>), [AKAS_DATASET]: await resolveTsvFile(dir, AKAS_DATASET) };
}

/** Reads just the header of every file, so a missing column fails the import before the long reads start. */
async function checkHeaders(paths: DatasetPaths): Promise<void> {
  for (const dataset of [...IMDB_DATASETS, AKAS_DATASET] as const) {
    const path = paths[dataset];
    if (path === null) continue;
    const reader = await openTsv(path, { required: REQUIRED_COLUMNS[dataset] });
    reader.close();
  }
}

async function readDataset<D extends ImdbDataset>(
  dataset: D,
  path: string,
  progress: ProgressReporter,
  phase: (reader: TsvReader<ColumnOf<D>>) => Promise<void>,
): Promise<ImdbFileReport> {
  const startedAt = performance.now();
  const reader = await openTsv<ColumnOf<D>>(path, {
    required: REQUIRED_COLUMNS[dataset],
    label: basename(path),
    progress,
  });
  try {
    await phase(reader);
  } finally {
    reader.close();
  }
  const { rows, malformed, malformedSamples } = reader.stats;
  return { dataset, path, rows, malformed, malformedSamples, elapsedMs: performance.now() - startedAt };
}

// ---------------------------------------------------------------------------------------------------------------
// What is kept between files

interface ReadSettings {
  types: ReadonlySet<string>;
  includeAdult: boolean;
  minVotes: number;
}

/** A number IMDb does not know (`\N`), or one out of the range the catalog accepts. */
const UNKNOWN = -1;
/** A field that should be a number and is not. */
const INVALID = -2;

/** Titles as parallel columns indexed by a row number, in file order. */
class TitleTable {
  readonly tconst: number[] = [];
  readonly title: string[] = [];
  readonly year: number[] = [];
  readonly runtime: number[] = [];
  readonly genres: (readonly string[])[] = [];
  /** IMDb's isAdult; such titles are read only with includeAdult. */
  readonly adult: boolean[] = [];
  /** averageRating × 10, so it is an exact small integer; UNKNOWN when unrated. */
  readonly ratingTenths: number[] = [];
  readonly votes: number[] = [];
  /** tconst → row. */
  readonly rowOf = new Map<number, number>();

  get count(): number {
    return this.tconst.length;
  }

  add(tconst: number, title: string, year: number, runtime: number, genres: readonly string[], adult: boolean): void {
    this.rowOf.set(tconst, this.count);
    this.tconst.push(tconst);
    this.title.push(title);
    this.year.push(year);
    this.runtime.push(runtime);
    this.genres.push(genres);
    this.adult.push(adult);
    this.ratingTenths.push(UNKNOWN);
    this.votes.push(UNKNOWN);
  }

  /** A table of only the rows `keep` accepts, in the same order. */
  filter(keep: (row: number) => boolean): TitleTable {
    const kept = new TitleTable();
    for (let row = 0; row < this.count; row++) {
      if (!keep(row)) continue;
      kept.add(
        this.tconst[row]!,
        this.title[row]!,
        this.year[row]!,
        this.runtime[row]!,
        this.genres[row]!,
        this.adult[row]!,
      );
      kept.ratingTenths[kept.count - 1] = this.ratingTenths[row]!;
      kept.votes[kept.count - 1] = this.votes[row]!;
    }
    return kept;
  }
}

/** Credits (directors or cast) of kept titles as parallel columns, one entry per credit. */
class CreditTable {
  readonly titleRow: number[] = [];
  readonly person: number[] = [];
  readonly ordering: number[] = [];
  readonly role: (string | null)[] = [];

  add(titleRow: number, person: number, ordering: number, role: string | null): void {
    this.titleRow.push(titleRow);
    this.person.push(person);
    this.ordering.push(ordering);
    this.role.push(role);
  }
}

/**
 * A set of non-negative integer ids as a bitmap: IMDb name ids are dense (nm0000001 … nm1xxxxxxx), so a couple of
 * megabytes hold any subset, where a Set of a million numbers would take tens.
 */
class IdBitmap {
  private bits = new Uint8Array(1 << 16);
  size = 0;

  add(id: number): void {
    const byte = id >>> 3;
    if (byte >= this.bits.length) this.grow(byte);
    const mask = 1 << (id & 7);
    const current = this.bits[byte]!;
    if ((current & mask) === 0) {
      this.bits[byte] = current | mask;
      this.size++;
    }
  }

  has(id: number): boolean {
    const byte = id >>> 3;
    return byte < this.bits.length && (this.bits[byte]! & (1 << (id & 7))) !== 0;
  }

  private grow(byte: number): void {
    let length = this.bits.length;
    while (length <= byte) length *= 2;
    const bits = new Uint8Array(length);
    bits.set(this.bits);
    this.bits = bits;
  }
}

/**
 * Alternate titles of kept titles, one entry per title.akas row kept, in typed arrays and with the titles as UTF-8
 * end to end in one buffer, outside the JS heap: as strings they would be a million small objects for every later
 * garbage collection to go through, and would add to the live size the collector lets the heap grow from.
 */
class AkaTable {
  count = 0;
  private titleRows = new Int32Array(1 << 12);
  /** Places an entry in its film's list: the original title first, then by region as asked, then by IMDb's ordering. */
  private orderings = new Float64Array(1 << 12);
  /** Entry i's title is bytes[ends[i - 1] … ends[i]), from 0 for the first entry. */
  private ends = new Int32Array(1 << 12);
  private bytes = Buffer.allocUnsafe(1 << 16);

  /** The entries' title rows and orderings, for indexCredits. */
  get entries(): OrderedEntries {
    return { titleRow: this.titleRows.subarray(0, this.count), ordering: this.orderings.subarray(0, this.count) };
  }

  add(titleRow: number, ordering: number, title: string): void {
    const entry = this.count;
    if (entry === this.titleRows.length) {
      this.titleRows = grown(this.titleRows, entry + 1);
      this.ends = grown(this.ends, entry + 1);
      const orderings = new Float64Array(this.titleRows.length);
      orderings.set(this.orderings);
      this.orderings = orderings;
    }
    const from = entry === 0 ? 0 : this.ends[entry - 1]!;
    // A UTF-16 code unit takes at most 3 bytes in UTF-8.
    if (from + title.length * 3 > this.bytes.length) {
      const bytes = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, from + title.length * 3));
      this.bytes.copy(bytes, 0, 0, from);
      this.bytes = bytes;
    }
    this.titleRows[entry] = titleRow;
    this.orderings[entry] = ordering;
    this.ends[entry] = from + this.bytes.write(title, from, "utf8");
    this.count++;
  }

  title(entry: number): string {
    return this.bytes.toString("utf8", entry === 0 ? 0 : this.ends[entry - 1]!, this.ends[entry]!);
  }
}

class ImportState {
  /** The titles of the wanted types; only those with enough votes once keepTitlesWithVotes has run. */
  titles = new TitleTable();
  readonly directors = new CreditTable();
  readonly cast = new CreditTable();
  readonly akas = new AkaTable();
  /** Everyone credited on a wanted title. */
  readonly people = new IdBitmap();
  readonly names = new Map<number, string>();
  /** Genre lists are few and repeat endlessly: one array per distinct "Comedy,Drama" spelling. */
  private readonly genreLists = new Map<string, readonly string[]>();

  genresOf(field: string): readonly string[] {
    let genres = this.genreLists.get(field);
    if (genres === undefined) {
      genres = field === TSV_NULL || field === "" ? [] : field.split(",").map((genre) => detach(genre));
      this.genreLists.set(detach(field), genres);
    }
    return genres;
  }

  /**
   * Settles which titles are imported (with minVotes 0, unrated titles are kept too), and lets the others go before
   * the big files are read.
   */
  keepTitlesWithVotes(minVotes: number): void {
    const { votes } = this.titles;
    this.titles = this.titles.filter((row) => votes[row]! >= minVotes || (minVotes <= 0 && votes[row] === UNKNOWN));
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The files

async function readBasics(
  reader: TsvReader<ColumnOf<"title.basics">>,
  state: ImportState,
  settings: ReadSettings,
): Promise<void> {
  const c = reader.columns;
  const { titles } = state;
  const visit = (fields: string[]) => {
    if (!settings.types.has(fields[c.titleType]!)) return undefined;
    const adult = fields[c.isAdult]!;
    if (adult !== "0" && adult !== "1") return `isAdult is "${adult}", expected 0 or 1`;
    if (adult === "1" && !settings.includeAdult) return undefined;
    const tconst = parseImdbId(fields[c.tconst]!, "tt");
    if (tconst < 0) return `bad tconst "${fields[c.tconst]}"`;
    if (titles.rowOf.has(tconst)) return `duplicate tconst "${fields[c.tconst]}"`;
    const title = fields[c.primaryTitle]!.trim();
    if (title === TSV_NULL || title === "") return "no primaryTitle";
    const year = parseOptionalCount(fields[c.startYear]!);
    if (year === INVALID) return `startYear "${fields[c.startYear]}" is not a year`;
    const runtime = parseOptionalCount(fields[c.runtimeMinutes]!);
    if (runtime === INVALID) return `runtimeMinutes "${fields[c.runtimeMinutes]}" is not a number`;

    const genres = state.genresOf(fields[c.genres]!);
    titles.add(
      tconst,
      detach(title),
      withinOrUnknown(year, MIN_FILM_YEAR, MAX_FILM_YEAR),
      withinOrUnknown(runtime, MIN_RUNTIME, MAX_RUNTIME),
      genres,
      adult === "1",
    );
    return undefined;
  };
  await reader.each(visit, { prefilter: valuePrefilter(c.titleType, settings.types) });
}

async function readRatings(reader: TsvReader<ColumnOf<"title.ratings">>, state: ImportState): Promise<void> {
  const c = reader.columns;
  const { titles } = state;
  await eachRowOfKeptTitle(reader, c.tconst, titles.rowOf, (fields, row) => {
    const votes = parseCount(fields[c.numVotes]!);
    if (votes < 0) return `numVotes "${fields[c.numVotes]}" is not a number`;
    const tenths = parseRatingTenths(fields[c.averageRating]!);
    if (tenths < 0) return `averageRating "${fields[c.averageRating]}" is not a rating out of 10`;
    titles.votes[row] = votes;
    titles.ratingTenths[row] = tenths;
    return undefined;
  });
}

async function readCrew(reader: TsvReader<ColumnOf<"title.crew">>, state: ImportState): Promise<void> {
  const c = reader.columns;
  const { directors, people } = state;
  await eachRowOfKeptTitle(reader, c.tconst, state.titles.rowOf, (fields, row) => {
    const field = fields[c.directors]!;
    if (field === TSV_NULL || field === "") return undefined;
    const ids = field.split(",").map((nconst) => parseImdbId(nconst, "nm"));
    if (ids.some((id) => id < 0)) return `bad directors "${field}"`;
    ids.forEach((person, position) => {
      directors.add(row, person, position, null);
      people.add(person);
    });
    return undefined;
  });
}

async function readPrincipals(reader: TsvReader<ColumnOf<"title.principals">>, state: ImportState): Promise<void> {
  const c = reader.columns;
  const { cast, people } = state;
  await eachRowOfKeptTitle(reader, c.tconst, state.titles.rowOf, (fields, row) => {
    if (!CAST_CATEGORIES.has(fields[c.category]!)) return undefined;
    const ordering = parseCount(fields[c.ordering]!);
    if (ordering < 0) return `ordering "${fields[c.ordering]}" is not a number`;
    const person = parseImdbId(fields[c.nconst]!, "nm");
    if (person < 0) return `bad nconst "${fields[c.nconst]}"`;
    const role = parseCharacters(fields[c.characters]!);
    if (role === undefined) return `characters ${fields[c.characters]} is not a JSON array of strings`;
    cast.add(row, person, ordering, role);
    people.add(person);
    return undefined;
  });
}

/**
 * Visits the rows of a file keyed by tconst that belong to a kept title, with that title's row: rows of other
 * titles, and rows `wanted` turns down, are skipped on their raw bytes, before any decoding; a malformed tconst is
 * reported.
 */
function eachRowOfKeptTitle<Column extends string>(
  reader: TsvReader<Column>,
  tconstColumn: number,
  rowOf: ReadonlyMap<number, number>,
  visit: (fields: string[], row: number) => string | undefined,
  wanted?: LinePrefilter,
): Promise<void> {
  const ofKeptTitle = idPrefilter(tconstColumn, "tt", (tconst) => rowOf.has(tconst));
  return reader.each(
    (fields) => {
      const tconst = parseImdbId(fields[tconstColumn]!, "tt");
      if (tconst < 0) return `bad tconst "${fields[tconstColumn]}"`;
      const row = rowOf.get(tconst);
      return row === undefined ? undefined : visit(fields, row);
    },
    {
      prefilter:
        wanted === undefined
          ? ofKeptTitle
          : (bytes, start, end) => ofKeptTitle(bytes, start, end) && wanted(bytes, start, end),
    },
  );
}

/** Orderings past this are read as this, so that a row's place in its film's list is one exact integer. */
const AKA_ORDERING_LIMIT = 1 << 20;

/**
 * Keeps the original titles and the titles of the wanted regions that differ from their film's title. Rows of
 * other regions are skipped on their raw bytes like those of other titles, and are not checked either.
 */
async function readAkas(
  reader: TsvReader<ColumnOf<"title.akas">>,
  state: ImportState,
  regions: readonly string[],
): Promise<void> {
  const c = reader.columns;
  const { titles, akas } = state;
  const rankOf = new Map(regions.map((region, index) => [region, index + 1]));
  const original = valuePrefilter(c.isOriginalTitle, ["1"]);
  const ofRegion = valuePrefilter(c.region, regions);
  // A title's rows follow one another in the file, so its normalized title is worked out once for all of them.
  let lastRow = -1;
  let primary = "";
  await eachRowOfKeptTitle(
    reader,
    c.titleId,
    titles.rowOf,
    (fields, row) => {
      const isOriginal = fields[c.isOriginalTitle]!;
      if (isOriginal !== "0" && isOriginal !== "1") return `isOriginalTitle is "${isOriginal}", expected 0 or 1`;
      const rank = isOriginal === "1" ? 0 : rankOf.get(fields[c.region]!);
      if (rank === undefined) return undefined;
      const ordering = parseCount(fields[c.ordering]!);
      if (ordering < 0) return `ordering "${fields[c.ordering]}" is not a number`;
      const title = fields[c.title]!.trim();
      if (title === TSV_NULL || title === "") return "no title";
      if (row !== lastRow) {
        lastRow = row;
        primary = normalizeText(titles.title[row]!);
      }
      if (normalizeText(title) === primary) return undefined;
      akas.add(row, rank * AKA_ORDERING_LIMIT + Math.min(ordering, AKA_ORDERING_LIMIT - 1), title);
      return undefined;
    },
    (bytes, start, end) => original(bytes, start, end) || ofRegion(bytes, start, end),
  );
}

async function readNames(reader: TsvReader<ColumnOf<"name.basics">>, state: ImportState): Promise<void> {
  const c = reader.columns;
  const { people, names } = state;
  await reader.each(
    (fields) => {
      const person = parseImdbId(fields[c.nconst]!, "nm");
      if (person < 0) return `bad nconst "${fields[c.nconst]}"`;
      if (!people.has(person)) return undefined;
      const name = fields[c.primaryName]!;
      if (name === TSV_NULL || name === "") return "no primaryName";
      names.set(person, detach(name));
      return undefined;
    },
    { prefilter: idPrefilter(c.nconst, "nm", (person) => people.has(person)) },
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Field parsing, allocation-free where it runs on every row

/**
 * "tt0000001" → 1, "nm12345678" → 12345678; -1 unless the text is the prefix and 1 to 9 digits. Nine digits keep
 * every id a small integer and the people bitmap bounded.
 */
export function parseImdbId(text: string, prefix: "tt" | "nm"): number {
  if (text.length < 3 || text.length > 11) return -1;
  if (text.charCodeAt(0) !== prefix.charCodeAt(0) || text.charCodeAt(1) !== prefix.charCodeAt(1)) return -1;
  let value = 0;
  for (let i = 2; i < text.length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/** A non-negative integer of up to 9 digits, or INVALID. */
function parseCount(text: string): number {
  if (text.length === 0 || text.length > 9) return INVALID;
  let value = 0;
  for (let i = 0; i < text.length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return INVALID;
    value = value * 10 + digit;
  }
  return value;
}

/** Like parseCount, with `\N` read as UNKNOWN. */
function parseOptionalCount(text: string): number {
  return text === TSV_NULL ? UNKNOWN : parseCount(text);
}

/** A number the catalog would reject as out of range is imported as unknown. */
function withinOrUnknown(value: number, min: number, max: number): number {
  return value >= min && value <= max ? value : UNKNOWN;
}

/** "7.3" → 73; INVALID unless a number from 0 to 10 with at most one decimal that matters. */
function parseRatingTenths(text: string): number {
  const score = text === "" ? Number.NaN : Number(text);
  if (!(score >= 0 && score <= 10)) return INVALID;
  return Math.round(score * 10);
}

/** `["Jess"]` → "Jess", `["A","B"]` → "A / B", `\N` or `[]` → null; undefined when not a JSON array of strings. */
export function parseCharacters(field: string): string | null | undefined {
  if (field === TSV_NULL) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(field);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || !parsed.every((item) => typeof item === "string")) return undefined;
  const characters = (parsed as string[]).map((name) => name.trim()).filter((name) => name !== "");
  return characters.length === 0 ? null : characters.join(" / ");
}

/** Like parseImdbId, on the UTF-8 bytes of a field. */
function parseImdbIdBytes(bytes: Buffer, start: number, end: number, prefix: "tt" | "nm"): number {
  const length = end - start;
  if (length < 3 || length > 11) return -1;
  if (bytes[start] !== prefix.charCodeAt(0) || bytes[start + 1] !== prefix.charCodeAt(1)) return -1;
  let value = 0;
  for (let i = start + 2; i < end; i++) {
    const digit = bytes[i]! - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * A prefilter that reads the id in one column straight from the raw bytes and lets through only the ids `accept`s,
 * so the rows of unwanted titles and people (the vast majority of title.principals and name.basics) are never
 * decoded. Rows whose id cannot be read go through, for the full check to report.
 */
function idPrefilter(column: number, prefix: "tt" | "nm", accept: (id: number) => boolean): LinePrefilter {
  return (bytes, start, end) => {
    const from = fieldStart(bytes, start, end, column);
    if (from < 0) return true;
    const id = parseImdbIdBytes(bytes, from, fieldEnd(bytes, from, end), prefix);
    return id < 0 || accept(id);
  };
}

/** A prefilter that lets through rows whose field in `column` is one of `values` (rows too short to tell, too). */
function valuePrefilter(column: number, values: Iterable<string>): LinePrefilter {
  const encoded = [...values].map((value) => Buffer.from(value, "utf8"));
  return (bytes, start, end) => {
    const from = fieldStart(bytes, start, end, column);
    if (from < 0) return true;
    const to = fieldEnd(bytes, from, end);
    return encoded.some((value) => value.length === to - from && bytes.compare(value, 0, value.length, from, to) === 0);
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Writing

/**
 * For each title row, the indexes of its credits (or alternate titles) sorted by ordering: those of row r are
 * `order[start[r]]` … `order[start[r + 1] - 1]`. Built once, after all are read, whatever the file order.
 */
interface CreditIndex {
  start: Int32Array;
  order: Int32Array;
}

/** Entries of a table of credits or alternate titles: the title row and ordering of each. */
interface OrderedEntries {
  readonly titleRow: ArrayLike<number>;
  readonly ordering: ArrayLike<number>;
}

function indexCredits(credits: OrderedEntries, rowCount: number): CreditIndex {
  const { titleRow, ordering } = credits;
  const start = new Int32Array(rowCount + 1);
  for (let entry = 0; entry < titleRow.length; entry++) start[titleRow[entry]! + 1]!++;
  for (let row = 0; row < rowCount; row++) start[row + 1] = start[row + 1]! + start[row]!;
  const next = start.slice(0, rowCount);
  const order = new Int32Array(titleRow.length);
  for (let entry = 0; entry < titleRow.length; entry++) order[next[titleRow[entry]!]!++] = entry;
  for (let row = 0; row < rowCount; row++) sortByOrdering(order, start[row]!, start[row + 1]!, ordering);
  return { start, order };
}

/** Insertion sort: a title has about ten credits or a few alternate titles, usually in order already. */
function sortByOrdering(order: Int32Array, from: number, to: number, ordering: ArrayLike<number>): void {
  for (let i = from + 1; i < to; i++) {
    const entry = order[i]!;
    const key = ordering[entry]!;
    let j = i - 1;
    while (j >= from && ordering[order[j]!]! > key) {
      order[j + 1] = order[j]!;
      j--;
    }
    order[j + 1] = entry;
  }
}

/** The ids by row: the most-voted film of a title and year gets the plain id, the others also carry their IMDb id. */
function assignIds(titles: TitleTable): { ids: string[]; collisions: number } {
  const owner = new Map<string, number>();
  const ids: string[] = [];
  for (let row = 0; row < titles.count; row++) {
    const id = filmId(titles.title[row]!, nullIfUnknown(titles.year[row]!));
    ids.push(id);
    const current = owner.get(id);
    if (current === undefined || titles.votes[row]! > titles.votes[current]!) owner.set(id, row);
  }
  let collisions = 0;
  ids.forEach((id, row) => {
    if (owner.get(id) === row) return;
    ids[row] = `${id}-${formatTconst(titles.tconst[row]!)}`;
    collisions++;
  });
  return { ids, collisions };
}

/** The indexes of what a record is built from, by title row. */
interface Indexes {
  directors: CreditIndex;
  cast: CreditIndex;
  /** Null when title.akas was not read. */
  akas: CreditIndex | null;
}

async function writeFilms(
  state: ImportState,
  source: string,
  out: NodeJS.WritableStream,
  withAkas: boolean,
): Promise<{ films: number; idCollisions: number; alternateTitles: number }> {
  const { titles } = state;
  const { ids, collisions } = assignIds(titles);
  const indexes: Indexes = {
    directors: indexCredits(state.directors, titles.count),
    cast: indexCredits(state.cast, titles.count),
    akas: withAkas ? indexCredits(state.akas.entries, titles.count) : null,
  };
  const sink = new LineSink(out);
  let films = 0;
  let alternateTitles = 0;
  try {
    for (let row = 0; row < titles.count; row++) {
      const film = buildFilm(state, row, ids[row]!, source, indexes);
      alternateTitles += film.alternateTitles?.length ?? 0;
      const line = JSON.stringify(film);
      if (!sink.hasRoomFor(line)) await sink.flush();
      sink.add(line);
      films++;
    }
    await sink.flush();
  } finally {
    sink.release();
  }
  return { films, idCollisions: collisions, alternateTitles };
}

function buildFilm(state: ImportState, row: number, id: string, source: string, indexes: Indexes): ImdbFilmRecord {
  const { titles } = state;
  const imdbId = formatTconst(titles.tconst[row]!);
  const film: ImdbFilmRecord = { ...emptyPlainFilm(titles.title[row]!, source), imdbId };
  film.id = id;
  film.year = nullIfUnknown(titles.year[row]!);
  const votes = titles.votes[row]!;
  film.rating = votes === UNKNOWN ? null : { score: titles.ratingTenths[row]! / 10, outOf: 10, votes };
  film.directors = directorNames(state, indexes.directors, row);
  film.cast = castMembers(state, indexes.cast, row);
  film.stars = starsOf(film.cast);
  film.genres = [...titles.genres[row]!];
  film.runtimeMinutes = nullIfUnknown(titles.runtime[row]!);
  if (titles.adult[row]!) film.adult = true;
  film.technicalSpecs = { [IMDB_ID_SPEC]: imdbId };
  if (indexes.akas !== null) film.alternateTitles = alternateTitlesOf(state, indexes.akas, row);
  return film;
}

/** Read already without the titles equal to the film's own; here the rest are made distinct and capped. */
function alternateTitlesOf(state: ImportState, index: CreditIndex, row: number): string[] {
  const from = index.start[row]!;
  const to = index.start[row + 1]!;
  if (from === to) return [];
  const seen = new Set([normalizeText(state.titles.title[row]!)]);
  const titles: string[] = [];
  for (let i = from; i < to && titles.length < MAX_ALTERNATE_TITLES; i++) {
    const title = state.akas.title(index.order[i]!);
    const normalized = normalizeText(title);
    if (seen.has(normalized)) continue;
    seen.add(normalized);
    titles.push(title);
  }
  return titles;
}

function directorNames(state: ImportState, index: CreditIndex, row: number): string[] {
  const names: string[] = [];
  for (let i = index.start[row]!; i < index.start[row + 1]!; i++) {
    const name = state.names.get(state.directors.person[index.order[i]!]!);
    if (name !== undefined && !names.includes(name)) names.push(name);
  }
  return names;
}

function castMembers(state: ImportState, index: CreditIndex, row: number): CastMember[] {
  const members: CastMember[] = [];
  for (let i = index.start[row]!; i < index.start[row + 1]!; i++) {
    const entry = index.order[i]!;
    const name = state.names.get(state.cast.person[entry]!);
    if (name !== undefined) members.push({ name, role: state.cast.role[entry]! });
  }
  return members;
}

/** The top-billed cast, each person once. */
function starsOf(cast: readonly CastMember[]): string[] {
  const stars: string[] = [];
  for (const member of cast) {
    if (stars.length === STAR_COUNT) break;
    if (!stars.includes(member.name)) stars.push(member.name);
  }
  return stars;
}

function nullIfUnknown(value: number): number | null {
  return value === UNKNOWN ? null : value;
}

/** IMDb's spelling: at least seven digits, zero-padded. */
export function formatTconst(tconst: number): string {
  return `tt${String(tconst).padStart(7, "0")}`;
}

/** The output is written in pieces of about this size. */
const SINK_BYTES = 1 << 20;

/**
 * Lines encoded straight into a large buffer and written a buffer at a time, waiting for the stream to drain when it
 * asks to. Encoding each line into place costs half of joining the lines and encoding the result.
 */
class LineSink {
  private buffer = Buffer.allocUnsafe(SINK_BYTES);
  private used = 0;
  private failure: unknown = null;
  private readonly onError = (error: unknown) => {
    this.failure = error;
  };

  constructor(private readonly out: NodeJS.WritableStream) {
    out.on("error", this.onError);
  }

  /** Whether `line` surely fits: a UTF-16 code unit takes at most 3 bytes in UTF-8. */
  hasRoomFor(line: string): boolean {
    return this.used + line.length * 3 + 1 <= this.buffer.length;
  }

  add(line: string): void {
    if (!this.hasRoomFor(line)) this.grow(line.length * 3 + 1);
    this.used += this.buffer.write(line, this.used, "utf8");
    this.buffer[this.used++] = 0x0a;
  }

  async flush(): Promise<void> {
    if (this.failure !== null) throw this.failure;
    if (this.used === 0) return;
    // The stream keeps the written buffer until it is on disk, so the next lines go into a new one.
    const ready = this.out.write(this.buffer.subarray(0, this.used));
    this.buffer = Buffer.allocUnsafe(SINK_BYTES);
    this.used = 0;
    if (!ready) await once(this.out, "drain");
  }

  release(): void {
    this.out.off("error", this.onError);
  }

  private grow(needed: number): void {
    const bigger = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.used + needed));
    this.buffer.copy(bigger, 0, 0, this.used);
    this.buffer = bigger;
  }
}

/** Opens the output before the long reads, so an unwritable path fails at once; a stream is written as it is. */
async function openOutput(out: string | NodeJS.WritableStream): Promise<OutputFile> {
  if (typeof out !== "string") return { stream: out, commit: async () => {}, abandon: async () => {} };
  return openOutputFile(out, (message) => new ImdbImportError(message));
}
