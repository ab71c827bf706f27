import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { emptyFilm, type Film } from "../../src/catalog/film.js";
import { loadDataDir } from "../../src/catalog/load.js";
import { recordToFilm } from "../../src/catalog/records.js";
import {
  formatTconst,
  ImdbImportError,
  importImdb,
  MAX_ALTERNATE_TITLES,
  parseCharacters,
  parseImdbId,
  type ImdbFilmRecord,
  type ImdbImportOptions,
  type ImdbImportReport,
} from "../../src/importers/imdb.js";
import type { ProgressReporter } from "../../src/importers/progress.js";
import { TsvError } from "../../src/importers/tsv.js";

const FIXTURE = fileURLToPath(new URL("./fixtures/imdb/", import.meta.url));
const DATASETS = ["title.basics", "title.ratings", "title.crew", "title.principals", "name.basics", "title.akas"];

let work: string;

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), "imdb-test-"));
});

afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

/** A copy of the fixture in a fresh folder, with the listed datasets gzipped (the rest plain) and some left out. */
async function fixtureCopy(name: string, gzipped: readonly string[] = [], without: readonly string[] = []) {
  const dir = join(work, name);
  await mkdir(dir, { recursive: true });
  for (const dataset of DATASETS) {
    if (without.includes(dataset)) continue;
    const plain = join(FIXTURE, `${dataset}.tsv`);
    if (gzipped.includes(dataset)) await writeFile(join(dir, `${dataset}.tsv.gz`), gzipSync(await readFile(plain)));
    else await copyFile(plain, join(dir, `${dataset}.tsv`));
  }
  return dir;
}

async function runImport(
  options: Partial<ImdbImportOptions> = {},
): Promise<{ report: ImdbImportReport; films: ImdbFilmRecord[]; text: string }> {
  const out = join(work, "out", "imdb.jsonl");
  const report = await importImdb({ fromDir: FIXTURE, out, ...options });
  const text = await readFile(typeof options.out === "string" ? options.out : out, "utf8");
  const films = text
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as ImdbFilmRecord);
  return { report, films, text };
}

function byTitleId(films: ImdbFilmRecord[], tconst: string): ImdbFilmRecord {
  const film = films.find((candidate) => candidate.technicalSpecs["IMDb ID"] === tconst);
  if (film === undefined) throw new Error(`no film ${tconst}`);
  return film;
}

/** A record as the catalog reads it: the rich fields IMDb has not, empty. */
function asFilm(record: ImdbFilmRecord): Film {
  return { ...emptyFilm(record.title, record.source), ...record };
}

/** A progress reporter that records which files were started. */
function recordingProgress(): { started: string[]; progress: ProgressReporter } {
  const started: string[] = [];
  return { started, progress: { startFile: (label) => started.push(label), advance: () => {}, finishFile: () => {} } };
}

