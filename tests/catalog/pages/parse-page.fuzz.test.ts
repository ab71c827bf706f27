/**
 * Fuzzing parsePage with a seeded PRNG: thousands of mutations of the seed page (byte flips, line deletions,
 * duplications and shuffles, random unicode, truncation, huge lines, random binary). Whatever the input, parsePage
 * returns a Film that satisfies the record's invariants or throws PageError — never anything else, and never slowly.
 * A failure prints the iteration's seed so it can be replayed.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Film } from "../../../src/catalog/film.js";
import { isHttpsUrl, isImdbId, MAX_FILM_YEAR, MIN_FILM_YEAR } from "../../../src/catalog/film.js";
import { PageError, parsePage, parsePageBytes } from "../../../src/catalog/pages/parse-page.js";
import { seededRandom } from "../../support/seeded-random.js";

const SEED = readFileSync(new URL("../../../data/000_ca69434de1f8644e.txt", import.meta.url), "utf8");
const ITERATIONS = 3000;
const ID_SHAPE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

type Random = () => number;

const int = (random: Random, max: number): number => Math.floor(random() * max);
const pick = <T>(random: Random, items: readonly T[]): T => items[int(random, items.length)]!;

/** Characters that tend to break text handling: controls, combining marks, RTL, emoji, lone surrogates, BOMs. */
const NASTY = [
  "\u0000",
  "\u0001",
  "\u001b",
  "\u007f",
  "\u00a0",
  "\u0301",
  "\u200b",
  "\u200f",
  "\u202e",
  "\u2028",
  "\ufeff",
  "\ufffd",
  "\ud83c",
  "\udfac",
  "🎬",
  "»",
  ":",
  " - ",
  "\r",
  "\n",
  "\t",
  "  ",
  "é",
  "ß",
  "Æ",
  "日本",
  "@everyone",
  "**",
  "||",
  "`",
];

function randomUnicode(random: Random, length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) {
    out +=
      random() < 0.5
        ? pick(random, NASTY)
        : String.fromCodePoint(int(random, 0x10ffff - 0x800) + (random() < 0.5 ? 0x20 : 0x800));
  }
  return out.replace(/[\ud800-\udfff]/g, (char) => (random() < 0.5 ? char : "x"));
}

function flipBytes(random: Random, text: string): string {
  const bytes = Buffer.from(text, "utf8");
  const flips = 1 + int(random, 20);
  for (let i = 0; i < flips && bytes.length > 0; i++) bytes[int(random, bytes.length)] = int(random, 256);
  return bytes.toString("utf8");
}

function mapLines(text: string, change: (lines: string[]) => void): string {
  const lines = text.split("\n");
  change(lines);
  return lines.join("\n");
}

/** Credits a name-shape check does not expect, and synopsis words shaped like credits. */
const UNUSUAL_NAMES = [
  "k.d. lang",
  "will.i.am",
  "bell hooks",
  "**Bold Name**",
  '"Weird Al" Yankovic',
  "the kids",
  "a story of love",
  "日本",
  "@everyone",
  "***",
];

