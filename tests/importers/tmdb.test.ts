import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { filmDetails } from "../../src/catalog/pages/page-film.js";
import { loadDataDir } from "../../src/catalog/load.js";
import type { ProgressReporter } from "../../src/importers/progress.js";
import { TmdbAuthError } from "../../src/importers/tmdb-client.js";
import { matchSearchResults } from "../../src/importers/tmdb-match.js";
import type { MovieResult } from "../../src/importers/tmdb-payloads.js";
import type { TmdbRecord } from "../../src/importers/tmdb-record.js";
import { importTmdb, type TmdbImportOptions, type TmdbImportReport } from "../../src/importers/tmdb.js";
import { useWorkDir } from "../support/cli.js";
import { FakeTmdb } from "./fake-tmdb.js";
import {
  ALIEN,
  ALL_MOVIES,
  FIGHT_CLUB,
  HAMLET_A,
  HAMLET_B,
  HEAT,
  instantTime,
  MATRIX,
  OBSCURE,
  PRIMER,
  SOLARIS_1972,
} from "./tmdb-fixtures.js";

const workDir = useWorkDir("tmdb-import-");
let fake: FakeTmdb;

beforeEach(async () => {
  fake = await FakeTmdb.start({ movies: ALL_MOVIES });
});
afterEach(async () => {
  await fake.close();
});

async function idsFile(ids: (number | string)[]): Promise<string> {
  const path = join(workDir(), "ids.txt");
  await writeFile(path, ids.map(String).join("\n") + "\n");
  return path;
}

function options(overrides: Partial<TmdbImportOptions> & Pick<TmdbImportOptions, "selection">): TmdbImportOptions {
  const time = instantTime();
  return {
    out: join(workDir(), "data", "tmdb.jsonl"),
    credentials: { token: fake.token },
    baseUrl: fake.url,
    cacheDir: join(workDir(), "cache"),
    reportPath: join(workDir(), "report.json"),
    now: time.now,
    sleep: time.sleep,
    ...overrides,
  };
}

async function records(path: string): Promise<TmdbRecord[]> {
  const text = await readFile(path, "utf8");
  return text === ""
    ? []
    : text
        .trimEnd()
        .split("\n")
        .map((line) => JSON.parse(line) as TmdbRecord);
}