describe("importImdb with the defaults (movies, at least 100 votes, no adult titles)", () => {
  it("writes every field of a film record", async () => {
    const { films } = await runImport();
    expect(byTitleId(films, "tt0000001")).toEqual({
      id: "miss-you-already-2015",
      title: "Miss You Already",
      year: 2015,
      releaseDate: null,
      logline: null,
      synopsis: null,
      rating: { score: 6.6, outOf: 10, votes: 567 },
      criticScore: null,
      directors: ["Catherine Hardwicke"],
      stars: ["Drew Barrymore", "Toni Collette", "Dominic Cooper"],
      cast: [
        { name: "Drew Barrymore", role: "Jess" },
        { name: "Toni Collette", role: "Milly" },
        { name: "Dominic Cooper", role: "Kit" },
        { name: "Paddy Considine", role: "Jago" },
      ],
      countries: [],
      languages: [],
      filmingLocations: null,
      genres: ["Comedy", "Drama"],
      runtimeMinutes: 112,
      trivia: [],
      review: null,
      website: null,
      technicalSpecs: { "IMDb ID": "tt0000001" },
      source: "imdb.jsonl",
      imdbId: "tt0000001",
      alternateTitles: [],
    });
  });

  it("keeps movies with enough votes, in file order, and leaves out the rest", async () => {
    const { films, report } = await runImport();
    expect(films.map((film) => film.id)).toEqual([
      "miss-you-already-2015",
      "amelie-2001",
      "the-best-movie-1999",
      "unknown-year",
      "co-directed-2008",
      "hamlet-1948",
      "hamlet-1948-tt0000014",
    ]);
    expect(report.films).toBe(7);
  });

  it("keeps accents, several characters per role and unknown roles", async () => {
    const amelie = byTitleId((await runImport()).films, "tt0000002");
    expect(amelie.title).toBe("Amélie");
    expect(amelie.directors).toEqual(["Jean-Pierre Jeunet"]);
    expect(amelie.cast).toEqual([
      { name: "Audrey Tautou", role: "Amélie Poulain" },
      { name: "Mathieu Kassovitz", role: "Nino Quincampoix" },
      { name: "Rufus", role: "Raphaël Poulain / Narrator" },
      { name: "Yolande Moreau", role: null },
    ]);
    expect(amelie.stars).toEqual(["Audrey Tautou", "Mathieu Kassovitz", "Rufus"]);
    expect(amelie.genres).toEqual(["Comedy", "Romance"]);
    expect(amelie.rating).toEqual({ score: 8.3, outOf: 10, votes: 780_000 });
  });

  it('reads a literal " in titles, names and characters, and \\N runtime, genres and directors', async () => {
    const best = byTitleId((await runImport()).films, "tt0000003");
    expect(best.title).toBe('The "Best" Movie');
    expect(best.year).toBe(1999);
    expect(best.runtimeMinutes).toBeNull();
    expect(best.genres).toEqual([]);
    expect(best.directors).toEqual([]);
    expect(best.cast).toEqual([{ name: 'Bob "The Boss" Smith', role: 'The "Boss"' }]);
    expect(best.rating).toEqual({ score: 5, outOf: 10, votes: 150 });
  });

  it("imports a \\N year as null and counts self appearances as cast, not archive footage", async () => {
    const documentary = byTitleId((await runImport()).films, "tt0000008");
    expect(documentary.year).toBeNull();
    expect(documentary.id).toBe("unknown-year");
    expect(documentary.runtimeMinutes).toBeNull();
    expect(documentary.directors).toEqual(["Dana Documentarian"]);
    expect(documentary.cast).toEqual([{ name: "Dana Documentarian", role: "Self - Host" }]);
    expect(documentary.stars).toEqual(["Dana Documentarian"]);
  });

  it("resolves several directors in crew order and makes the first three billed the stars", async () => {
    const film = byTitleId((await runImport()).films, "tt0000011");
    expect(film.directors).toEqual(["Ann Director", "Bo Director", "Cy Director"]);
    expect(film.stars).toEqual(["Vin Actor", "Max Actor", "Eve Actress"]);
    // nm0000099 is not in name.basics and the last row's characters are broken JSON: both left out.
    expect(film.cast).toEqual([
      { name: "Vin Actor", role: "Vincent" },
      { name: "Max Actor", role: "Max" },
      { name: "Eve Actress", role: "Eve" },
      { name: "Sam Actor", role: "Sam" },
    ]);
    expect(film.genres).toEqual(["Action", "Crime", "Drama"]);
    expect(film.runtimeMinutes).toBe(101);
  });

  it("gives the most-voted of two same-title same-year films the plain id", async () => {
    const { films, report } = await runImport();
    expect(byTitleId(films, "tt0000013").id).toBe("hamlet-1948");
    expect(byTitleId(films, "tt0000014").id).toBe("hamlet-1948-tt0000014");
    expect(byTitleId(films, "tt0000013").directors).toEqual(["Laurence Olivier"]);
    expect(report.idCollisions).toBe(1);
  });

  it("reports rows read, malformed rows with their line numbers, and people missing from name.basics", async () => {
    const { report } = await runImport();
    expect(
      report.files.map(({ dataset, rows, malformed, malformedSamples }) => ({
        dataset,
        rows,
        malformed,
        malformedSamples,
      })),
    ).toEqual([
      {
        dataset: "title.basics",
        rows: 15,
        malformed: 2,
        malformedSamples: [
          { line: 13, reason: 'startYear "19x9" is not a year' },
          { line: 16, reason: "expected 9 fields, found 5" },
        ],
      },
      {
        dataset: "title.ratings",
        rows: 13,
        malformed: 1,
        malformedSamples: [{ line: 11, reason: 'numVotes "lots" is not a number' }],
      },
      { dataset: "title.crew", rows: 12, malformed: 0, malformedSamples: [] },
      {
        dataset: "title.principals",
        rows: 24,
        malformed: 1,
        malformedSamples: [{ line: 24, reason: 'characters ["Broken is not a JSON array of strings' }],
      },
      { dataset: "name.basics", rows: 29, malformed: 0, malformedSamples: [] },
      {
        dataset: "title.akas",
        rows: 42,
        malformed: 2,
        malformedSamples: [
          { line: 19, reason: "expected 8 fields, found 4" },
          { line: 37, reason: 'isOriginalTitle is "yes", expected 0 or 1' },
        ],
      },
    ]);
    expect(report.files[0]!.path).toBe(join(FIXTURE, "title.basics.tsv"));
    expect(report.unresolvedPeople).toBe(1);
    expect(report.out).toBe(join(work, "out", "imdb.jsonl"));
    expect(report.peakRssBytes).toBeGreaterThan(0);
    expect(report.elapsedMs).toBeGreaterThan(0);
  });

  it("writes records the catalog loads unchanged, but for the fields it does not read", async () => {
    const { films } = await runImport();
    for (const film of films) expect(recordToFilm(film, "imdb.jsonl")).toEqual(asFilm(film));
  });

  it("writes records that load from a data folder as they are", async () => {
    const dir = join(work, "data");
    const { films } = await runImport({ out: join(dir, "imdb.jsonl") });
    const loaded = await loadDataDir(dir);
    expect(loaded.errors).toEqual([]);
    expect(loaded.filesRead).toBe(1);
    // The two Hamlets of 1948 share a title and a year, but not an IMDb id: two films, not merged.
    expect(films.filter((film) => film.title === "Hamlet" && film.year === 1948)).toHaveLength(2);
    expect(loaded.merges).toEqual([]);
    const byId = new Map(loaded.films.map((film) => [film.id, film]));
    expect(byId.size).toBe(films.length);
    for (const film of films) expect({ ...byId.get(film.id) }).toEqual(asFilm(film));
  });
});

