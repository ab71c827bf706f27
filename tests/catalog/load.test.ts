import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, open, readFile, rm, symlink, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Catalog } from "../../src/catalog/catalog.js";
import { loadDataDir, type LoadResult } from "../../src/catalog/load.js";
import {
  creditedNames,
  directorCountOf,
  filmDetails,
  genresOf,
  KeptFilm,
  type LoadedFilm,
  normalizedTitleOf,
  PageFilm,
  RecordFilm,
  RecordLineFilm,
  recordRichness,
  triviaCountOf,
} from "../../src/catalog/pages/page-film.js";

const SEED = await readFile(new URL("../../data/000_ca69434de1f8644e.txt", import.meta.url), "utf8");
const folders: string[] = [];

/** A fresh data folder with the given files (path → content). */
async function dataDir(files: Record<string, string | Buffer>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "film-load-"));
  folders.push(dir);
  for (const [name, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), content);
  }
  return dir;
}

afterEach(async () => {
  await Promise.all(folders.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

function page(title: string, year: number): string {
  return SEED.replaceAll("Miss You Already", title).replaceAll("2015", String(year));
}

const titles = (result: LoadResult): string[] => result.films.map((film) => film.title);
const credits = (catalog: Catalog) =>
  catalog.person("catherine hardwicke")?.credits.map((credit) => [credit.film.id, credit.directed, credit.starred]);
const similar = (catalog: Catalog) => catalog.similar("film-3-1993").map((match) => [match.film.id, match.score]);

describe("loadDataDir", () => {
  it("loads pages from nested folders, with paths relative to the folder", async () => {
    const dir = await dataDir({
      "a.txt": page("Alpha", 2001),
      "nested/b.txt": page("Beta", 2002),
      "nested/deeper/c.TXT": page("Gamma", 2003),
    });
    const result = await loadDataDir(dir);
    expect(titles(result)).toEqual(["Alpha", "Beta", "Gamma"]);
    expect(result.films.map((film) => film.source)).toEqual(["a.txt", "nested/b.txt", "nested/deeper/c.TXT"]);
    expect(result.errors).toEqual([]);
    expect(result.merges).toEqual([]);
    expect(result.filesRead).toBe(3);
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
  });

  it("ignores other extensions and hidden entries", async () => {
    const dir = await dataDir({
      "README.md": "# Data\n",
      "poster.jpg": Buffer.from([0xff, 0xd8, 0xff, 0x00]),
      "notes.txt.bak": "x",
      ".hidden.txt": page("Hidden", 2000),
      ".git/HEAD.txt": page("Git", 2000),
      "film.txt": page("Film", 2000),
    });
    const result = await loadDataDir(dir);
    expect(titles(result)).toEqual(["Film"]);
    expect(result.filesRead).toBe(1);
    expect(result.errors).toEqual([]);
  });

  it("reports bad pages and keeps loading the good ones", async () => {
    const dir = await dataDir({
      "empty.txt": "",
      "blank.txt": "  \n\n\t\n",
      "binary.txt": Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0xff, 0xfe]),
      "garbage.txt": Buffer.from(Array.from({ length: 3000 }, (_, i) => 128 + (i % 64))),
      "headless.txt": "Release Year: 2015\nRating: 5/10",
      "good.txt": page("Good", 2010),
    });
    const result = await loadDataDir(dir);
    expect(titles(result)).toEqual(["Good"]);
    expect(result.errors).toEqual([
      { file: "binary.txt", message: "binary content" },
      { file: "blank.txt", message: "empty file" },
      { file: "empty.txt", message: "empty file" },
      { file: "garbage.txt", message: "binary content" },
      { file: "headless.txt", message: expect.stringMatching(/^no title line/) },
    ]);
    expect(result.filesRead).toBe(6);
  });

  it("reports a page over 2 MB without parsing it", async () => {
    const dir = await dataDir({ "huge.txt": `Huge\n\n${"x".repeat(2 * 1024 * 1024)}`, "ok.txt": page("Ok", 2000) });
    const result = await loadDataDir(dir);
    expect(titles(result)).toEqual(["Ok"]);
    expect(result.errors).toEqual([{ file: "huge.txt", message: expect.stringMatching(/^file too large/) }]);
  });

  it("honours a smaller page limit, on this thread and on page workers", async () => {
    const dir = await dataDir({ "page.txt": page("Page", 2000) });
    for (const pageWorkers of [0, 1]) {
      const result = await loadDataDir(dir, { pageWorkers, maxPageBytes: 1000 });
      expect(result.errors).toEqual([{ file: "page.txt", message: expect.stringMatching(/^file too large/) }]);
    }
  });

  it("reads the same films and errors on page workers as on the main thread", async () => {
    const files: Record<string, string | Buffer> = {};
    // More than one range per worker, with bad and oversized pages in the middle of them.
    for (let i = 0; i < 600; i++) files[`p/${String(i).padStart(3, "0")}.txt`] = page(`Film ${i}`, 1950 + (i % 70));
    files["p/300-empty.txt"] = "";
    files["p/301-binary.txt"] = Buffer.from([0, 1, 2, 3]);
    files["p/302-big.txt"] = `Big\n\n${"x".repeat(5000)}`;
    files["p/303-latin1.txt"] = Buffer.from(page("Am\u00e9lie", 2001), "latin1");
    const dir = await dataDir(files);
    const main = await loadDataDir(dir, { pageWorkers: 0, maxPageBytes: 4096 });
    const threaded = await loadDataDir(dir, { pageWorkers: 2, maxPageBytes: 4096 });
    expect(threaded.films.every((film) => film instanceof PageFilm)).toBe(true);
    expect(threaded.films.map(filmDetails)).toEqual(main.films);
    // The same JSON, byte for byte (the CLI's `check --json` output): fields in the contract's order.
    expect(JSON.stringify(threaded.films.map(filmDetails))).toBe(JSON.stringify(main.films));
    expect(threaded.errors).toEqual(main.errors);
    expect(main.films).toHaveLength(601);
    expect(main.films.find((film) => film.source === "p/303-latin1.txt")?.title).toBe("Amélie");
    expect(main.errors.map((error) => error.file)).toEqual(["p/300-empty.txt", "p/301-binary.txt", "p/302-big.txt"]);
  });

  it("keeps a worker-parsed film's page and reads every field from it", async () => {
    const dir = await dataDir({ "a.txt": SEED, "b.txt": page("Beta", 2002) });
    const [loaded, loadedBeta] = (await loadDataDir(dir, { pageWorkers: 1 })).films;
    const expected = filmDetails((await loadDataDir(dir, { pageWorkers: 0 })).films[0]!);
    expect(loaded).toBeInstanceOf(PageFilm);
    const film = filmDetails(loaded!);
    const beta = filmDetails(loadedBeta!);
    expect(film.synopsis).toBe(expected.synopsis);
    expect(film.cast).toEqual(expected.cast);
    expect(film.trivia).toEqual(expected.trivia);
    expect(beta.title).toBe("Beta");
    // Another film read in between, then the first again: reading one page must not mix them up.
    expect(beta.synopsis).toBe(expected.synopsis?.replaceAll("Miss You Already", "Beta"));
    expect(filmDetails(loaded!).technicalSpecs).toEqual(expected.technicalSpecs);
    expect(creditedNames(loaded!)).toEqual(creditedNames(expected));
    expect(triviaCountOf(loaded!)).toBe(expected.trivia.length);
  });

  it("indexes a worker-parsed page's genres and directors as the same pages parsed here", async () => {
    const genres = ["Drama, Comedy", "comedy", "Sci-Fi / Drama", ""];
    const files: Record<string, string> = {};
    for (let i = 0; i < 40; i++) {
      // The director also acts in every third film.
      const text = page(`Film ${i}`, 1990 + (i % 20)).replace(
        "\nStars:",
        `\nGenre: ${genres[i % 4]}\n\nStars:${i % 3 === 0 ? " Catherine Hardwicke," : ""}`,
      );
      files[`p/${i}.txt`] = text;
    }
    const dir = await dataDir(files);
    const threaded = await loadDataDir(dir, { pageWorkers: 1 });
    const here = await loadDataDir(dir, { pageWorkers: 0 });
    expect(threaded.films.every((film) => film instanceof PageFilm)).toBe(true);
    const [fromPages, fromRecords] = [threaded, here].map((result) => Catalog.build(result.films));
    expect(fromPages!.genres).toEqual(fromRecords!.genres);
    expect(fromPages!.genres.map((genre) => genre.name)).toEqual(["Comedy", "Drama", "Sci-Fi"]);
    expect(credits(fromPages!)).toEqual(credits(fromRecords!));
    expect(credits(fromPages!)?.filter(([, directed, starred]) => directed && starred)).toHaveLength(14);
    expect(similar(fromPages!)).toEqual(similar(fromRecords!));
  });

  it("merges a worker-parsed page with a JSON record of the same film", async () => {
    const dir = await dataDir({
      "a.txt": SEED,
      "b.json": JSON.stringify([{ title: "Miss You Already", year: 2015, genres: ["Drama"] }]),
    });
    const { films, merges } = await loadDataDir(dir, { pageWorkers: 1 });
    expect(films).toHaveLength(1);
    expect(films[0]).not.toBeInstanceOf(PageFilm);
    expect(filmDetails(films[0]!).genres).toEqual(["Drama"]);
    expect(filmDetails(films[0]!).cast.length).toBeGreaterThan(5);
    expect(merges[0]?.files).toEqual(["a.txt", "b.json"]);
  });

  it("reads the pages on the main thread when a worker cannot start or dies", async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 300; i++) files[`p/${String(i).padStart(3, "0")}.txt`] = page(`Film ${i}`, 1950 + (i % 70));
    const dir = await dataDir(files);
    const missing = await loadDataDir(dir, {
      pageWorkers: 1,
      pageWorkerModule: new URL("./no-such-worker.mjs", import.meta.url),
    });
    expect(missing.films).toHaveLength(300);
    // A worker that dies on its first range, with two ranges handed to it.
    const loaded = await loadDataDir(dir, {
      pageWorkers: 1,
      pageWorkerModule: new URL("../support/dying-page-worker.mjs", import.meta.url),
    });
    expect(loaded.films).toHaveLength(300);
    expect(loaded.errors).toEqual([]);
  });

  it("lets the event loop turn between worker batches (the bot answers while it loads)", async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 1200; i++) files[`p/${String(i).padStart(4, "0")}.txt`] = page(`Film ${i}`, 1950 + (i % 70));
    const dir = await dataDir(files);
    let turn = 0;
    let counting = true;
    const count = (): void => {
      turn++;
      if (counting) setImmediate(count);
    };
    setImmediate(count);
    const turnsWithPages = new Set<number>();
    const loaded = await loadDataDir(dir, { pageWorkers: 2, onProgress: () => turnsWithPages.add(turn) });
    counting = false;
    expect(loaded.films).toHaveLength(1200);
    // 1,200 pages are 5 batches of at most 256, each parsed in an event-loop turn of its own (all in one turn before).
    expect(turnsWithPages.size).toBeGreaterThanOrEqual(5);
  });

  it("shares repeated values between films, keeping them equal", async () => {
    const dir = await dataDir({ "a.txt": page("Alpha", 2001), "b.txt": page("Beta", 2002) });
    const [alpha, beta] = (await loadDataDir(dir)).films.map(filmDetails);
    expect(alpha?.cast).toEqual(beta?.cast);
    expect(alpha?.countries).toEqual(["UK"]);
    expect(alpha?.directors).toEqual(["Catherine Hardwicke"]);
  });

  it("reports progress for every file", async () => {
    const dir = await dataDir({ "a.txt": page("A", 2000), "b.json": '[{"title": "B"}]', "c.txt": "" });
    const calls: [number, number][] = [];
    await loadDataDir(dir, { onProgress: (done, total) => calls.push([done, total]) });
    expect(calls.map(([done]) => done).sort()).toEqual([1, 2, 3]);
    expect(calls.every(([, total]) => total === 3)).toBe(true);
  });
});

