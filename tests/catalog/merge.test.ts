import { copyFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emptyFilm, emptyPlainFilm, type Film, type WatchOffers } from "../../src/catalog/film.js";
import { filmDetails } from "../../src/catalog/pages/page-film.js";
import { loadDataDir } from "../../src/catalog/load.js";
import { mergeFilms, mergeTwo } from "../../src/catalog/merge.js";
import { filmId } from "../../src/catalog/normalize.js";
import { runCatalogCli } from "../../src/cli/catalog.js";

function film(title: string, year: number | null, source: string, fields: Partial<Film> = {}): Film {
  return { ...emptyFilm(title, source), id: filmId(title, year), year, ...fields };
}

const castOf = (...members: [string, string | null][]) => members.map(([name, role]) => ({ name, role }));

describe("mergeFilms", () => {
  it("leaves distinct films alone, in order, with no notes", () => {
    const films = [film("A", 2001, "a.txt"), film("B", 2002, "b.txt"), film("A", 2003, "c.txt")];
    const result = mergeFilms(films);
    expect(result.films).toEqual(films);
    expect(result.merges).toEqual([]);
  });

  it("merges records of the same normalized title and year into one film with a note", () => {
    const a = film("Miss You Already", 2015, "a.txt", { synopsis: "Short." });
    const b = film("miss you already!", 2015, "sub/b.json", { logline: "Two friends." });
    const other = film("Other", 2015, "c.txt");
    const result = mergeFilms([a, other, b]);
    expect(result.films.map((f) => f.title)).toEqual(["Miss You Already", "Other"]);
    expect(result.films[0]).toMatchObject({ synopsis: "Short.", logline: "Two friends.", source: "a.txt, sub/b.json" });
    expect(result.merges).toEqual([
      { id: "miss-you-already-2015", title: "Miss You Already", year: 2015, files: ["a.txt", "sub/b.json"] },
    ]);
  });

  it("keeps two films of one title and year apart when their IMDb ids differ", () => {
    const a = film("Hamlet", 1948, "imdb.jsonl", { imdbId: "tt0040416" });
    const b = film("Hamlet", 1948, "imdb.jsonl", { id: "hamlet-1948-tt9999999", imdbId: "tt9999999" });
    const result = mergeFilms([a, b]);
    expect(result.films).toEqual([a, b]);
    expect(result.merges).toEqual([]);
  });

  it("merges records of one IMDb id whatever their titles and years, the other title kept as an alternate", () => {
    const page = film("Le Fabuleux Destin d'Amélie Poulain", 2001, "amelie.txt", {
      imdbId: "tt0211915",
      trivia: ["x"],
      logline: "y",
    });
    const imdb = film("Amélie", 2002, "imdb.jsonl", { imdbId: "tt0211915" });
    const result = mergeFilms([imdb, film("Other", 2001, "o.txt"), page]);
    expect(result.films.map((f) => f.title)).toEqual(["Le Fabuleux Destin d'Amélie Poulain", "Other"]);
    expect(filmDetails(result.films[0]!)).toMatchObject({ year: 2001, alternateTitles: ["Amélie"] });
    expect(result.merges[0]!.files).toEqual(["imdb.jsonl", "amelie.txt"]);
  });

  it("joins a record without an IMDb id to the film of its title and year that has one", () => {
    const vega = film("Amelie", 2001, "vega-movies.jsonl", { genres: ["Comedy"] });
    const imdb = film("Amélie", 2001, "imdb.jsonl", { imdbId: "tt0211915" });
    const page = film("Le Fabuleux Destin d'Amélie Poulain", 2001, "amelie.txt", { imdbId: "tt0211915" });
    const result = mergeFilms([vega, page, imdb]);
    expect(result.films).toHaveLength(1);
    expect(result.merges[0]!.files).toEqual(["vega-movies.jsonl", "amelie.txt", "imdb.jsonl"]);
  });

  it("leaves a record without an IMDb id alone when its title and year belong to several", () => {
    const result = mergeFilms([
      film("Hamlet", 1948, "vega-movies.jsonl"),
      film("Hamlet", 1948, "imdb.jsonl", { imdbId: "tt0040416" }),
      film("Hamlet", 1948, "imdb.jsonl", { id: "hamlet-1948-tt9999999", imdbId: "tt9999999" }),
    ]);
    expect(result.films).toHaveLength(3);
    expect(result.merges).toEqual([]);
  });

  it("does not merge the same title in different years (remakes)", () => {
    const result = mergeFilms([film("Dune", 1984, "a.txt"), film("Dune", 2021, "b.txt"), film("Dune", null, "c.txt")]);
    expect(result.films).toHaveLength(3);
    expect(result.merges).toEqual([]);
  });

  it("keeps the richest record's title and id", () => {
    const poor = film("AMELIE", 2001, "a.json");
    const rich = film("Amélie", 2001, "b.txt", { logline: "x", synopsis: "y", directors: ["Jean-Pierre Jeunet"] });
    const result = mergeFilms([poor, rich]);
    expect(result.films[0]!.title).toBe("Amélie");
    expect(result.films[0]!.source).toBe("a.json, b.txt");
    expect(result.merges[0]!.files).toEqual(["a.json", "b.txt"]);
  });

  it("merges three records and lists every file once", () => {
    const result = mergeFilms([
      film("X", 2000, "a.txt"),
      film("X", 2000, "b.txt"),
      film("X", 2000, "a.txt", { review: "r" }),
    ]);
    expect(result.films).toHaveLength(1);
    expect(filmDetails(result.films[0]!).review).toBe("r");
    expect(result.merges[0]!.files).toEqual(["a.txt", "b.txt"]);
    expect(result.films[0]!.source).toBe("a.txt, b.txt");
  });

  it("does not change the films it is given", () => {
    const a = film("X", 2000, "a.txt", { directors: ["A"], cast: [{ name: "Ann", role: null }] });
    const b = film("X", 2000, "b.txt", { directors: ["B"], cast: [{ name: "Ann", role: "Queen" }] });
    const before = structuredClone([a, b]);
    mergeFilms([a, b]);
    expect([a, b]).toEqual(before);
  });

  it("gives a film whose explicit id is taken by another film its computed id", () => {
    const a = film("First", 2000, "a.json", { id: "shared-id" });
    const b = film("Second", 2000, "b.json", { id: "shared-id" });
    const c = film("Third", 2000, "c.json", { id: "second-2000" });
    const result = mergeFilms([a, b, c]);
    expect(result.films.map((f) => f.id)).toEqual(["shared-id", "second-2000", "third-2000"]);
  });

  it("points a merge note at the film's final id", () => {
    const a = film("First", 2000, "a.json", { id: "shared-id" });
    const b1 = film("Second", 2000, "b.json", { id: "shared-id" });
    const b2 = film("Second", 2000, "c.json", { id: "shared-id" });
    const result = mergeFilms([a, b1, b2]);
    expect(result.films.map((f) => f.id)).toEqual(["shared-id", "second-2000"]);
    expect(result.merges).toEqual([{ id: "second-2000", title: "Second", year: 2000, files: ["b.json", "c.json"] }]);
  });

  it("numbers an id when even the computed one is taken", () => {
    const a = film("First", 2000, "a.json", { id: "second-2000" });
    const b = film("Second", 2000, "b.json", { id: "second-2000" });
    expect(mergeFilms([a, b]).films.map((f) => f.id)).toEqual(["second-2000", "second-2000-2"]);
  });
});