describe("importTmdb --ids", () => {
  it("writes one record per film in the file's order, with every field mapped from TMDb's payload", async () => {
    const out = join(workDir(), "data", "tmdb.jsonl");
    const report = await importTmdb(options({ selection: { kind: "ids", file: await idsFile([603, 550, 4242]) } }));
    expect(report.written).toBe(3);
    expect(report.requests.requests).toBe(3);
    const [matrix, fightClub, obscure] = await records(out);
    expect(fightClub!.title).toBe("Fight Club");
    expect(matrix).toEqual({
      id: "the-matrix-1999",
      title: "The Matrix",
      year: 1999,
      releaseDate: "1999-03-30",
      logline: null,
      synopsis: "Set in the 22nd century, The Matrix tells the story of a computer hacker.",
      rating: { score: 8.2, outOf: 10, votes: 26280 },
      criticScore: null,
      directors: ["Lana Wachowski", "Lilly Wachowski"],
      stars: ["Keanu Reeves", "Laurence Fishburne", "Carrie-Anne Moss"],
      cast: [
        { name: "Keanu Reeves", role: "Thomas A. Anderson / Neo" },
        { name: "Laurence Fishburne", role: "Morpheus" },
        { name: "Carrie-Anne Moss", role: "Trinity" },
        { name: "Hugo Weaving", role: "Agent Smith" },
        { name: "Uncredited Extra", role: null },
      ],
      countries: ["United States of America"],
      languages: ["English"],
      filmingLocations: null,
      genres: ["Action", "Science Fiction"],
      runtimeMinutes: 136,
      trivia: [],
      review: null,
      website: "http://www.warnerbros.com/matrix",
      technicalSpecs: {},
      source: "tmdb.jsonl",
      imdbId: "tt0133093",
      tmdbId: 603,
      poster: "https://image.tmdb.org/t/p/w500/poster603.jpg",
      tagline: "Welcome to the Real World.",
      // The theatrical release's, not the premiere's (empty) or the digital one's.
      certification: "R",
      // Every region's, so that a server's region (/settings) shows its own.
      certifications: { US: "R", GB: "15" },
      adult: false,
      // The region's titles only (the original language is English, so its country is the region too).
      alternateTitles: ["Matrix"],
      keywords: ["saving the world", "artificial intelligence (a.i.)", "simulated reality"],
      // Official before fan-made, then the larger.
      trailer: "https://www.youtube.com/watch?v=officialBig",
      watchProviders: {
        US: {
          link: "https://www.themoviedb.org/movie/603/watch?locale=US",
          streaming: ["Max", "Netflix"],
          rent: ["Apple TV"],
          buy: ["Apple TV", "Google Play Movies"],
        },
      },
    });
    expect(obscure).toMatchObject({
      title: "Une Petite Chose",
      year: null,
      releaseDate: null,
      rating: null,
      runtimeMinutes: null,
      imdbId: null,
      poster: null,
      tagline: null,
      certification: null,
      certifications: {},
      // The original title differs only in case: not an alternate title. The French title is the original
      // language's country's; the German one is neither that nor the region's.
      alternateTitles: ["Petite chose"],
      trailer: null,
      watchProviders: {},
      technicalSpecs: {},
    });
  });

  it("uses --region for certification, alternative titles and watch providers", async () => {
    const out = join(workDir(), "gb.jsonl");
    await importTmdb(options({ out, region: "GB", selection: { kind: "ids", file: await idsFile([603]) } }));
    const [matrix] = await records(out);
    expect(matrix!.certification).toBe("15");
    // English is the original language, so US titles count in any region.
    expect(matrix!.alternateTitles).toEqual(["Matrix"]);
    expect(matrix!.watchProviders).toEqual({
      GB: { link: "https://www.themoviedb.org/movie/603/watch?locale=GB", streaming: ["Sky Go"], rent: [], buy: [] },
    });
  });

  it("sends one details request per film with every section appended and the language", async () => {
    await importTmdb(options({ language: "fr-FR", selection: { kind: "ids", file: await idsFile([603]) } }));
    expect(fake.requests).toEqual([
      {
        path: "/movie/603",
        query: {
          append_to_response: "credits,release_dates,videos,alternative_titles,external_ids,keywords,watch/providers",
          language: "fr-FR",
        },
        status: 200,
      },
    ]);
  });

  it("reads TMDb's gzipped daily export, keeping only films at --min-popularity and not adult", async () => {
    const lines = [
      { adult: false, id: 603, original_title: "The Matrix", popularity: 80.5, video: false },
      { adult: false, id: 700, original_title: "Rarely Seen", popularity: 0.6, video: false },
      { adult: true, id: 701, original_title: "Adult", popularity: 99, video: false },
      { adult: false, id: 550, original_title: "Fight Club", popularity: 61.2, video: false },
      { adult: false, id: 603, original_title: "The Matrix", popularity: 80.5, video: false },
    ].map((line) => JSON.stringify(line));
    lines.splice(2, 0, "{not json", '{"id": "x"}');
    const path = join(workDir(), "movie_ids_05_15_2025.json.gz");
    await writeFile(path, gzipSync(lines.join("\n") + "\n"));
    const report = await importTmdb(options({ selection: { kind: "ids", file: path, minPopularity: 1 } }));
    expect(report.idsFile).toEqual({
      lines: 7,
      belowPopularity: 1,
      adult: 1,
      duplicates: 1,
      malformed: 2,
      malformedSamples: [
        { line: 3, reason: "invalid JSON" },
        { line: 4, reason: "expected an export line with a positive integer id" },
      ],
    });
    expect(fake.requests.map((request) => request.path)).toEqual(["/movie/603", "/movie/550"]);
    expect((await records(report.out)).map((record) => record.tmdbId)).toEqual([603, 550]);
  });

  it("authenticates with a v3 key as the api_key parameter, which is never cached or reported", async () => {
    const report = await importTmdb(
      options({ credentials: { apiKey: fake.apiKey }, selection: { kind: "ids", file: await idsFile([603]) } }),
    );
    expect(report.written).toBe(1);
    expect(fake.requests[0]!.query.api_key).toBe(fake.apiKey);
    const cached = await readdir(join(workDir(), "cache"), { recursive: true });
    const cacheText = await Promise.all(
      cached.filter((name) => name.endsWith(".json")).map((name) => readFile(join(workDir(), "cache", name), "utf8")),
    );
    expect(cacheText.join("")).not.toContain(fake.apiKey);
    expect(await readFile(join(workDir(), "report.json"), "utf8")).not.toContain(fake.apiKey);
  });

  it("lists a film TMDb does not have (404) and goes on", async () => {
    const report = await importTmdb(options({ selection: { kind: "ids", file: await idsFile([603, 99999, 550]) } }));
    expect(report.written).toBe(2);
    expect(report.notFound).toEqual([
      { tmdbId: 99999, reason: "not found on TMDb (The resource you requested could not be found.)" },
    ]);
  });
});