describe("loadDataDir: files that are not film pages", () => {
  const HTML = [
    "<!DOCTYPE html>",
    '<html lang="en"><head><meta charset="utf-8"><title>Heat (1995) - IMDb</title></head>',
    "<body><h1>Heat</h1><p>Rating: 8.3/10</p></body></html>",
  ].join("\n");
  const NOTES = "Moderator notes\n\nRe-scrape the 1990s pages next week.\nAsk Sam about the duplicates.\n";
  const TITLE_ONLY = "Just A Title\n";

  it.each([
    ["on this thread", { pageWorkers: 0 }],
    ["on a page worker", { pageWorkers: 1 }],
  ])("skips markup and prose with an error, and keeps a title-only page with a warning, %s", async (_, options) => {
    const dir = await dataDir({
      "heat.txt": HTML,
      "notes.txt": NOTES,
      "title-only.txt": TITLE_ONLY,
      "good.txt": page("Good", 2010),
    });
    const result = await loadDataDir(dir, options);
    expect(titles(result)).toEqual(["Good", "Just A Title"]);
    expect(result.errors).toEqual([
      { file: "heat.txt", message: "not a film page: an HTML document" },
      { file: "notes.txt", message: expect.stringMatching(/^not a film page: no film fields/) },
    ]);
    expect(result.warnings).toEqual([{ file: "title-only.txt", message: "only a title line, no film fields" }]);
    expect(result.films.map(filmDetails).find((film) => film.title === "Just A Title")).toMatchObject({
      id: "just-a-title",
      source: "title-only.txt",
      cast: [],
    });
  });

  it("gives the same films, errors and warnings on page workers as on this thread, across ranges", async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 600; i++) files[`p/${String(i).padStart(3, "0")}.txt`] = page(`Film ${i}`, 1950 + (i % 70));
    files["p/010-title.txt"] = "Title Ten\n";
    files["p/300-notes.txt"] = NOTES;
    files["p/301-title.txt"] = "Title Three Hundred\n";
    files["p/302-heat.txt"] = HTML;
    files["p/599-title.txt"] = "Title Last\n";
    const dir = await dataDir(files);
    const main = await loadDataDir(dir, { pageWorkers: 0 });
    const threaded = await loadDataDir(dir, { pageWorkers: 2 });
    expect(threaded.films.every((film) => film instanceof PageFilm)).toBe(true);
    expect(threaded.films.map(filmDetails)).toEqual(main.films);
    expect(threaded.errors).toEqual(main.errors);
    expect(threaded.warnings).toEqual(main.warnings);
    expect(main.warnings?.map((warning) => warning.file)).toEqual([
      "p/010-title.txt",
      "p/301-title.txt",
      "p/599-title.txt",
    ]);
    expect(main.errors.map((error) => error.file)).toEqual(["p/300-notes.txt", "p/302-heat.txt"]);
  });
});