describe("importImdb filters", () => {
  it("--types adds TV movies, with their two directors", async () => {
    const { films } = await runImport({ types: ["movie", "tvMovie"] });
    expect(films).toHaveLength(8);
    const live = byTitleId(films, "tt0000004");
    expect(live.title).toBe("A Christmas Story Live!");
    expect(live.directors).toEqual(["Alex Rudzinski", "Scott Ellis"]);
    expect(live.genres).toEqual(["Comedy", "Family", "Musical"]);
  });

  it("--types can select only series or shorts", async () => {
    expect((await runImport({ types: ["tvSeries"] })).films.map((film) => film.title)).toEqual(["Long Show"]);
    expect((await runImport({ types: ["short"] })).films.map((film) => film.title)).toEqual(["Tiny Film"]);
  });

  it("--min-votes 0 also keeps low-voted and unrated titles", async () => {
    const { films } = await runImport({ minVotes: 0 });
    expect(films).toHaveLength(9);
    expect(byTitleId(films, "tt0000009").rating).toEqual({ score: 4, outOf: 10, votes: 50 });
    expect(byTitleId(films, "tt0000009").cast).toEqual([{ name: "Scream Queen", role: "Final Girl" }]);
    // Its ratings row is malformed, so it counts as unrated.
    expect(byTitleId(films, "tt0000010").rating).toBeNull();
    expect(byTitleId(films, "tt0000010").directors).toEqual(["Dana Documentarian"]);
  });

  it("--min-votes keeps titles with at least that many votes", async () => {
    const { films } = await runImport({ minVotes: 1000 });
    expect(films.map((film) => film.technicalSpecs["IMDb ID"])).toEqual(["tt0000002", "tt0000011", "tt0000013"]);
  });

  it("leaves adult titles out unless asked, and flags them adult when asked", async () => {
    expect((await runImport({ minVotes: 0 })).films.some((film) => film.title === "Adult Title")).toBe(false);
    const { films } = await runImport({ includeAdult: true });
    expect(byTitleId(films, "tt0000007")).toMatchObject({
      title: "Adult Title",
      directors: ["Adult Director"],
      genres: ["Adult"],
      adult: true,
    });
    expect(films.filter((film) => "adult" in film).map((film) => film.title)).toEqual(["Adult Title"]);
  });
});