const MUTATIONS: Record<string, (random: Random, text: string) => string> = {
  flipBytes,
  deleteLines: (random, text) =>
    mapLines(text, (lines) => {
      for (let n = 1 + int(random, 10); n > 0 && lines.length > 0; n--)
        lines.splice(int(random, lines.length), 1 + int(random, 3));
    }),
  duplicateLines: (random, text) =>
    mapLines(text, (lines) => {
      for (let n = 1 + int(random, 10); n > 0 && lines.length > 0; n--)
        lines.splice(int(random, lines.length), 0, pick(random, lines));
    }),
  shuffleLines: (random, text) =>
    mapLines(text, (lines) => {
      for (let i = lines.length - 1; i > 0; i--) {
        if (random() < 0.3) {
          const j = int(random, i + 1);
          [lines[i], lines[j]] = [lines[j]!, lines[i]!];
        }
      }
    }),
  insertUnicode: (random, text) => {
    const at = int(random, text.length + 1);
    return text.slice(0, at) + randomUnicode(random, 1 + int(random, 40)) + text.slice(at);
  },
  replaceWithUnicode: (random) => randomUnicode(random, int(random, 300)),
  truncate: (random, text) => text.slice(0, int(random, text.length + 1)),
  hugeLine: (random, text) =>
    mapLines(text, (lines) => {
      const unit = pick(random, [
        "a",
        " ",
        "-",
        ":",
        "1,",
        "Ab ",
        "é",
        " - ",
        "»",
        "((",
        "www.",
        "7/10 (",
        "See more ",
      ]);
      lines.splice(int(random, lines.length + 1), 0, unit.repeat(1 + int(random, 100_000 / unit.length)));
    }),
  hugeLabelValue: (random, text) =>
    mapLines(text, (lines) => {
      const label = pick(random, [
        "Rating",
        "Official Website",
        "Release Date",
        "Critic's Score",
        "Runtime",
        "Stars",
        "Sound Mix",
        "IMDb",
        "Poster",
        "Also Known As",
        "Keywords",
      ]);
      const unit = pick(random, ["1", " ", "1,", "a.", "(", "x-", "-1 "]);
      lines.splice(int(random, lines.length + 1), 0, `${label}: ${unit.repeat(1 + int(random, 50_000))}`);
    }),
  randomBinary: (random) =>
    Buffer.from(Array.from({ length: int(random, 5000) }, () => int(random, 256))).toString("utf8"),
  crlfAndBom: (random, text) => (random() < 0.5 ? "\ufeff" : "") + text.replace(/\n/g, random() < 0.5 ? "\r\n" : "\r"),
  swapLabels: (random, text) =>
    text.replace(
      /^([A-Za-z' ]+):/gm,
      () =>
        `${pick(random, ["Rating", "Stars", "Country", "Release Date", "Website", "Genre(s)", "Runtime", "Year", "Foo", "IMDb", "Poster", "Tagline", "Also Known As", "Rated", "Trailer", "Keywords"])}:`,
    ),
  richLabels: (random, text) =>
    mapLines(text, (lines) => {
      for (let n = 1 + int(random, 6); n > 0; n--) {
        const line = pick(random, [
          "IMDb: tt0133093",
          "IMDb: https://www.imdb.com/title/tt4139124/",
          "IMDb ID: tt12",
          "IMDb: tt" + "9".repeat(12),
          "Poster: https://example.com/p.jpg",
          "Poster: http://example.com/p.jpg",
          "Trailer: https://www.youtube.com/watch?v=x - y",
          "Tagline: Friends - forever",
          "Also Known As: Miss You - Already, Mes meilleures amies",
          "Rated: PG-13",
          "Certificate:",
          "Keywords: friendship, | cancer, See more »",
        ]);
        lines.splice(int(random, lines.length + 1), 0, random() < 0.5 ? "" : line, line);
      }
    }),
  unusualCredits: (random, text) =>
    mapLines(text, (lines) => {
      for (let n = 1 + int(random, 6); n > 0; n--) {
        const credit = `${pick(random, UNUSUAL_NAMES)} - ${pick(random, ["Herself", "Himself", "", "a role - twice"])}`;
        const at = int(random, lines.length + 1);
        if (random() < 0.6 && lines[at]?.includes(" - ")) lines[at] = credit.trimEnd();
        else lines.splice(at, 0, random() < 0.3 ? "" : credit.trimEnd());
      }
    }),
};
const MUTATION_NAMES = Object.keys(MUTATIONS);

function mutate(random: Random): string {
  let text = SEED;
  for (let n = 1 + int(random, 4); n > 0; n--) text = MUTATIONS[pick(random, MUTATION_NAMES)]!(random, text);
  return text;
}

function isStringArray(value: unknown): boolean {
  return Array.isArray(value) && value.every((item) => typeof item === "string" && item !== "");
}

const isNullOrText = (value: unknown): boolean => value === null || (typeof value === "string" && value !== "");
const isInRange = (value: number, min: number, max: number): boolean =>
  Number.isFinite(value) && value >= min && value <= max;

/**
 * The record's contract, whatever the page looked like: the list of broken rules (empty when all hold). Plain checks
 * rather than expect() calls: thousands of iterations × dozens of rules would make the assertions the slow part.
 */
function brokenInvariants(film: Film): string[] {
  const rules: [string, boolean][] = [
    [
      "title is a trimmed non-empty string",
      typeof film.title === "string" && film.title !== "" && film.title === film.title.trim(),
    ],
    ["id is a slug", ID_SHAPE.test(film.id) && film.id.length <= 80],
    [
      "year is null or a plausible whole year that ends the id",
      film.year === null ||
        (Number.isInteger(film.year) &&
          isInRange(film.year, MIN_FILM_YEAR, MAX_FILM_YEAR) &&
          film.id.endsWith(`-${film.year}`)),
    ],
    [
      "releaseDate is null or a real ISO date",
      film.releaseDate === null || (ISO_DATE.test(film.releaseDate) && !Number.isNaN(Date.parse(film.releaseDate))),
    ],
    [
      "rating is null or 0-10 out of 10 with null or whole non-negative votes",
      film.rating === null ||
        (isInRange(film.rating.score, 0, 10) &&
          film.rating.outOf === 10 &&
          (film.rating.votes === null || (Number.isSafeInteger(film.rating.votes) && film.rating.votes >= 0))),
    ],
    ["criticScore is null or 0-100", film.criticScore === null || isInRange(film.criticScore, 0, 100)],
    [
      "runtimeMinutes is null or a positive whole number",
      film.runtimeMinutes === null || (Number.isInteger(film.runtimeMinutes) && film.runtimeMinutes > 0),
    ],
    [
      "lists hold non-empty strings",
      [film.directors, film.stars, film.countries, film.languages, film.genres, film.trivia].every(isStringArray),
    ],
    [
      "cast members have a name and a null or non-empty role",
      Array.isArray(film.cast) &&
        film.cast.every((member) => typeof member.name === "string" && member.name !== "" && isNullOrText(member.role)),
    ],
    [
      "texts are null or non-empty",
      [film.logline, film.synopsis, film.review, film.filmingLocations, film.website].every(isNullOrText),
    ],
    ["website is null or an http(s) URL", film.website === null || /^https?:\/\//.test(film.website)],
    [
      "technicalSpecs is a plain object of strings",
      Object.getPrototypeOf(film.technicalSpecs) === Object.prototype &&
        Object.values(film.technicalSpecs).every((value) => typeof value === "string"),
    ],
    ["source is the one passed in", film.source === "fuzz.txt"],
    ["imdbId is null or an IMDb id", film.imdbId === null || isImdbId(film.imdbId)],
    [
      "poster and trailer are null or https URLs",
      [film.poster, film.trailer].every((url) => url === null || isHttpsUrl(url)),
    ],
    ["tagline and certification are null or non-empty", [film.tagline, film.certification].every(isNullOrText)],
    [
      "alternate titles and keywords hold non-empty strings",
      [film.alternateTitles, film.keywords].every(isStringArray),
    ],
    [
      "pages carry no TMDb id and no watch providers",
      film.tmdbId === null && Object.keys(film.watchProviders).length === 0,
    ],
  ];
  return rules.filter(([, holds]) => !holds).map(([rule]) => rule);
}

/** JSON.stringify replacer: long texts cut short, so a failure shows the fields that matter. */
function shortened(_key: string, value: unknown): unknown {
  return typeof value === "string" && value.length > 40 ? `${value.slice(0, 40)}…` : value;
}

/** Parses one input: "film", "page error", or a description of what went wrong. */
function outcomeOf(text: string): "film" | "page error" | string {
  const started = performance.now();
  let film: Film;
  try {
    film = parsePage(text, "fuzz.txt");
  } catch (error) {
    if (error instanceof PageError && error.reason !== "") return "page error";
    return `threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
  }
  const broken = brokenInvariants(film);
  if (broken.length > 0) return `broke: ${broken.join("; ")} in ${JSON.stringify(film, shortened)}`;
  // A regex that backtracks on a huge line shows as seconds here, not milliseconds.
  const ms = performance.now() - started;
  return ms > 2000 ? `took ${Math.round(ms)} ms` : "film";
}

/** At most a few failures, each with the seed that replays it. */
const MAX_REPORTED_FAILURES = 5;

describe("parsePage under fuzzing", () => {
  it(`returns a valid Film or throws PageError for ${ITERATIONS} mutated pages`, () => {
    const counts = { film: 0, "page error": 0 };
    const failures: string[] = [];
    for (let iteration = 0; iteration < ITERATIONS && failures.length < MAX_REPORTED_FAILURES; iteration++) {
      const seed = 0x5eed + iteration;
      const outcome = outcomeOf(mutate(seededRandom(seed)));
      if (outcome === "film" || outcome === "page error") counts[outcome]++;
      else failures.push(`seededRandom(${seed}): ${outcome}`);
    }
    expect(failures).toEqual([]);
    // Both outcomes must actually be exercised, or the mutations are too tame (or too wild).
    expect(counts.film).toBeGreaterThan(ITERATIONS / 4);
    expect(counts["page error"]).toBeGreaterThan(ITERATIONS / 50);
  });

  it("survives every mutation kind on its own", () => {
    const failures: string[] = [];
    for (const name of MUTATION_NAMES) {
      for (let seed = 1; seed <= 50; seed++) {
        const outcome = outcomeOf(MUTATIONS[name]!(seededRandom(seed), SEED));
        if (outcome !== "film" && outcome !== "page error") failures.push(`${name}, seededRandom(${seed}): ${outcome}`);
      }
    }
    expect(failures.slice(0, MAX_REPORTED_FAILURES)).toEqual([]);
  });
});

/** What a summary must share with the full parse (see PageDetail), or the error both throw. */
function summaryFieldsOf(parse: () => Film): unknown {
  try {
    const { id, title, year, rating, directors, stars, cast, genres, trivia, logline, releaseDate, source, imdbId } =
      parse();
    const { alternateTitles } = parse();
    return {
      id,
      title,
      year,
      rating,
      directors,
      stars,
      cast,
      genres,
      trivia,
      logline,
      releaseDate,
      source,
      imdbId,
      alternateTitles,
    };
  } catch (error) {
    return error instanceof PageError ? `PageError: ${error.reason}` : `threw ${String(error)}`;
  }
}

describe("a summary parse under fuzzing", () => {
  it("gives exactly the full parse's id, title, year, rating, people, genres, trivia, IMDb id and other titles, or the same error", () => {
    const failures: string[] = [];
    for (let iteration = 0; iteration < ITERATIONS / 3 && failures.length < MAX_REPORTED_FAILURES; iteration++) {
      const seed = 0x5eed + iteration;
      const page = Buffer.from(mutate(seededRandom(seed)), "utf8");
      const full = summaryFieldsOf(() => parsePageBytes(page, "fuzz.txt"));
      const summary = summaryFieldsOf(() => parsePageBytes(page, "fuzz.txt", undefined, "summary"));
      if (JSON.stringify(summary) !== JSON.stringify(full)) {
        failures.push(
          `seededRandom(${seed}): ${JSON.stringify(summary, shortened)} vs ${JSON.stringify(full, shortened)}`,
        );
      }
    }
    expect(failures).toEqual([]);
  });
});