describe("loadDataDir: JSON and JSON Lines", () => {
  it("loads a JSON array, a single JSON object and JSON Lines", async () => {
    const dir = await dataDir({
      "list.json": JSON.stringify([{ title: "One", year: 2001 }, { title: "Two" }]),
      "single.json": JSON.stringify({ title: "Three", year: 2003 }),
      "lines.jsonl": `${JSON.stringify({ title: "Four" })}\n\n${JSON.stringify({ title: "Five", year: 2005 })}\n`,
    });
    const result = await loadDataDir(dir);
    expect(titles(result)).toEqual(["Four", "Five", "One", "Two", "Three"]);
    expect(result.films.find((film) => film.title === "Five")).toMatchObject({
      id: "five-2005",
      source: "lines.jsonl",
    });
    expect(result.errors).toEqual([]);
  });

  it("reports invalid JSON and records that are not films, keeping the good records", async () => {
    const dir = await dataDir({
      "broken.json": '[{"title": "One"},',
      "scalar.json": "42",
      "empty.json": "",
      "mixed.json": JSON.stringify([{ title: "Good" }, { title: "Bad Year", year: "1999" }, { nope: 1 }]),
    });
    const result = await loadDataDir(dir);
    expect(titles(result)).toEqual(["Good"]);
    expect(result.errors).toEqual([
      { file: "broken.json", message: expect.stringMatching(/^invalid JSON: /) },
      { file: "empty.json", message: "empty file" },
      { file: "mixed.json", message: 'record 2 ("Bad Year"): year: expected number, received string' },
      { file: "mixed.json", message: "record 3: title: expected string, received undefined" },
      { file: "scalar.json", message: "expected an array of film records or one record object, got number" },
    ]);
    expect(result.errors.every((error) => !error.message.includes("\n"))).toBe(true);
  });

  it("reports a bad JSON Lines line as file:line and loads the other lines", async () => {
    const lines = [
      JSON.stringify({ title: "One" }),
      "{not json",
      JSON.stringify({ title: 5 }),
      "",
      JSON.stringify({ title: "Four" }),
    ];
    const dir = await dataDir({ "sub/films.jsonl": lines.join("\r\n") });
    const result = await loadDataDir(dir);
    expect(titles(result)).toEqual(["One", "Four"]);
    expect(result.errors).toEqual([
      { file: "sub/films.jsonl:2", message: expect.stringMatching(/^invalid JSON: /) },
      { file: "sub/films.jsonl:3", message: "title: expected string, received number" },
    ]);
  });

  it("reads a JSON Lines file with a byte order mark", async () => {
    const dir = await dataDir({ "bom.jsonl": `\uFEFF${JSON.stringify({ title: "Bom" })}\n` });
    expect(titles(await loadDataDir(dir))).toEqual(["Bom"]);
  });

  it("caps the errors listed for one JSON Lines file", async () => {
    const dir = await dataDir({ "bad.jsonl": Array.from({ length: 80 }, () => "nope").join("\n") });
    const result = await loadDataDir(dir);
    expect(result.errors).toHaveLength(51);
    expect(result.errors.at(-1)).toEqual({ file: "bad.jsonl", message: "30 more bad lines not listed", unlisted: 30 });
  });

  it("stops reading a binary JSON Lines file", async () => {
    const dir = await dataDir({ "bin.jsonl": Buffer.from([0x7b, 0x00, 0x01, 0x0a, 0x00, 0x0a, 0x00]) });
    const result = await loadDataDir(dir);
    expect(result.errors).toEqual([
      { file: "bin.jsonl:1", message: "binary content; the rest of the file is skipped" },
    ]);
  });
});