describe("importImdb inputs and outputs", () => {
  it("gives the same output from gzipped, plain and mixed files", async () => {
    const plain = await runImport({ fromDir: await fixtureCopy("plain") });
    const gzipped = await runImport({ fromDir: await fixtureCopy("gzipped", DATASETS) });
    const mixed = await runImport({ fromDir: await fixtureCopy("mixed", ["title.principals", "name.basics"]) });
    expect(gzipped.text).toBe(plain.text);
    expect(mixed.text).toBe(plain.text);
    expect(gzipped.report.files.map((file) => [file.rows, file.malformed])).toEqual(
      plain.report.files.map((file) => [file.rows, file.malformed]),
    );
    expect(gzipped.report.files[3]!.path).toMatch(/title\.principals\.tsv\.gz$/);
    expect(gzipped.report.files[5]!.path).toMatch(/title\.akas\.tsv\.gz$/);
  });

  it("writes to a stream without ending it, with the default source", async () => {
    const stream = new PassThrough();
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    const report = await importImdb({ fromDir: FIXTURE, out: stream });
    expect(stream.writableEnded).toBe(false);
    const lines = Buffer.concat(chunks).toString("utf8").trimEnd().split("\n");
    expect(lines).toHaveLength(7);
    expect((JSON.parse(lines[0]!) as Film).source).toBe("imdb.jsonl");
    expect(report.out).toBeNull();
  });

  it("uses the output file's name, or the given source, as the records' source", async () => {
    const out = join(work, "films", "top.jsonl");
    expect((await runImport({ out })).films[0]!.source).toBe("top.jsonl");
    expect((await runImport({ source: "imdb" })).films[0]!.source).toBe("imdb");
  });

  it("writes a record bigger than the write buffer", async () => {
    const dir = await fixtureCopy("long-title");
    const basics = join(dir, "title.basics.tsv");
    const longTitle = `Épopée ${"très longue ".repeat(40_000)}fin`;
    await writeFile(
      basics,
      (await readFile(basics, "utf8")).replace("\tMiss You Already\tMiss You Already\t", `\t${longTitle}\tx\t`),
    );
    const { films } = await runImport({ fromDir: dir });
    expect(films).toHaveLength(7);
    expect(films[0]!.title).toBe(longTitle);
    expect(films[0]!.id).toMatch(/^epopee-tres-longue-tres-longue-.*-[0-9a-f]{8}-2015$/);
    expect(films[1]!.title).toBe("Amélie");
  });

  it("tells the progress reporter about each file in reading order", async () => {
    const started: string[] = [];
    const finished: number[] = [];
    const progress: ProgressReporter = {
      startFile: (label) => started.push(label),
      advance: () => {},
      finishFile: (rows) => finished.push(rows),
    };
    await runImport({ progress });
    expect(started).toEqual(DATASETS.map((dataset) => `${dataset}.tsv`));
    expect(finished).toEqual([15, 13, 12, 24, 29, 42]);
  });
});