function offers(link: string | null, streaming: string[], rent: string[] = []): WatchOffers {
  return { link, streaming, rent, buy: [] };
}

describe("mergeTwo: field by field", () => {
  const base = film("Miss You Already", 2015, "a.txt", {
    releaseDate: null,
    logline: "Two friends are tested.",
    synopsis: "Short.",
    rating: { score: 6.6, outOf: 10, votes: 567 },
    criticScore: null,
    directors: ["Catherine Hardwicke"],
    stars: ["Drew Barrymore", "Toni Collette"],
    cast: [
      { name: "Drew Barrymore", role: "Jess" },
      { name: "Joanna Bobin", role: null },
    ],
    countries: ["UK"],
    genres: [],
    trivia: ["Jennifer Aniston was originally cast."],
    review: "A long and thoughtful review of the film.",
    technicalSpecs: { Runtime: "112 min" },
  });
  const other = film("Miss You Already", 2015, "b.json", {
    releaseDate: "2015-11-06",
    logline: "Friends.",
    synopsis: "A much longer synopsis of the film.",
    rating: { score: 6.7, outOf: 10, votes: 1200 },
    criticScore: 46,
    directors: ["catherine hardwicke"],
    stars: ["Toni Collette", "Dominic Cooper"],
    cast: [
      { name: "JOANNA BOBIN", role: "Jo" },
      { name: "Dominic Cooper", role: "Kit" },
    ],
    countries: ["UK", "USA"],
    genres: ["Drama"],
    trivia: ["Jennifer Aniston was originally cast!", "Filmed in London."],
    review: "Short review.",
    runtimeMinutes: 112,
    website: "https://missyoualready.com",
    technicalSpecs: { runtime: "113 min", "Sound Mix": "Dolby" },
  });
  const merged = mergeTwo(base, other);

  it("takes a value over null", () => {
    expect(merged.releaseDate).toBe("2015-11-06");
    expect(merged.criticScore).toBe(46);
    expect(merged.runtimeMinutes).toBe(112);
    expect(merged.website).toBe("https://missyoualready.com");
  });

  it("takes the longer text", () => {
    expect(merged.logline).toBe("Two friends are tested.");
    expect(merged.synopsis).toBe("A much longer synopsis of the film.");
    expect(merged.review).toBe("A long and thoughtful review of the film.");
  });

  it("takes the rating with more votes", () => {
    expect(merged.rating).toEqual({ score: 6.7, outOf: 10, votes: 1200 });
  });

  it("unions lists without duplicates, comparing names by normalized form", () => {
    expect(merged.directors).toEqual(["Catherine Hardwicke"]);
    expect(merged.stars).toEqual(["Drew Barrymore", "Toni Collette", "Dominic Cooper"]);
    expect(merged.countries).toEqual(["UK", "USA"]);
    expect(merged.genres).toEqual(["Drama"]);
    expect(merged.trivia).toEqual(["Jennifer Aniston was originally cast.", "Filmed in London."]);
  });

  it("unions the cast by name and fills a missing role", () => {
    expect(merged.cast).toEqual([
      { name: "Drew Barrymore", role: "Jess" },
      { name: "Joanna Bobin", role: "Jo" },
      { name: "Dominic Cooper", role: "Kit" },
    ]);
  });

  it("keeps every source's roles of one person: added with a slash, never repeated or shortened", () => {
    const unforgiven = film("Unforgiven", 1992, "a.json", { cast: castOf(["Clint Eastwood", "Will Munny"]) });
    const withCast = (...members: [string, string | null][]): Film => ({ ...unforgiven, cast: castOf(...members) });
    // Another part, by a name differing in case, accents and spacing: one person, both parts.
    expect(mergeTwo(unforgiven, withCast(["CLÍNT  EASTWOOD", "Narrator"])).cast).toEqual(
      castOf(["Clint Eastwood", "Will Munny / Narrator"]),
    );
    // The same part again, or a shorter form of it, adds nothing; a longer form replaces the shorter.
    const again = mergeTwo(unforgiven, withCast(["Clint Eastwood", "will munny"]));
    expect(mergeTwo(again, withCast(["clint eastwood", "Munny"])).cast).toEqual(unforgiven.cast);
    expect(mergeTwo(withCast(["Clint Eastwood", "Walt"]), unforgiven).cast).toEqual(
      castOf(["Clint Eastwood", "Walt / Will Munny"]),
    );
    expect(mergeTwo(withCast(["Clint Eastwood", "Walt"]), withCast(["Clint Eastwood", "Walt Kowalski"])).cast).toEqual(
      castOf(["Clint Eastwood", "Walt Kowalski"]),
    );
    // A person listed twice (two parts) keeps both entries; a part one of them has already is not added.
    const twice = withCast(["Peter Sellers", "Mandrake"], ["Peter Sellers", "Muffley"]);
    expect(mergeTwo(twice, withCast(["Peter Sellers", "Muffley"])).cast).toEqual(twice.cast);
    expect(mergeTwo(twice, withCast(["Peter Sellers", "Strangelove"])).cast).toEqual(
      castOf(["Peter Sellers", "Mandrake / Strangelove"], ["Peter Sellers", "Muffley"]),
    );
  });

  it("unions technical specs, the base winning a key both have", () => {
    expect(merged.technicalSpecs).toEqual({ Runtime: "112 min", "Sound Mix": "Dolby" });
  });

  it("takes the first known id, link, tagline and certification, and unions keywords and alternate titles", () => {
    const rich = mergeTwo(
      { ...base, imdbId: "tt4139124", tagline: "Friends.", alternateTitles: ["Mes meilleures amies"] },
      {
        ...other,
        title: "Miss You Already!",
        imdbId: "tt0000001",
        tmdbId: 301502,
        poster: "https://example.com/p.jpg",
        tagline: "Another tagline.",
        certification: "PG-13",
        alternateTitles: ["MES MEILLEURES AMIES", "Du fehlst mir"],
        keywords: ["friendship"],
        trailer: "https://example.com/t",
      },
    );
    expect(rich).toMatchObject({
      imdbId: "tt4139124",
      tmdbId: 301502,
      poster: "https://example.com/p.jpg",
      tagline: "Friends.",
      certification: "PG-13",
      // "Miss You Already!" is the base's own title, normalized: not another title.
      alternateTitles: ["Mes meilleures amies", "Du fehlst mir"],
      keywords: ["friendship"],
      trailer: "https://example.com/t",
    });
  });

  it("makes a merged record's other title an alternate title of the base", () => {
    expect(mergeTwo(base, { ...other, title: "Mes meilleures amies" }).alternateTitles).toEqual([
      "Mes meilleures amies",
    ]);
  });

  it("merges watch providers region by region", () => {
    const both = mergeTwo(
      { ...base, watchProviders: { US: offers(null, ["Netflix"]), GB: offers("https://example.com/gb", ["BBC"]) } },
      {
        ...other,
        watchProviders: {
          US: offers("https://example.com/us", ["netflix", "Hulu"], ["Apple TV"]),
          FR: offers(null, ["Canal+"]),
        },
      },
    );
    expect(both.watchProviders).toEqual({
      US: offers("https://example.com/us", ["Netflix", "Hulu"], ["Apple TV"]),
      GB: offers("https://example.com/gb", ["BBC"]),
      FR: offers(null, ["Canal+"]),
    });
  });

  it("merges certifications region by region, the base first, and keeps an adult flag from either", () => {
    const both = mergeTwo(
      { ...base, certifications: { US: "R", GB: "15" } },
      { ...other, certifications: { GB: "18", FR: "-12" }, adult: true },
    );
    expect(both.certifications).toEqual({ US: "R", GB: "15", FR: "-12" });
    expect(both.adult).toBe(true);
    expect(mergeTwo(base, other).adult).toBe(false);
  });

  it("keeps the base's identity", () => {
    expect(merged.id).toBe(base.id);
    expect(merged.title).toBe(base.title);
    expect(merged.source).toBe("a.txt");
  });
});