/** Records with the cases the line rules cover, over more than one batch (256 records). */
function jsonLinesFiles(): Record<string, string | Buffer> {
  const records = Array.from({ length: 700 }, (_, i) =>
    JSON.stringify({
      title: `Record ${i}`,
      year: 1950 + (i % 70),
      rating: { score: (i % 90) / 10 + 1, votes: i * 7 },
      directors: [`Director ${i % 13}`],
      stars: [`Star ${i % 17}`, `Star ${(i + 1) % 17}`],
      cast: [{ name: `Star ${i % 17}`, role: "Someone" }, { name: `Extra ${i}` }],
      synopsis: `The story of record ${i}, with é and 日本 in it.`,
      trivia: i % 3 === 0 ? [`Fact ${i}`] : [],
      technicalSpecs: { Runtime: `${90 + (i % 60)} min` },
      // What the index, the merge and the popularity guess read besides: IMDb ids, other titles, genres, votes
      // missing, a critics' score.
      ...(i % 5 === 0 ? { imdbId: `tt${1_000_000 + i}` } : {}),
      ...(i % 4 === 0 ? { alternateTitles: [`Another Name ${i}`] } : {}),
      genres: i % 2 === 0 ? ["Drama", "Comedy"] : ["Drama"],
      ...(i % 7 === 0 ? { rating: null, criticScore: 70 } : {}),
    }),
  );
  records[10] = "{not json";
  records[20] = JSON.stringify({ title: 5 });
  records[30] = "";
  records[300] = JSON.stringify({ title: "Long Review", review: "r".repeat(30_000) });
  // Kept as the film written out, not as the line: a field the catalog does not read, a line with spaces around it.
  records[301] = JSON.stringify({ title: "Extra Field", year: 2001, budget: 15_000_000 });
  records[302] = `  ${JSON.stringify({ title: "  Padded  ", directors: [" A ", "a", ""] })}\u00a0`;
  return {
    "a.jsonl": `\uFEFF${records.join("\r\n")}`,
    "b.jsonl": records
      .slice(0, 50)
      .map((line) => line.replace("Record", "Other"))
      .join("\n"),
    "bin.jsonl": Buffer.concat([Buffer.from(`${JSON.stringify({ title: "Before" })}\n`), Buffer.from([0x7b, 0x00])]),
    "small.json": JSON.stringify([{ title: "Plain" }]),
    "page.txt": page("Page Film", 2001),
  };
}