describe("importImdb IMDb ids and alternate titles (title.akas)", () => {
  const AMELIE_ORIGINAL = "Le fabuleux destin d'Amélie Poulain";

  it("gives every record its IMDb id, also still in technicalSpecs", async () => {
    const { films } = await runImport({ minVotes: 0, types: ["movie", "tvMovie"] });
    expect(films).toHaveLength(10);
    for (const film of films) {
      expect(film.imdbId).toMatch(/^tt\d{7,}$/);
      expect(film.technicalSpecs).toEqual({ "IMDb ID": film.imdbId });
    }
    expect(films.map((film) => film.imdbId)).toContain("tt0000014");
  });

  it("keeps the original title, then the US and then the GB titles, distinct and none the film's own title", async () => {
    const { films, report } = await runImport();
    // US: "Amélie" is the title itself; GB: "Amelie" is too, once normalized, and the literal English title is
    // there already from the US; FR, DE and a title with no region are not asked for.
    expect(byTitleId(films, "tt0000002").alternateTitles).toEqual([
      AMELIE_ORIGINAL,
      "The Fabulous Destiny of Amélie Poulain",
      "Amélie (2001)",
      "Amélie from Montmartre",
    ]);
    expect(byTitleId(films, "tt0000014").alternateTitles).toEqual(["Hamlet, Prince of Denmark"]);
    // An original title and a US title that are the film's own title, in any case; no akas rows at all.
    expect(byTitleId(films, "tt0000013").alternateTitles).toEqual([]);
    expect(byTitleId(films, "tt0000003").alternateTitles).toEqual([]);
    expect(report.alternateTitles).toEqual({ count: 15, regions: ["US", "GB"] });
  });

  it(`caps a film's alternate titles at ${MAX_ALTERNATE_TITLES}, the first regions first`, async () => {
    const film = byTitleId((await runImport()).films, "tt0000011");
    expect(film.alternateTitles).toEqual(Array.from({ length: 10 }, (_, n) => `Co-Directed: Cut ${n + 1}`));
  });

  it("takes the titles of the regions asked for, in that order", async () => {
    const amelie = async (akaRegions: string[]) =>
      byTitleId((await runImport({ akaRegions })).films, "tt0000002").alternateTitles;
    // The French title is the original one but for an upper-case letter.
    expect(await amelie(["FR", "DE"])).toEqual([AMELIE_ORIGINAL, "Die fabelhafte Welt der Amélie"]);
    expect(await amelie(["DE", "US"])).toEqual([
      AMELIE_ORIGINAL,
      "Die fabelhafte Welt der Amélie",
      "The Fabulous Destiny of Amélie Poulain",
      "Amélie (2001)",
    ]);
    expect(await amelie([])).toEqual([AMELIE_ORIGINAL]);
    const { films, report } = await runImport({ akaRegions: ["JP"] });
    expect(byTitleId(films, "tt0000014").alternateTitles).toEqual(["ハムレット"]);
    expect(byTitleId(films, "tt0000011").alternateTitles).toEqual([]);
    expect(report.alternateTitles).toEqual({ count: 2, regions: ["JP"] });
  });

  it("checks only the rows it keeps: rows of other titles and regions are skipped unread", async () => {
    const { report } = await runImport({ akaRegions: ["FR", "DE"] });
    // The short row of a US title is still read (it has no isOriginalTitle to tell), the GB row with a bad
    // isOriginalTitle and the JP row with a bad ordering are not.
    expect(report.files[5]).toMatchObject({
      rows: 42,
      malformed: 1,
      malformedSamples: [{ line: 19, reason: "expected 8 fields, found 4" }],
    });
  });

  it("reads the alternate titles of the films the filters keep, and only theirs", async () => {
    const { films } = await runImport({ minVotes: 0, types: ["movie", "tvMovie"] });
    expect(byTitleId(films, "tt0000009").alternateTitles).toEqual(["Bajos Votos"]);
    // "A Christmas Story: Live" is its title with other punctuation.
    expect(byTitleId(films, "tt0000004").alternateTitles).toEqual([]);
    expect(films.flatMap((film) => film.alternateTitles)).not.toContain("Long Show");
  });

  it("keeps thousands of alternate titles of a film in order while reading them", async () => {
    const dir = await fixtureCopy("many-akas");
    const akas = join(dir, "title.akas.tsv");
    // In reverse order, so the titles that are written are the last ones read, and not only ASCII.
    const rows = Array.from({ length: 5000 }, (_, n) => 5000 - n).map(
      (ordering) => `tt0000002\t${100 + ordering}\tAmélie – variante n° ${ordering}\tGB\t\\N\t\\N\t\\N\t0`,
    );
    await writeFile(akas, `${await readFile(akas, "utf8")}${rows.join("\n")}\n`);
    const { films, report } = await runImport({ fromDir: dir, akaRegions: ["GB"] });
    expect(byTitleId(films, "tt0000002").alternateTitles).toEqual([
      AMELIE_ORIGINAL,
      "Amélie from Montmartre",
      "The Fabulous Destiny of Amelie Poulain",
      ...Array.from({ length: 7 }, (_, n) => `Amélie – variante n° ${n + 1}`),
    ]);
    expect(byTitleId(films, "tt0000014").alternateTitles).toEqual(["Hamlet, Prince of Denmark"]);
    expect(report.files[5]).toMatchObject({ rows: 5042, malformed: 2 });
  });

  it("reads a gzipped title.akas like a plain one", async () => {
    const plain = await runImport({ fromDir: await fixtureCopy("akas-plain") });
    const gzipped = await runImport({ fromDir: await fixtureCopy("akas-gzipped", ["title.akas"]) });
    expect(gzipped.text).toBe(plain.text);
    expect(gzipped.report.files[5]).toMatchObject({ dataset: "title.akas", rows: 42, malformed: 2 });
    expect(gzipped.report.files[5]!.path).toMatch(/title\.akas\.tsv\.gz$/);
  });

  it("imports as before without title.akas: no alternateTitles field, and the report says so", async () => {
    const withAkas = await runImport();
    const progressLabels: string[] = [];
    const progress: ProgressReporter = {
      startFile: (label) => progressLabels.push(label),
      advance: () => {},
      finishFile: () => {},
    };
    const { films, report } = await runImport({ fromDir: await fixtureCopy("no-akas", [], ["title.akas"]), progress });
    expect(report.alternateTitles).toBeNull();
    expect(report.files.map((file) => file.dataset)).toEqual(DATASETS.slice(0, 5));
    expect(progressLabels).toHaveLength(5);
    expect(films.every((film) => !("alternateTitles" in film))).toBe(true);
    expect(films.map((film) => film.imdbId)).toEqual(withAkas.films.map((film) => film.imdbId));
    const withoutAkas = (film: ImdbFilmRecord): Film => ({ ...asFilm(film), alternateTitles: [] });
    expect(films.map(asFilm)).toEqual(withAkas.films.map(withoutAkas));
  });

  it("checks the title.akas header with the others, before reading any rows", async () => {
    const dir = await fixtureCopy("akas-no-column");
    const akas = join(dir, "title.akas.tsv");
    await writeFile(akas, (await readFile(akas, "utf8")).replace("isOriginalTitle", "original"));
    const { started, progress } = recordingProgress();
    await expect(importImdb({ fromDir: dir, out: join(work, "out.jsonl"), progress })).rejects.toThrow(
      new TsvError(
        `${akas}: missing required column "isOriginalTitle" (header: titleId, ordering, title, region, language, types, attributes, original)`,
      ),
    );
    expect(started).toEqual([]);
  });
});

