/**
 * Benchmark of the IMDb importer on a synthetic dataset in IMDb's format: by default 150 k titles, 400 k names,
 * 1.2 M title.principals rows and title.akas rows in IMDb's proportion (AKAS_PER_TITLE a title on average), written
 * plain and gzipped to a temporary folder, each imported in turn.
 *
 *   npx tsx bench/imdb-import.ts [--titles N] [--akas-per-title N] [--no-gzip] [--keep]
 *
 * Prints rows/s and the peak RSS seen while reading it for each file, rows/s overall, elapsed time and peak RSS for
 * each run, and whether that peak stayed within the importer's memory ceiling. The dataset is generated in a child
 * process, so the memory the generator used does not count in this process's RSS.
 *
 * At IMDb's proportion, title.akas has a few rows per title; `--akas-per-title` makes it bigger without making the
 * other files bigger, e.g. `--titles 1000000 --akas-per-title 40` for a title.akas the size of IMDb's own at about
 * the number of films a full import keeps.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import { isEntryPoint } from "../src/cli/io.js";
import { parseArgs } from "node:util";
import { createGzip } from "node:zlib";
import { AKAS_DATASET, importImdb, type ImdbDataset, type ImdbImportReport } from "../src/importers/imdb.js";
import { formatBytes, formatCount, formatDuration } from "../src/format.js";
import type { ProgressReporter } from "../src/importers/progress.js";
import { seededRandom } from "../tests/support/seeded-random.js";

export interface ImdbBenchOptions {
  /** Titles in title.basics; names, principals and akas scale with it. 150,000 by default. */
  titles?: number;
  /** title.akas rows per title on average; AKAS_PER_TITLE by default. */
  akasPerTitle?: number;
  /** Also benchmark gzipped files (costs the time to gzip them). True by default. */
  gzip?: boolean;
  /** Leave the generated files in place (their folder is printed). */
  keep?: boolean;
  log?: (line: string) => void;
}

export interface ImdbBenchRun {
  variant: "plain" | "gzip";
  report: ImdbImportReport;
  rows: number;
  rowsPerSecond: number;
  /** Highest RSS sampled every 100 ms and at every chunk read during this run. */
  peakRssBytes: number;
  /** The same, while each file was read. */
  peakRssByDataset: Map<ImdbDataset, number>;
}

const PRINCIPALS_PER_TITLE = 8;
const NAMES_PER_TITLE = 8 / 3;
/** IMDb's title.akas has 4 to 5 rows per title of title.basics, counting every title. */
export const AKAS_PER_TITLE = 4.5;
/** The importer is built to stay under this; each run says whether it did. */
const MEMORY_CEILING_BYTES = 1024 ** 3;
const DATASET_FILES = [
  "title.basics",
  "title.ratings",
  "title.crew",
  "title.principals",
  "name.basics",
  "title.akas",
] as const;

export async function runImdbImportBench(options: ImdbBenchOptions = {}): Promise<ImdbBenchRun[]> {
  const log = options.log ?? ((line: string) => console.log(line));
  const titles = options.titles ?? 150_000;
  const akasPerTitle = options.akasPerTitle ?? AKAS_PER_TITLE;
  const root = await mkdtemp(join(tmpdir(), "imdb-bench-"));
  const runs: ImdbBenchRun[] = [];
  try {
    const plainDir = join(root, "plain");
    const generatedAt = performance.now();
    const counts = await generateInChildProcess(plainDir, titles, akasPerTitle);
    log(
      `generated ${Object.entries(counts)
        .map(([file, rows]) => `${file} ${formatCount(rows)}`)
        .join(", ")} rows in ${formatDuration(performance.now() - generatedAt)} (${root})`,
    );
    runs.push(await benchRun("plain", plainDir, join(root, "plain.jsonl"), log));
    if (options.gzip ?? true) {
      const gzipDir = join(root, "gzip");
      const gzippedAt = performance.now();
      await gzipDataset(plainDir, gzipDir);
      log(`gzipped in ${formatDuration(performance.now() - gzippedAt)}`);
      runs.push(await benchRun("gzip", gzipDir, join(root, "gzip.jsonl"), log));
    }
    log(`process peak RSS (maxRSS): ${formatBytes(process.resourceUsage().maxRSS * 1024)}`);
    return runs;
  } finally {
    if (options.keep === true) log(`kept ${root}`);
    else await rm(root, { recursive: true, force: true });
  }
}