/** What the index, the merge and the popularity guess read of a film, besides its summary. */
const indexed = (film: LoadedFilm): unknown => [
  normalizedTitleOf(film),
  film.imdbId,
  film.alternateTitles,
  genresOf(film),
  directorCountOf(film),
  recordRichness(film),
];

/** The films of jsonLinesFiles but its page (a page read here or on a worker differs in its richness: pageRichness). */
const recordsOnly = (films: readonly LoadedFilm[]): LoadedFilm[] => films.filter((film) => film.source !== "page.txt");

describe("loadDataDir: JSON Lines on the load workers", () => {
  it("gives the same films, errors and warnings as reading them on this thread", async () => {
    const dir = await dataDir(jsonLinesFiles());
    const main = await loadDataDir(dir, { pageWorkers: 0 });
    const threaded = await loadDataDir(dir, { pageWorkers: 2, jsonLinesOnWorkersFrom: 0 });
    const fromJsonLines = threaded.films.filter((film) => film.source.endsWith(".jsonl"));
    expect(fromJsonLines.length).toBeGreaterThan(700);
    // Most records are kept as their lines; those a line would not give back as is, as their films in JSON.
    expect(fromJsonLines.filter((film) => film instanceof RecordFilm).map((film) => film.title)).toEqual([
      "Long Review",
      "Extra Field",
      "Padded",
    ]);
    // Every film of one record is kept as bytes; merged ones (one IMDb id in both files) are plain records.
    const merged = fromJsonLines.filter((film) => film.source.includes(", "));
    expect(merged.length).toBeGreaterThan(0);
    expect(merged.every((film) => !(film instanceof KeptFilm))).toBe(true);
    const single = fromJsonLines.filter((film) => !merged.includes(film));
    expect(single.every((film) => film instanceof RecordLineFilm || film instanceof RecordFilm)).toBe(true);
    expect(threaded.films.map(filmDetails)).toEqual(main.films);
    // The same JSON, byte for byte (the CLI's `check --json` output): fields in the contract's order.
    expect(JSON.stringify(threaded.films.map(filmDetails))).toBe(JSON.stringify(main.films));
    expect(threaded.films.map(creditedNames)).toEqual(main.films.map(creditedNames));
    expect(threaded.films.map(triviaCountOf)).toEqual(main.films.map(triviaCountOf));
    expect(recordsOnly(threaded.films).map(indexed)).toEqual(recordsOnly(main.films).map(indexed));
    expect(threaded.errors).toEqual(main.errors);
    expect(threaded.warnings).toEqual(main.warnings);
    expect(main.errors.map((error) => error.file)).toEqual([
      "a.jsonl:11",
      "a.jsonl:21",
      "b.jsonl:11",
      "b.jsonl:21",
      "bin.jsonl:2",
    ]);
    expect(main.warnings.map((warning) => warning.file)).toEqual(["a.jsonl:301"]);
  });

  it("keeps a record's film as its record's bytes, and gives a new copy to change each time", async () => {
    const dir = await dataDir(jsonLinesFiles());
    const film = (await loadDataDir(dir, { jsonLinesOnWorkersFrom: 0 })).films.find(
      (loaded) => loaded.title === "Record 42",
    );
    expect(film).toBeInstanceOf(RecordLineFilm);
    expect("synopsis" in film!).toBe(false);
    const details = filmDetails(film!);
    details.cast.length = 0;
    expect(filmDetails(film!).cast).toEqual([
      { name: "Star 8", role: "Someone" },
      { name: "Extra 42", role: null },
    ]);
  });

  it("reads JSON Lines on this thread when a worker cannot start or dies", async () => {
    const dir = await dataDir(jsonLinesFiles());
    const main = await loadDataDir(dir, { pageWorkers: 0 });
    for (const module of ["./no-such-worker.mjs", "../support/dying-page-worker.mjs"]) {
      const loaded = await loadDataDir(dir, {
        pageWorkers: 1,
        jsonLinesOnWorkersFrom: 0,
        pageWorkerModule: new URL(module, import.meta.url),
      });
      expect(loaded.films.map(filmDetails)).toEqual(main.films);
      expect(loaded.errors).toEqual(main.errors);
    }
  });

  it("reads small JSON Lines files on this thread, as plain records", async () => {
    const dir = await dataDir(jsonLinesFiles());
    const loaded = await loadDataDir(dir, { pageWorkers: 1 });
    expect(loaded.films.some((film) => film instanceof RecordFilm)).toBe(false);
  });
});