describe("importImdb errors", () => {
  it("names every missing file in one error and writes nothing", async () => {
    const dir = await fixtureCopy("missing");
    await rm(join(dir, "title.crew.tsv"));
    await rm(join(dir, "name.basics.tsv"));
    const out = join(work, "out", "imdb.jsonl");
    await expect(importImdb({ fromDir: dir, out })).rejects.toThrow(
      new ImdbImportError(`missing IMDb files in ${dir}: title.crew.tsv(.gz), name.basics.tsv(.gz)`),
    );
    await expect(readdir(join(work, "out"))).rejects.toThrow(/ENOENT/);
  });

  it("names the file and the missing column before reading any rows", async () => {
    const dir = await fixtureCopy("no-column");
    const principals = join(dir, "title.principals.tsv");
    const text = await readFile(principals, "utf8");
    await writeFile(principals, text.replace("characters", "roles"));
    const { started, progress } = recordingProgress();
    await expect(importImdb({ fromDir: dir, out: join(work, "out.jsonl"), progress })).rejects.toThrow(
      new TsvError(
        `${principals}: missing required column "characters" (header: tconst, ordering, nconst, category, job, roles)`,
      ),
    );
    expect(started).toEqual([]);
  });

  it("leaves no output, not even a temporary file, when a file fails half way", async () => {
    const dir = await fixtureCopy("truncated", ["name.basics"]);
    const names = join(dir, "name.basics.tsv.gz");
    const gz = await readFile(names);
    await writeFile(names, gz.subarray(0, gz.length - 12));
    const outDir = join(work, "out-truncated");
    await expect(importImdb({ fromDir: dir, out: join(outDir, "imdb.jsonl") })).rejects.toThrow(
      /name\.basics\.tsv\.gz: read failed/,
    );
    expect(await readdir(outDir)).toEqual([]);
  });
});

describe("field parsing", () => {
  it("parses IMDb ids to integers and back", () => {
    expect(parseImdbId("tt0000001", "tt")).toBe(1);
    expect(parseImdbId("nm12345678", "nm")).toBe(12_345_678);
    expect(parseImdbId("tt0042", "tt")).toBe(42);
    for (const bad of ["nm0000001", "tt", "tt12a", "tt1234567890", "\\N", ""]) expect(parseImdbId(bad, "tt")).toBe(-1);
    expect(formatTconst(1)).toBe("tt0000001");
    expect(formatTconst(12_345_678)).toBe("tt12345678");
  });

  it("reads characters as a role", () => {
    expect(parseCharacters('["Jess"]')).toBe("Jess");
    expect(parseCharacters('["Self - Host","Narrator (voice)"]')).toBe("Self - Host / Narrator (voice)");
    expect(parseCharacters('["He said \\"hi\\""]')).toBe('He said "hi"');
    expect(parseCharacters("\\N")).toBeNull();
    expect(parseCharacters("[]")).toBeNull();
    expect(parseCharacters('[" "]')).toBeNull();
    for (const bad of ['["Broken', "Jess", "[1]", '{"a":"b"}', "null"]) expect(parseCharacters(bad)).toBeUndefined();
  });
});