async function benchRun(
  variant: ImdbBenchRun["variant"],
  fromDir: string,
  out: string,
  log: (line: string) => void,
): Promise<ImdbBenchRun> {
  const sampler = new RssSampler();
  const report = await importImdb({ fromDir, out, progress: sampler.progress });
  const peakRssBytes = sampler.stop();
  const peakRssByDataset = new Map(
    report.files.map((file) => [file.dataset, sampler.peakByFile.get(basename(file.path)) ?? 0]),
  );
  const rows = report.files.reduce((sum, file) => sum + file.rows, 0);
  const rowsPerSecond = Math.round((rows / report.elapsedMs) * 1000);
  log(
    `${variant}: ${formatCount(report.films)} films from ${formatCount(rows)} rows in ${formatDuration(report.elapsedMs)} = ${formatCount(rowsPerSecond)} rows/s, peak RSS ${formatBytes(peakRssBytes)}`,
  );
  for (const file of report.files) {
    const rate = Math.round((file.rows / file.elapsedMs) * 1000);
    const peak = formatBytes(peakRssByDataset.get(file.dataset) ?? 0);
    log(
      `  ${file.dataset.padEnd(16)} ${formatCount(file.rows).padStart(11)} rows ${formatDuration(file.elapsedMs).padStart(9)} ${formatCount(rate).padStart(10)} rows/s  peak RSS ${peak.padStart(8)}`,
    );
  }
  if (report.alternateTitles === null) log(`  (no ${AKAS_DATASET} file: alternate titles not imported)`);
  else log(`  ${formatCount(report.alternateTitles.count)} alternate titles written`);
  const within = peakRssBytes <= MEMORY_CEILING_BYTES;
  log(
    `  peak RSS ${formatBytes(peakRssBytes)}: ${within ? "within" : "ABOVE"} the importer's ${formatBytes(MEMORY_CEILING_BYTES)} ceiling`,
  );
  return { variant, report, rows, rowsPerSecond, peakRssBytes, peakRssByDataset };
}

/**
 * The highest RSS seen, overall and while each file is read: sampled every 100 ms, and each time the importer
 * reports progress (once per chunk read), so that a file read in less than 100 ms is sampled too.
 */
class RssSampler {
  /** By the label the importer gives the file: its name. */
  readonly peakByFile = new Map<string, number>();
  private peak = 0;
  private file: string | null = null;
  private readonly timer = setInterval(() => this.sample(), 100);

  readonly progress: ProgressReporter = {
    startFile: (label) => {
      this.file = label;
      this.sample();
    },
    advance: () => this.sample(),
    finishFile: () => {
      this.sample();
      this.file = null;
    },
  };

  constructor() {
    this.sample();
  }

  stop(): number {
    clearInterval(this.timer);
    this.sample();
    return this.peak;
  }