/** Whether two loads' films hold the very same bytes (the same memory, not a copy). */
const sameBytes = (film: LoadedFilm, other: LoadedFilm | undefined): boolean =>
  film instanceof KeptFilm && other instanceof KeptFilm && film.sharesBytesWith(other);

/** A folder of 300 pages and 600 JSON Lines records (the records' lines, to change), loaded once on the workers. */
async function loadedOnWorkers() {
  const pages: Record<string, string> = {};
  for (let i = 0; i < 300; i++) pages[`p/${String(i).padStart(3, "0")}.txt`] = page(`Film ${i}`, 1950 + (i % 70));
  const records = Array.from({ length: 600 }, (_, i) => JSON.stringify({ title: `Record ${i}`, year: 2000 }));
  const dir = await dataDir({ ...pages, "films.jsonl": records.join("\n") });
  const options = { pageWorkers: 2, jsonLinesOnWorkersFrom: 0 };
  return { dir, records, options, first: await loadDataDir(dir, options) };
}

describe("loadDataDir: a reload's films that did not change", () => {
  it("keep the bytes they had; the others get their own", async () => {
    const { dir, records, options, first } = await loadedOnWorkers();
    const before = new Map(first.films.map((film) => [film.id, film]));
    // One record and one page change; one record moves to another file.
    records[5] = JSON.stringify({ title: "Record 5", year: 2000, genres: ["Drama"] });
    const moved = records.splice(7, 1)[0]!;
    await writeFile(join(dir, "films.jsonl"), records.join("\n"));
    await writeFile(join(dir, "moved.jsonl"), moved);
    await writeFile(join(dir, "p/010.txt"), page("Film 10", 1960).replace("Catherine Hardwicke", "Someone Else"));
    const second = await loadDataDir(dir, {
      ...options,
      previous: { films: first.films, get: (id) => before.get(id) },
    });
    const changed = new Set(["record-5-2000", "record-7-2000", "film-10-1960"]);
    for (const film of second.films) {
      const same = sameBytes(film, before.get(film.id));
      expect([film.id, same]).toEqual([film.id, !changed.has(film.id)]);
      // A film that did not change is kept as it was: the same object, made once.
      expect([film.id, film === before.get(film.id)]).toEqual([film.id, !changed.has(film.id)]);
    }
    expect(filmDetails(second.films.find((film) => film.id === "record-5-2000")!).genres).toEqual(["Drama"]);
    expect(filmDetails(second.films.find((film) => film.id === "film-10-1960")!).directors).toEqual(["Someone Else"]);
    const fresh = await loadDataDir(dir, options);
    expect(second.films.map(filmDetails)).toEqual(fresh.films.map(filmDetails));
    expect(second.films.map(creditedNames)).toEqual(fresh.films.map(creditedNames));
  });

  it("are read again, with their bytes, when the film a worker took for known is not the one replaced", async () => {
    const { dir, options, first } = await loadedOnWorkers();
    // Every digest is known, but no film is found by its id (as if each digest were another film's).
    const second = await loadDataDir(dir, { ...options, previous: { films: first.films, get: () => undefined } });
    expect(second.errors).toEqual([]);
    expect(second.films.map(filmDetails)).toEqual(first.films.map(filmDetails));
    expect(second.films.map(creditedNames)).toEqual(first.films.map(creditedNames));
    for (const film of second.films)
      expect(
        sameBytes(
          film,
          first.films.find((f) => f.id === film.id),
        ),
      ).toBe(false);
  });
});