const titlesOf = (...films: Film[]) => mergeFilms(films).films.map((f) => f.title);

describe("which records are one film", () => {
  it("is the normalized title and the year", () => {
    expect(titlesOf(film("Amélie", 2001, "a"), film("AMELIE!", 2001, "b"))).toEqual(["Amélie"]);
    expect(titlesOf(film("Rocky II", 1979, "a"), film("Rocky 2", 1979, "b"))).toEqual(["Rocky II"]);
    expect(titlesOf(film("Amélie", 2001, "a"), film("Amélie", null, "b"))).toEqual(["Amélie", "Amélie"]);
  });

  it("tells the years of one title apart however many there are, and in any order", () => {
    const years = [2001, null, 1990, 2001, 1990, 2020, null, 2020];
    const result = mergeFilms(years.map((year, i) => film("Same", year, `${i}.txt`)));
    expect(result.films.map((f) => f.source)).toEqual(["0.txt, 3.txt", "1.txt, 6.txt", "2.txt, 4.txt", "5.txt, 7.txt"]);
  });

  it("keys a title that normalizes to nothing by the title as written", () => {
    expect(titlesOf(film("!!!", 2001, "a"), film("???", 2001, "b"), film("!!!", 2001, "c"))).toEqual(["!!!", "???"]);
  });
});