/** The Matrix with a malformed watch-providers entry for `region`. */
const brokenProviders = (region: string) => ({
  ...MATRIX,
  sections: {
    ...MATRIX.sections,
    "watch/providers": { results: { US: { link: "https://x", flatrate: [] }, [region]: { link: 7 } } },
  },
});

describe("importTmdb when TMDb misbehaves", () => {
  it("waits out a 429 for its Retry-After, then asks again", async () => {
    fake.failNext("/movie/603", { status: 429, retryAfter: "3" }, { status: 429, retryAfter: "1" });
    const time = instantTime();
    const report = await importTmdb(
      options({ now: time.now, sleep: time.sleep, selection: { kind: "ids", file: await idsFile([603]) } }),
    );
    expect(report.written).toBe(1);
    expect(fake.requestsTo("/movie/603").map((request) => request.status)).toEqual([429, 429, 200]);
    expect(time.sleeps).toContain(3000);
    expect(time.sleeps).toContain(1000);
    expect(report.requests).toMatchObject({ requests: 3, retried: 2 });
  });

  it("retries a 5xx with exponential backoff, then lists the film as failed and goes on", async () => {
    fake.failNext("/movie/603", { status: 502 });
    fake.failNext("/movie/550", { status: 503 }, { status: 500 }, { status: 503 }, { status: 504 }, { status: 503 });
    const time = instantTime();
    const report = await importTmdb(
      options({
        now: time.now,
        sleep: time.sleep,
        concurrency: 1,
        requestsPerSecond: 1e9,
        selection: { kind: "ids", file: await idsFile([603, 550]) },
      }),
    );
    expect(report.written).toBe(1);
    expect(report.failed).toEqual([{ tmdbId: 550, reason: "HTTP 503, gave up after 5 attempts" }]);
    expect(fake.requestsTo("/movie/603")).toHaveLength(2);
    expect(fake.requestsTo("/movie/550")).toHaveLength(5);
    expect(time.sleeps).toEqual([500, 500, 1000, 2000, 4000]);
  });

  it("retries a dropped connection", async () => {
    fake.failNext("/movie/603", { drop: true });
    const report = await importTmdb(options({ selection: { kind: "ids", file: await idsFile([603]) } }));
    expect(report.written).toBe(1);
    expect(fake.requestsTo("/movie/603")).toHaveLength(2);
  });

  it("lists a film whose response is malformed as failed, without caching it", async () => {
    fake.failNext("/movie/550", { malformed: true });
    const file = await idsFile([603, 550]);
    const report = await importTmdb(options({ selection: { kind: "ids", file } }));
    expect(report.written).toBe(1);
    expect(report.failed).toEqual([
      { tmdbId: 550, reason: expect.stringMatching(/^malformed response: id: expected number/) },
    ]);
    const again = await importTmdb(options({ selection: { kind: "ids", file } }));
    expect(again.written).toBe(2);
    expect(fake.requestsTo("/movie/550")).toHaveLength(2);
  });

  it("reads only --region's watch providers: a malformed entry for another country costs nothing", async () => {
    fake.addMovie({ ...brokenProviders("DE"), details: { ...MATRIX.details, id: 1 } });
    fake.addMovie({ ...brokenProviders("US"), details: { ...MATRIX.details, id: 2 } });
    const report = await importTmdb(options({ selection: { kind: "ids", file: await idsFile([1, 2]) } }));
    expect(report.written).toBe(1);
    expect(report.failed).toEqual([
      {
        tmdbId: 2,
        reason: expect.stringMatching(/^malformed response: watch\/providers\.results\.US\.link: expected string/),
      },
    ]);
  });

  it("stops at once on a rejected token, leaving any previous output as it was", async () => {
    const out = join(workDir(), "data", "tmdb.jsonl");
    await mkdir(join(workDir(), "data"));
    await writeFile(out, "previous\n");
    const ids = Array.from({ length: 200 }, (_, index) => 1000 + index);
    const run = importTmdb(
      options({ credentials: { token: "wrong" }, selection: { kind: "ids", file: await idsFile(ids) } }),
    );
    await expect(run).rejects.toThrow(TmdbAuthError);
    await expect(run).rejects.toThrow("Invalid API key: You must be granted a valid key.");
    // The workers that had a request in flight, no more.
    expect(fake.requestCount).toBeLessThanOrEqual(8);
    expect(await readFile(out, "utf8")).toBe("previous\n");
    expect((await readdir(join(workDir(), "data"))).sort()).toEqual(["tmdb.jsonl"]);
  });
});