/** Writes `lines` to `path`; a number is a line of that many bytes of a JSON string, written in chunks. */
async function writeLines(path: string, lines: readonly (string | number)[], separator = "\n"): Promise<void> {
  const file = await open(path, "w");
  const chunk = Buffer.alloc(1024 * 1024, "x");
  try {
    for (const [index, line] of lines.entries()) {
      if (index > 0) await file.write(separator);
      if (typeof line === "string") {
        await file.write(line);
        continue;
      }
      await file.write('{"title": "Huge", "synopsis": "');
      for (let left = line; left > 0; left -= chunk.length) await file.write(chunk, 0, Math.min(left, chunk.length));
      await file.write('"}');
    }
  } finally {
    await file.close();
  }
}

/** The most the heap grew over `baseline` while `task` ran, sampled every few milliseconds. */
async function peakHeapGrowth<T>(task: () => Promise<T>): Promise<{ result: T; growth: number }> {
  const baseline = process.memoryUsage().heapUsed;
  let peak = baseline;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 5);
  try {
    const result = await task();
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    return { result, growth: peak - baseline };
  } finally {
    clearInterval(timer);
  }
}

describe("loadDataDir: oversized record fields", () => {
  it("keeps records with over-long fields cut to their caps, with a warning per record naming file and line", async () => {
    const dir = await dataDir({
      "list.json": JSON.stringify([
        { title: "Fine" },
        { title: "Long Synopsis", synopsis: "s".repeat(5_000_000) },
        { title: "Big Cast", cast: Array.from({ length: 2_001 }, (_, i) => ({ name: `Actor ${i}` })) },
      ]),
      "one.json": JSON.stringify({ title: "Long Logline", logline: "l".repeat(2_001) }),
      "lines.jsonl": [
        JSON.stringify({ title: "Ok" }),
        JSON.stringify({ title: "Long Review", review: "r".repeat(30_000) }),
      ].join("\n"),
    });
    const result = await loadDataDir(dir);
    expect(titles(result)).toEqual(["Ok", "Long Review", "Fine", "Long Synopsis", "Big Cast", "Long Logline"]);
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([
      { file: "lines.jsonl:2", message: "review cut to 20,000 characters (was 30,000)" },
      { file: "list.json", message: 'record 2 ("Long Synopsis"): synopsis cut to 20,000 characters (was 5,000,000)' },
      { file: "list.json", message: 'record 3 ("Big Cast"): cast cut to 2,000 members (was 2,001)' },
      { file: "one.json", message: "logline cut to 2,000 characters (was 2,001)" },
    ]);
    expect(result.films.map(filmDetails).find((film) => film.title === "Long Synopsis")?.synopsis).toHaveLength(20_000);
  });

  it("caps the warnings listed for one file", async () => {
    const records = Array.from({ length: 80 }, (_, i) =>
      JSON.stringify({ title: `F${i}`, logline: "l".repeat(2_001) }),
    );
    const result = await loadDataDir(await dataDir({ "many.jsonl": records.join("\n") }));
    expect(result.films).toHaveLength(80);
    expect(result.warnings).toHaveLength(51);
    expect(result.warnings?.at(-1)).toEqual({
      file: "many.jsonl",
      message: "30 more records cut, not listed",
      unlisted: 30,
    });
  });
});