// ─── Three sources of one film, loaded from one data folder ──────────────────────────────────────────────────────

describe("merging a TMDb record, an IMDb record and a scraped page of one film", () => {
  const IMDB_ID = "tt0133093";
  /** As `catalog import tmdb` writes it: TMDb's cast with characters, poster, links, few votes. */
  const tmdb: Film = {
    ...emptyFilm("The Matrix", "tmdb.jsonl"),
    id: "the-matrix-1999",
    year: 1999,
    synopsis: "Set in the 22nd century, The Matrix tells the story of a computer hacker.",
    rating: { score: 8.2, outOf: 10, votes: 26_000 },
    cast: [
      { name: "Keanu Reeves", role: "Thomas A. Anderson / Neo" },
      { name: "Laurence Fishburne", role: "Morpheus" },
    ],
    imdbId: IMDB_ID,
    tmdbId: 603,
    poster: "https://image.tmdb.org/t/p/w500/f89U3ADr1oiB1s9GkdPOEpXUk5H.jpg",
    tagline: "Welcome to the Real World.",
    certification: "R",
    keywords: ["dystopia"],
    trailer: "https://www.youtube.com/watch?v=vKQi3bBA1y8",
    watchProviders: {
      US: {
        link: "https://www.themoviedb.org/movie/603-the-matrix/watch?locale=US",
        streaming: ["Max"],
        rent: [],
        buy: [],
      },
    },
  };
  /** As `catalog import imdb` writes it: a plain film with the IMDb id, many votes, the cast without characters. */
  const imdb = {
    ...emptyPlainFilm("The Matrix", "imdb.jsonl"),
    id: "the-matrix-1999",
    year: 1999,
    rating: { score: 8.7, outOf: 10, votes: 2_100_000 },
    directors: ["Lana Wachowski", "Lilly Wachowski"],
    cast: [
      { name: "Keanu Reeves", role: null },
      { name: "Carrie-Anne Moss", role: "Trinity" },
    ],
    genres: ["Action", "Sci-Fi"],
    runtimeMinutes: 136,
    technicalSpecs: { "IMDb ID": IMDB_ID },
    imdbId: IMDB_ID,
  };
  /** A page under another title, which only its IMDb line ties to the film. */
  const page = [
    "Matrix",
    "",
    "March 31st, 1999",
    "",
    `IMDb: https://www.imdb.com/title/${IMDB_ID}/`,
    "",
    "A hacker learns that his world is a simulation.",
    "",
    "Release Year: 1999",
    "",
    "Did You Know?",
    "",
    "The lobby shootout took ten days to film.",
    "",
    "User Review",
    "",
    "Still the best action film of its decade.",
    "",
  ].join("\n");
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "merge-three-"));
    await writeFile(join(dir, "tmdb.jsonl"), `${JSON.stringify(tmdb)}\n`);
    await writeFile(join(dir, "imdb.jsonl"), `${JSON.stringify(imdb)}\n`);
    await writeFile(join(dir, "matrix.txt"), page);
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  // Page workers send the page's IMDb id with its summary: the merge never parses a page to find it.
  it.each([0, 1])("gives one film with the best of each (page workers: %i)", async (pageWorkers) => {
    const result = await loadDataDir(dir, { pageWorkers });
    expect(result.errors).toEqual([]);
    expect(result.films).toHaveLength(1);
    const merged = filmDetails(result.films[0]!);
    // The page's trivia and review, logline and date.
    expect(merged.trivia).toEqual(["The lobby shootout took ten days to film."]);
    expect(merged.review).toBe("Still the best action film of its decade.");
    expect(merged.logline).toBe("A hacker learns that his world is a simulation.");
    // TMDb's poster, links and cast characters, IMDb's role where TMDb has none and its cast member TMDb lacks.
    expect(merged).toMatchObject({
      poster: tmdb.poster,
      trailer: tmdb.trailer,
      tmdbId: 603,
      tagline: "Welcome to the Real World.",
      certification: "R",
      watchProviders: tmdb.watchProviders,
    });
    expect(merged.cast).toEqual([
      { name: "Keanu Reeves", role: "Thomas A. Anderson / Neo" },
      { name: "Laurence Fishburne", role: "Morpheus" },
      { name: "Carrie-Anne Moss", role: "Trinity" },
    ]);
    // IMDb's votes, genres and runtime.
    expect(merged.rating).toEqual({ score: 8.7, outOf: 10, votes: 2_100_000 });
    expect(merged.genres).toEqual(["Action", "Sci-Fi"]);
    expect(merged.runtimeMinutes).toBe(136);
    // The richest record (TMDb's) leads; the page's other title becomes an alternate one.
    expect(merged).toMatchObject({ id: "the-matrix-1999", title: "The Matrix", imdbId: IMDB_ID });
    expect(merged.alternateTitles).toEqual(["Matrix"]);
    expect(result.merges).toEqual([
      { id: "the-matrix-1999", title: "The Matrix", year: 1999, files: ["imdb.jsonl", "matrix.txt", "tmdb.jsonl"] },
    ]);
  });
});