describe("importTmdb cache", () => {
  it("answers a second run from the cache without a request, and refetches what is older than --max-age", async () => {
    const file = await idsFile([603, 550, 99999]);
    const time = instantTime();
    const first = await importTmdb(options({ now: time.now, sleep: time.sleep, selection: { kind: "ids", file } }));
    const firstOutput = await readFile(first.out, "utf8");
    expect(fake.requestCount).toBe(3);

    time.advance(10 * 24 * 3600_000);
    const second = await importTmdb(options({ now: time.now, sleep: time.sleep, selection: { kind: "ids", file } }));
    expect(fake.requestCount).toBe(3);
    expect(second.requests).toMatchObject({ requests: 0, fromCache: 3 });
    expect(second.notFound).toHaveLength(1);
    expect(await readFile(second.out, "utf8")).toBe(firstOutput);

    const third = await importTmdb(
      options({ now: time.now, sleep: time.sleep, maxAgeMs: 7 * 24 * 3600_000, selection: { kind: "ids", file } }),
    );
    expect(fake.requestCount).toBe(6);
    expect(third.requests).toMatchObject({ requests: 3, fromCache: 0 });
  });

  it("fetches only the new ids of a longer list", async () => {
    await importTmdb(options({ selection: { kind: "ids", file: await idsFile([603]) } }));
    const report = await importTmdb(options({ selection: { kind: "ids", file: await idsFile([603, 550]) } }));
    expect(report.requests).toMatchObject({ requests: 1, fromCache: 1 });
    expect(fake.requests.map((request) => request.path)).toEqual(["/movie/603", "/movie/550"]);
  });
});

/** Aborts the run once `after` films are done. */
function abortAfter(after: number, controller: AbortController): ProgressReporter {
  return {
    startFile() {},
    advance(done) {
      if (done >= after) controller.abort();
    },
    finishFile() {},
  };
}

describe("importTmdb interrupted", () => {
  it("keeps a valid file of the films done so far, which a re-run completes from the cache", async () => {
    const ids = ALL_MOVIES.map((movie) => movie.details.id);
    const file = await idsFile(ids);
    const controller = new AbortController();
    const first = await importTmdb(
      options({
        concurrency: 1,
        signal: controller.signal,
        progress: abortAfter(3, controller),
        selection: { kind: "ids", file },
      }),
    );
    expect(first.interrupted).toBe(true);
    expect(first.written).toBe(3);
    const text = await readFile(first.out, "utf8");
    expect(text.endsWith("\n")).toBe(true);
    expect((await records(first.out)).map((record) => record.tmdbId)).toEqual(ids.slice(0, 3));
    expect(fake.requestCount).toBe(3);

    const second = await importTmdb(options({ selection: { kind: "ids", file } }));
    expect(second.interrupted).toBe(false);
    expect(second.written).toBe(ids.length);
    expect(second.requests).toMatchObject({ requests: ids.length - 3, fromCache: 3 });
    expect((await records(second.out)).map((record) => record.tmdbId)).toEqual(ids);
  });

  it("leaves only complete lines when stopped with many requests in flight", async () => {
    fake.setLatency(5);
    const ids = Array.from({ length: 60 }, (_, index) => index + 1);
    for (const id of ids) fake.addMovie({ ...MATRIX, details: { ...MATRIX.details, id, title: `Film ${id}` } });
    const controller = new AbortController();
    const report = await importTmdb(
      options({
        signal: controller.signal,
        progress: abortAfter(20, controller),
        selection: { kind: "ids", file: await idsFile(ids) },
      }),
    );
    expect(report.interrupted).toBe(true);
    const written = await records(report.out);
    expect(written.length).toBe(report.written);
    expect(written.length).toBeLessThan(ids.length);
    expect(written.map((record) => record.tmdbId)).toEqual(ids.slice(0, written.length));
  });
});