describe("loadDataDir: enormous lines", () => {
  it("skips a JSON Lines line of 300 MB without building it, and loads the other lines", async () => {
    const dir = await dataDir({});
    await writeLines(join(dir, "big.jsonl"), [
      JSON.stringify({ title: "One" }),
      JSON.stringify({ title: "Two" }),
      300 * 1024 * 1024,
      JSON.stringify({ title: "Four" }),
    ]);
    const { result, growth } = await peakHeapGrowth(() => loadDataDir(dir));
    expect(titles(result)).toEqual(["One", "Two", "Four"]);
    expect(result.errors).toEqual([{ file: "big.jsonl:3", message: "longer than 1.0 MB; skipped" }]);
    // The line itself would be 300 MB of heap; what is left is the load's own bookkeeping.
    expect(growth).toBeLessThan(64 * 1024 * 1024);
  }, 120_000);

  it("honours a smaller line limit, counting bytes without the line break, with CRLF, a BOM and no final break", async () => {
    const dir = await dataDir({});
    const atLimit = JSON.stringify({ title: "At Limit", synopsis: "é".repeat(20) });
    const limit = Buffer.byteLength(atLimit);
    await writeLines(
      join(dir, "films.jsonl"),
      [`\uFEFF${JSON.stringify({ title: "First" })}`, atLimit, limit, "", JSON.stringify({ title: "Last" })],
      "\r\n",
    );
    await writeLines(join(dir, "other.jsonl"), [limit + 1, JSON.stringify({ title: "Other" })]);
    const result = await loadDataDir(dir, { maxLineBytes: limit });
    expect(titles(result)).toEqual(["First", "At Limit", "Last", "Other"]);
    expect(result.errors).toEqual([
      { file: "films.jsonl:3", message: `longer than ${limit} B; skipped` },
      { file: "other.jsonl:1", message: `longer than ${limit} B; skipped` },
    ]);
  });

  it("refuses a .json file over its size limit by its size, without reading it", async () => {
    const dir = await dataDir({ "ok.json": JSON.stringify([{ title: "Ok" }]) });
    // A sparse file: 300 MB long, nothing written.
    await writeFile(join(dir, "huge.json"), "[");
    await truncate(join(dir, "huge.json"), 300 * 1024 * 1024);
    const { result, growth } = await peakHeapGrowth(() => loadDataDir(dir));
    expect(titles(result)).toEqual(["Ok"]);
    expect(result.errors).toEqual([
      { file: "huge.json", message: expect.stringMatching(/^file too large for \.json/) },
    ]);
    expect(growth).toBeLessThan(64 * 1024 * 1024);
  });
});

describe("loadDataDir: merging", () => {
  it("merges the same title and year from two files into one film with a note", async () => {
    const dir = await dataDir({
      "a/miss.txt": SEED,
      "b/miss.json": JSON.stringify({ title: "Miss You Already", year: 2015, genres: ["Drama"], runtimeMinutes: 112 }),
      "c/other.txt": page("Other Film", 2015),
    });
    const result = await loadDataDir(dir);
    expect(titles(result)).toEqual(["Miss You Already", "Other Film"]);
    expect(filmDetails(result.films[0]!)).toMatchObject({
      id: "miss-you-already-2015",
      genres: ["Drama"],
      runtimeMinutes: 112,
      source: "a/miss.txt, b/miss.json",
    });
    expect(filmDetails(result.films[0]!).cast).toHaveLength(15);
    expect(result.merges).toEqual([
      { id: "miss-you-already-2015", title: "Miss You Already", year: 2015, files: ["a/miss.txt", "b/miss.json"] },
    ]);
  });
});

describe("loadDataDir: the folder itself", () => {
  it("rejects a missing folder with one clear line", async () => {
    const missing = join(tmpdir(), "film-load-does-not-exist-4711");
    await expect(loadDataDir(missing)).rejects.toThrow(`data folder not found: ${missing}`);
    const error = await loadDataDir(missing).catch((reason: unknown) => reason);
    expect((error as Error).message).not.toContain("\n");
  });

  it("rejects a file given as the folder", async () => {
    const dir = await dataDir({ "a.txt": SEED });
    await expect(loadDataDir(join(dir, "a.txt"))).rejects.toThrow(/^not a folder: /);
  });

  it.skipIf(process.platform === "win32")(
    "skips a FIFO named like a page instead of waiting for a writer",
    async () => {
      const dir = await dataDir({ "a.txt": page("Real", 2000) });
      execFileSync("mkfifo", [join(dir, "pipe.txt")]);
      const result = await loadDataDir(dir);
      expect(titles(result)).toEqual(["Real"]);
      expect(result.filesRead).toBe(1);
    },
  );

  it("loads an empty folder as an empty catalog", async () => {
    const result = await loadDataDir(await dataDir({}));
    expect(result).toMatchObject({ films: [], errors: [], merges: [], filesRead: 0 });
  });

  it("follows a symbolic link to a folder once, even when it loops", async () => {
    const dir = await dataDir({ "real/a.txt": page("Linked", 2000) });
    await symlink(join(dir, "real"), join(dir, "alias"));
    await symlink(dir, join(dir, "real", "loop"));
    await symlink(join(dir, "gone.txt"), join(dir, "dangling.txt"));
    const result = await loadDataDir(dir);
    expect(titles(result)).toEqual(["Linked"]);
    expect(result.errors).toEqual([]);
  });
});