  private sample(): void {
    const rss = process.memoryUsage.rss();
    this.peak = Math.max(this.peak, rss);
    if (this.file !== null) this.peakByFile.set(this.file, Math.max(this.peakByFile.get(this.file) ?? 0, rss));
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The synthetic dataset

const WORDS = [
  "Night",
  "River",
  "Last",
  "Summer",
  "Shadow",
  "King",
  "Love",
  "Road",
  "Blue",
  "Winter",
  "Garden",
  "Fire",
  "Amélie",
  "Été",
  "Ghost",
  "City",
  "Dream",
  "Iron",
  "Silent",
  "Golden",
];
const FIRST = [
  "Anna",
  "Ben",
  "Chloé",
  "David",
  "Eva",
  "Farid",
  "Greta",
  "Hiro",
  "Inès",
  "Jon",
  "Kate",
  "Luis",
  "Mei",
  "Nils",
  "Olga",
  "Pablo",
];
const LAST = [
  "Smith",
  "Dubois",
  "Müller",
  "Rossi",
  "Tanaka",
  "Kowalski",
  "García",
  "O'Brien",
  "Larsen",
  "Novak",
  "Silva",
  "Kim",
];
const GENRES = [
  "Drama",
  "Comedy",
  "Action",
  "Thriller",
  "Romance",
  "Horror",
  "Documentary",
  "Crime",
  "Adventure",
  "Family",
];
const CATEGORIES = [
  "actor",
  "actress",
  "actor",
  "actress",
  "self",
  "director",
  "writer",
  "producer",
  "composer",
  "cinematographer",
];

/** Words of alternate titles in other languages. */
const FOREIGN_WORDS = [
  "Nuit",
  "Fleuve",
  "Été",
  "Sommer",
  "Schatten",
  "König",
  "Amor",
  "Camino",
  "Invierno",
  "Fantasma",
  "Città",
  "Sogno",
  "夜",
  "川",
  "Ночь",
  "Zima",
];
/** Regions of the other akas rows, by weight: the US and GB often, many others less. */
const AKA_REGIONS = ["US", "US", "GB", "\\N", "DE", "FR", "JP", "ES", "IT", "BR", "IN", "CA", "MX", "XWW", "RU", "PL"];
const AKA_TYPES = ["imdbDisplay", "imdbDisplay", "\\N", "\\N", "working", "alternative", "dvd", "tv", "festival"];
const AKA_LANGUAGES = ["en", "fr", "ja", "es", "de"];

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

const tt = (n: number) => `tt${String(n).padStart(7, "0")}`;
const nm = (n: number) => `nm${String(n).padStart(7, "0")}`;

/** Lines gathered into large writes, honouring backpressure. */
class FileWriter {
  private readonly stream;
  private buffer: string[] = [];
  private size = 0;
  rows = 0;

  constructor(path: string, header: string) {
    this.stream = createWriteStream(path);
    this.buffer.push(header);
  }

  async line(text: string): Promise<void> {
    this.buffer.push(text);
    this.rows++;
    this.size += text.length;
    if (this.size > 1 << 20) await this.flush();
  }

  async close(): Promise<void> {
    await this.flush();
    this.stream.end();
    await once(this.stream, "finish");
  }

  private async flush(): Promise<void> {
    const ready = this.stream.write(`${this.buffer.join("\n")}\n`);
    this.buffer = [];
    this.size = 0;
    if (!ready) await once(this.stream, "drain");
  }
}

/**
 * The akas rows of one title, in the order of IMDb's file: the original title first (usually the title itself),
 * then titles in other regions, about half of them the title itself, some with another spelling.
 */
function akaRows(random: () => number, tconst: string, title: string, count: number): string[] {
  const foreign = () => `${pick(random, FOREIGN_WORDS)} ${pick(random, FOREIGN_WORDS)}`;
  const rows: string[] = [];
  for (let ordering = 1; ordering <= count; ordering++) {
    if (ordering === 1) {
      const original = random() < 0.1 ? foreign() : title;
      rows.push(`${tconst}\t1\t${original}\t\\N\t\\N\toriginal\t\\N\t1`);
      continue;
    }
    const roll = random();
    const aka =
      roll < 0.45
        ? title
        : roll < 0.55
          ? title.toUpperCase()
          : roll < 0.65
            ? `${title}: ${pick(random, WORDS)}`
            : foreign();
    const language = random() < 0.7 ? "\\N" : pick(random, AKA_LANGUAGES);
    const attributes = random() < 0.1 ? "literal English title" : "\\N";
    rows.push(
      `${tconst}\t${ordering}\t${aka}\t${pick(random, AKA_REGIONS)}\t${language}\t${pick(random, AKA_TYPES)}\t${attributes}\t0`,
    );
  }
  return rows;
}

async function generateDataset(dir: string, titleCount: number, akasPerTitle: number): Promise<Record<string, number>> {
  await mkdir(dir, { recursive: true });
  const random = seededRandom(42);
  // A generator of its own, so that the other files are the same whatever the number of akas.
  const akaRandom = seededRandom(7);
  const nameCount = Math.round(titleCount * NAMES_PER_TITLE);
  const basics = new FileWriter(
    join(dir, "title.basics.tsv"),
    "tconst\ttitleType\tprimaryTitle\toriginalTitle\tisAdult\tstartYear\tendYear\truntimeMinutes\tgenres",
  );
  const ratings = new FileWriter(join(dir, "title.ratings.tsv"), "tconst\taverageRating\tnumVotes");
  const crew = new FileWriter(join(dir, "title.crew.tsv"), "tconst\tdirectors\twriters");
  const principals = new FileWriter(
    join(dir, "title.principals.tsv"),
    "tconst\tordering\tnconst\tcategory\tjob\tcharacters",
  );
  const akas = new FileWriter(
    join(dir, "title.akas.tsv"),
    "titleId\tordering\ttitle\tregion\tlanguage\ttypes\tattributes\tisOriginalTitle",
  );
  for (let n = 1; n <= titleCount; n++) {
    const roll = random();
    const type = roll < 0.6 ? "movie" : roll < 0.7 ? "tvMovie" : roll < 0.85 ? "short" : "tvSeries";
    const title = `${pick(random, WORDS)} ${pick(random, WORDS)}${random() < 0.1 ? ` "${pick(random, WORDS)}"` : ""}`;
    const year = random() < 0.03 ? "\\N" : String(1920 + Math.floor(random() * 105));
    const runtime = random() < 0.1 ? "\\N" : String(5 + Math.floor(random() * 170));
    const genres = random() < 0.05 ? "\\N" : [pick(random, GENRES), pick(random, GENRES)].join(",");
    const adult = random() < 0.02 ? "1" : "0";
    await basics.line(`${tt(n)}\t${type}\t${title}\t${title}\t${adult}\t${year}\t\\N\t${runtime}\t${genres}`);
    if (random() < 0.8) {
      const votes = Math.floor(10 ** (random() * 5));
      await ratings.line(`${tt(n)}\t${(1 + random() * 9).toFixed(1)}\t${votes}`);
    }
    const person = () => nm(1 + Math.floor(random() * nameCount));
    await crew.line(`${tt(n)}\t${random() < 0.1 ? `${person()},${person()}` : person()}\t${person()}`);
    for (let ordering = 1; ordering <= PRINCIPALS_PER_TITLE; ordering++) {
      const category = pick(random, CATEGORIES);
      const acting = category === "actor" || category === "actress" || category === "self";
      const characters = acting ? `["${pick(random, FIRST)} ${pick(random, LAST)}"]` : "\\N";
      await principals.line(`${tt(n)}\t${ordering}\t${person()}\t${category}\t\\N\t${characters}`);
    }
    // From 0 to twice the average, evenly.
    const akaCount = Math.floor(akaRandom() * (2 * akasPerTitle + 1));
    for (const row of akaRows(akaRandom, tt(n), title, akaCount)) await akas.line(row);
  }
  const names = new FileWriter(
    join(dir, "name.basics.tsv"),
    "nconst\tprimaryName\tbirthYear\tdeathYear\tprimaryProfession\tknownForTitles",
  );
  for (let n = 1; n <= nameCount; n++) {
    const born = random() < 0.4 ? "\\N" : String(1900 + Math.floor(random() * 100));
    const known = [1, 2, 3].map(() => tt(1 + Math.floor(random() * titleCount))).join(",");
    await names.line(
      `${nm(n)}\t${pick(random, FIRST)} ${pick(random, LAST)} ${n}\t${born}\t\\N\tactor,writer\t${known}`,
    );
  }
  const writers = {
    "title.basics": basics,
    "title.ratings": ratings,
    "title.crew": crew,
    "title.principals": principals,
    "name.basics": names,
    "title.akas": akas,
  };
  await Promise.all(Object.values(writers).map((writer) => writer.close()));
  return Object.fromEntries(Object.entries(writers).map(([file, writer]) => [file, writer.rows]));
}

/** Runs this file with `--generate DIR` in a child process with the same loader (tsx), which prints the counts. */
async function generateInChildProcess(
  dir: string,
  titles: number,
  akasPerTitle: number,
): Promise<Record<string, number>> {
  const script = fileURLToPath(import.meta.url);
  const args = ["--generate", dir, "--titles", String(titles), "--akas-per-title", String(akasPerTitle)];
  const child = spawn(process.execPath, [...process.execArgv, script, ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  child.stdout.setEncoding("utf8").on("data", (text: string) => (output += text));
  const [code] = (await once(child, "exit")) as [number | null];
  if (code !== 0) throw new Error(`generating the dataset failed (exit code ${code})`);
  return JSON.parse(output) as Record<string, number>;
}

async function gzipDataset(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const name of DATASET_FILES) {
    await pipeline(
      createReadStream(join(from, `${name}.tsv`)),
      createGzip({ level: 1 }),
      createWriteStream(join(to, `${name}.tsv.gz`)),
    );
  }
}

if (isEntryPoint(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      titles: { type: "string" },
      "akas-per-title": { type: "string" },
      "no-gzip": { type: "boolean" },
      keep: { type: "boolean" },
      generate: { type: "string" },
    },
    strict: true,
  });
  const titles = values.titles === undefined ? undefined : Number(values.titles);
  const akasPerTitle = values["akas-per-title"] === undefined ? undefined : Number(values["akas-per-title"]);
  if (akasPerTitle !== undefined && !(akasPerTitle >= 0)) throw new Error("--akas-per-title must be 0 or more");
  if (values.generate !== undefined) {
    console.log(
      JSON.stringify(await generateDataset(values.generate, titles ?? 150_000, akasPerTitle ?? AKAS_PER_TITLE)),
    );
  } else {
    await runImdbImportBench({ titles, akasPerTitle, gzip: values["no-gzip"] !== true, keep: values.keep === true });
  }
}