describe("importTmdb --enrich", () => {
  const CATALOG = [
    // By IMDb id (the IMDb importer's field), under the catalog's own spelling of the title.
    { title: "Heat", year: 1995, technicalSpecs: { "IMDb ID": "tt0113277" } },
    // By title and year.
    { title: "Alien", year: 1979 },
    // The 2002 remake is more than a year off.
    { title: "Solaris", year: 1972 },
    // Two TMDb films of that title and year: listed, not guessed.
    { title: "Hamlet", year: 1990 },
    { title: "No Such Film", year: 2001 },
    { title: "The Matrix" },
    // TMDb does not know this IMDb id; the title and year still find the film.
    { title: "Primer", year: 2004, technicalSpecs: { "IMDb ID": "tt0390384" } },
  ];

  async function catalogDir(): Promise<string> {
    const dir = join(workDir(), "catalog");
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "films.jsonl"), CATALOG.map((film) => JSON.stringify(film)).join("\n") + "\n");
    return dir;
  }

  let report: TmdbImportReport;
  let dir: string;
  beforeEach(async () => {
    dir = await catalogDir();
    report = await importTmdb(options({ out: join(dir, "tmdb.jsonl"), selection: { kind: "enrich", dataDir: dir } }));
  });

  it("matches by IMDb id, else by title and year, and lists the unmatched and ambiguous films", () => {
    expect(report.matched).toEqual({ byTmdbId: 0, byImdbId: 1, byTitleAndYear: 3 });
    expect(report.written).toBe(4);
    expect(report.unmatched).toEqual([
      { catalogId: "no-such-film-2001", title: "No Such Film", year: 2001, reason: "TMDb found no film by this title" },
      {
        catalogId: "the-matrix",
        title: "The Matrix",
        year: null,
        reason: "no IMDb id and no year to check a title match",
      },
    ]);
    expect(report.ambiguous).toEqual([
      {
        catalogId: "hamlet-1990",
        title: "Hamlet",
        year: 1990,
        reason: "2 TMDb films fit equally well",
        candidates: [
          { tmdbId: HAMLET_A.details.id, title: "Hamlet", year: 1990 },
          { tmdbId: HAMLET_B.details.id, title: "Hamlet", year: 1990 },
        ],
      },
    ]);
    expect(report.catalog).toEqual({ dir, films: 7, fromOutput: 0, loadErrors: 0 });
  });

  it("asks /find for an IMDb id and /search/movie with the title and year", () => {
    expect(fake.requestsTo("/find/tt0113277")[0]!.query).toEqual({ external_source: "imdb_id" });
    expect(fake.requestsTo("/search/movie").map((request) => request.query)).toContainEqual({
      query: "Alien",
      year: "1979",
      include_adult: "false",
      language: "en-US",
      page: "1",
    });
    expect(fake.requestsTo("/movie/2103")).toHaveLength(0);
  });

  it("writes records under the catalog's titles and ids, which the loader merges with the catalog's films", async () => {
    const written = await records(join(dir, "tmdb.jsonl"));
    expect(written.map((record) => [record.id, record.tmdbId])).toEqual([
      ["heat-1995", HEAT.details.id],
      ["alien-1979", ALIEN.details.id],
      ["solaris-1972", SOLARIS_1972.details.id],
      ["primer-2004", PRIMER.details.id],
    ]);
    const loaded = await loadDataDir(dir);
    expect(loaded.errors).toEqual([]);
    expect(loaded.films).toHaveLength(CATALOG.length);
    const alien = filmDetails(loaded.films.find((film) => film.id === "alien-1979")!);
    expect(alien.source).toBe("films.jsonl, tmdb.jsonl");
    expect(alien.cast[0]).toEqual({ name: "Lead of Alien", role: "Lead" });
  });

  it("answers a second run from the cache and leaves out films that only the output file holds", async () => {
    const requests = fake.requestCount;
    await writeFile(
      join(dir, "tmdb.jsonl"),
      (await readFile(join(dir, "tmdb.jsonl"), "utf8")) +
        JSON.stringify({ title: "Only In Output", year: 2010 }) +
        "\n",
    );
    const again = await importTmdb(
      options({ out: join(dir, "tmdb.jsonl"), selection: { kind: "enrich", dataDir: dir } }),
    );
    expect(fake.requests.slice(requests)).toEqual([]);
    expect(again.catalog?.fromOutput).toBe(1);
    expect(again.written).toBe(4);
    // Each written film is merged with the output's record of it, which gives its TMDb id: no lookup is made again.
    expect(again.matched).toEqual({ byTmdbId: 4, byImdbId: 0, byTitleAndYear: 0 });
  });
});