// ─── A page and a JSON Lines record of the same film, loaded from one data folder ──────────────────────────────

describe("merging a scraped page with a vega-like record of the same film", () => {
  const SEED_PAGE = "000_ca69434de1f8644e.txt";
  const seedPath = fileURLToPath(new URL(`../../data/${SEED_PAGE}`, import.meta.url));
  /** What `catalog import vega` writes for a film: every field, empty where the source has nothing. */
  const record: Film = {
    ...emptyFilm("Miss You Already", "vega-movies.jsonl"),
    id: "miss-you-already-2015",
    year: 2015,
    releaseDate: "2015-11-06",
    rating: { score: 6.4, outOf: 10, votes: 21_500 },
    criticScore: 45,
    directors: ["catherine hardwicke"],
    stars: ["Drew Barrymore"],
    genres: ["Comedy", "Drama"],
    runtimeMinutes: 112,
    technicalSpecs: { "MPAA Rating": "PG-13", Distributor: "Roadside Attractions" },
  };
  let work: string;
  let pageOnly: Film;

  /** A data folder holding the seed page, the record under `recordFile`, and a README the loader must skip. */
  async function dataFolder(name: string, recordFile: string): Promise<string> {
    const dir = join(work, name);
    await mkdir(dir);
    await copyFile(seedPath, join(dir, SEED_PAGE));
    await writeFile(join(dir, recordFile), `${JSON.stringify(record)}\n`);
    await writeFile(join(dir, "README.md"), "# Not a film\n\nTitle: nothing to see\n");
    return dir;
  }

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), "merge-sources-"));
    const alone = join(work, "page-only");
    await mkdir(alone);
    await copyFile(seedPath, join(alone, SEED_PAGE));
    pageOnly = filmDetails((await loadDataDir(alone)).films[0]!);
  });

  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it("loads one film that keeps the page's text and gains the record's genres, runtime and specs", async () => {
    const result = await loadDataDir(await dataFolder("both", "vega-movies.jsonl"));
    expect(result.errors).toEqual([]);
    expect(result.filesRead).toBe(2); // the README is not a data file
    expect(result.films).toHaveLength(1);
    const merged = filmDetails(result.films[0]!);

    // The page is the richer record: its identity and everything only it has are kept as they were.
    expect(merged.id).toBe("miss-you-already-2015");
    expect(merged.title).toBe("Miss You Already");
    expect(merged.logline).toBe(pageOnly.logline);
    expect(merged.synopsis).toBe(pageOnly.synopsis);
    expect(merged.review).toBe(pageOnly.review);
    expect(merged.trivia).toEqual(pageOnly.trivia);
    expect(merged.cast).toEqual(pageOnly.cast);
    expect(merged.cast).toHaveLength(15);
    expect(merged.countries).toEqual(["UK"]);
    expect(merged.languages).toEqual(["English"]);
    expect(merged.filmingLocations).toBe("London, England, UK");
    expect(merged.website).toBe(pageOnly.website);
    // A value both have: the richer record's wins (criticScore), except the rule for ratings — more votes wins.
    expect(merged.criticScore).toBe(46);
    expect(merged.rating).toEqual({ score: 6.4, outOf: 10, votes: 21_500 });
    expect(merged.releaseDate).toBe("2015-11-06");
    // What only the record has is added.
    expect(merged.genres).toEqual(["Comedy", "Drama"]);
    expect(merged.runtimeMinutes).toBe(112);
    expect(merged.technicalSpecs).toEqual({
      ...pageOnly.technicalSpecs,
      "MPAA Rating": "PG-13",
      Distributor: "Roadside Attractions",
    });
    // Lists are unioned without duplicates, whatever the case of the record's spelling.
    expect(merged.directors).toEqual(["Catherine Hardwicke"]);
    expect(merged.stars).toEqual(["Drew Barrymore", "Toni Collette", "Dominic Cooper"]);
    // Both files are the source.
    expect(merged.source).toBe(`${SEED_PAGE}, vega-movies.jsonl`);
    expect(result.merges).toEqual([
      { id: "miss-you-already-2015", title: "Miss You Already", year: 2015, files: [SEED_PAGE, "vega-movies.jsonl"] },
    ]);

    // Nothing else changed: the merged film is the page's film plus the record's additions.
    expect(merged).toEqual({
      ...pageOnly,
      rating: record.rating,
      genres: record.genres,
      runtimeMinutes: record.runtimeMinutes,
      technicalSpecs: { ...pageOnly.technicalSpecs, ...record.technicalSpecs },
      source: `${SEED_PAGE}, vega-movies.jsonl`,
    });
  });

  it("keeps the page as the base when the record is read first", async () => {
    const result = await loadDataDir(await dataFolder("record-first", "0-vega.jsonl"));
    const merged = filmDetails(result.films[0]!);
    expect(result.films).toHaveLength(1);
    expect(merged.synopsis).toBe(pageOnly.synopsis);
    expect(merged.cast).toEqual(pageOnly.cast);
    expect(merged.directors).toEqual(["Catherine Hardwicke"]);
    expect(merged.criticScore).toBe(46);
    expect(merged.source).toBe(`0-vega.jsonl, ${SEED_PAGE}`);
    expect(result.merges[0]!.files).toEqual(["0-vega.jsonl", SEED_PAGE]);
  });

  it("is reported by catalog check, in words and in --json, and the check stays clean", async () => {
    const dir = await dataFolder("check", "vega-movies.jsonl");
    const human = await check([dir]);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain("2 data files read");
    expect(human.stdout).toContain("1 film loaded, 1 merge, 0 errors");
    expect(human.stdout).toContain(
      `merged: miss-you-already-2015 "Miss You Already" (2015) from ${SEED_PAGE}, vega-movies.jsonl\n`,
    );

    const json = await check([dir, "--json"]);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as { films: Film[]; merges: unknown[] };
    expect(report.merges).toEqual([
      { id: "miss-you-already-2015", title: "Miss You Already", year: 2015, files: [SEED_PAGE, "vega-movies.jsonl"] },
    ]);
    expect(report.films.map((merged) => merged.source)).toEqual([`${SEED_PAGE}, vega-movies.jsonl`]);
  });
});

/** `catalog check ARGS` in process: exit code and stdout. */
async function check(args: string[]): Promise<{ code: number; stdout: string }> {
  let stdout = "";
  const code = await runCatalogCli(["check", ...args], {
    stdout: (text) => (stdout += text),
    stderr: () => {},
    stdin: Readable.from([]),
    env: {},
  });
  return { code, stdout };
}