describe("the output loads as a catalog", () => {
  it("loads with loadDataDir into films with TMDb's titles, years and casts", async () => {
    const dir = join(workDir(), "data");
    await importTmdb(
      options({ out: join(dir, "tmdb.jsonl"), selection: { kind: "ids", file: await idsFile([603, 550, 4242]) } }),
    );
    const loaded = await loadDataDir(dir);
    expect(loaded.errors).toEqual([]);
    expect(loaded.films.map((film) => [film.title, film.year])).toEqual([
      ["The Matrix", 1999],
      ["Fight Club", 1999],
      ["Une Petite Chose", null],
    ]);
    expect(filmDetails(loaded.films[1]!).cast).toEqual([
      { name: "Edward Norton", role: "Narrator" },
      { name: "Brad Pitt", role: "Tyler Durden" },
      { name: "Helena Bonham Carter", role: "Marla Singer" },
    ]);
    expect(FIGHT_CLUB.details.title).toBe("Fight Club");
    expect(OBSCURE.details.id).toBe(4242);
  });
});

const result = (id: number, title: string, release_date: string, original_title = title): MovieResult => ({
  id,
  title,
  original_title,
  release_date,
});

describe("matchSearchResults", () => {
  it.each([
    ["the only equal title", "Alien", 1979, [result(1, "Alien", "1979-05-25"), result(2, "Aliens", "1986-07-18")], 1],
    ["an equal title a year off", "Amélie", 2002, [result(3, "Amelie", "2001-04-25")], 3],
    [
      "an equal original title",
      "Le Fabuleux Destin d'Amélie Poulain",
      2001,
      [result(3, "Amélie", "2001-04-25", "Le Fabuleux Destin d'Amélie Poulain")],
      3,
    ],
    [
      "the exact year before one a year off",
      "Hamlet",
      1990,
      [result(4, "Hamlet", "1991-01-01"), result(5, "Hamlet", "1990-12-19")],
      5,
    ],
    ["roman numerals and punctuation", "Rocky II", 1979, [result(6, "Rocky 2", "1979-06-15")], 6],
    [
      "the only film of that year whose title holds the query",
      "Star Wars",
      1977,
      [
        result(11, "Star Wars: Episode IV – A New Hope", "1977-05-25"),
        result(12, "Star Wars: The Empire Strikes Back", "1980-05-20"),
      ],
      11,
    ],
  ])("accepts %s", (_, title, year, results, id) => {
    expect(matchSearchResults({ title, year }, results)).toEqual({
      kind: "matched",
      result: results.find((candidate) => candidate.id === id),
    });
  });

  it.each([
    ["no result", "Nothing", 2000, [], "unmatched"],
    ["a title two years off", "Solaris", 1972, [result(7, "Solaris", "1974-01-01")], "unmatched"],
    ["a different title of the same year", "Heat", 1995, [result(8, "Casino", "1995-11-22")], "unmatched"],
    ["a result without a date", "Heat", 1995, [result(8, "Heat", "")], "unmatched"],
    [
      "two equal titles of the same year",
      "Hamlet",
      1990,
      [result(9, "Hamlet", "1990-01-01"), result(10, "Hamlet", "1990-06-01")],
      "ambiguous",
    ],
    [
      "two equal titles, each a year off",
      "Hamlet",
      1990,
      [result(9, "Hamlet", "1989-01-01"), result(10, "Hamlet", "1991-06-01")],
      "ambiguous",
    ],
    [
      "a containing title that is not alone in its year",
      "Star Wars",
      1977,
      [
        result(11, "Star Wars: Episode IV – A New Hope", "1977-05-25"),
        result(13, "The Making of Star Wars", "1977-09-16"),
      ],
      "ambiguous",
    ],
    ["words that only share letters", "Heat", 1995, [result(14, "Heathers", "1995-01-01")], "unmatched"],
  ])("does not accept %s", (_, title, year, results, kind) => {
    expect(matchSearchResults({ title, year }, results).kind).toBe(kind);
  });
});
