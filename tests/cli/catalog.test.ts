import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Film } from "../../src/catalog/film.js";
import { loadDataDir } from "../../src/catalog/load.js";
import { SUBCOMMANDS, linesOf, runCatalogCli } from "../../src/cli/catalog.js";
import { EXIT_OK, EXIT_PROBLEM, EXIT_USAGE } from "../../src/cli/io.js";

// The real loader, wrapped so a test can count how often the catalog is loaded.
vi.mock("../../src/catalog/load.js", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../../src/catalog/load.js")>();
  return { ...actual, loadDataDir: vi.fn<typeof actual.loadDataDir>(actual.loadDataDir) };
});

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SEED = await readFile(join(ROOT, "data/000_ca69434de1f8644e.txt"), "utf8");

let goodDir: string;
let badDir: string;

async function writeFiles(dir: string, files: Record<string, string>): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), content);
  }
}

function page(title: string, year: number, votes = 567): string {
  return SEED.replaceAll("Miss You Already", title)
    .replaceAll("2015", String(year))
    .replace("567 voted", `${votes} voted`);
}

beforeAll(async () => {
  goodDir = await mkdtemp(join(tmpdir(), "film-cli-good-"));
  await writeFiles(goodDir, {
    "miss.txt": SEED,
    "amelie.txt": page("Amélie", 2001, 700_000),
    "already/gone.txt": page("Already Gone", 2019, 50),
    "remake.txt": page("Miss You Already", 1990, 10),
  });
  badDir = await mkdtemp(join(tmpdir(), "film-cli-bad-"));
  await writeFiles(badDir, {
    "miss.txt": SEED,
    "empty.txt": "",
    "broken.json": "[{",
    "dupe.json": JSON.stringify({ title: "Miss You Already", year: 2015, genres: ["Drama"] }),
  });
});

afterAll(async () => {
  await rm(goodDir, { recursive: true, force: true });
  await rm(badDir, { recursive: true, force: true });
});

beforeEach(() => {
  vi.mocked(loadDataDir).mockClear();
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(argv: string[], options: { stdin?: string; env?: Record<string, string> } = {}): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const code = await runCatalogCli(argv, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    stdin: Readable.from(options.stdin === undefined ? [] : [Buffer.from(options.stdin)]),
    env: options.env ?? {},
  });
  return { code, stdout, stderr };
}

/** The stdout of `catalog card amelie` with these terminal flags. */
async function cardStdout(terminal: { isTTY?: boolean; stdoutIsTTY?: boolean }): Promise<string> {
  let stdout = "";
  await runCatalogCli(["card", "amelie", "--data", goodDir], {
    stdout: (text) => (stdout += text),
    stderr: () => {},
    stdin: Readable.from([]),
    env: {},
    ...terminal,
  });
  return stdout;
}

function jsonLines(text: string): unknown[] {
  return text
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as unknown);
}

/** The shape of a failed run, to compare with `failure(code, pattern)`. */
function outcome(result: Run): {
  code: number;
  stdout: string;
  stderrLines: number;
  stackTrace: boolean;
  stderr: string;
} {
  return {
    code: result.code,
    stdout: result.stdout,
    stderrLines: result.stderr.trimEnd().split("\n").length,
    stackTrace: /\n\s+at /.test(result.stderr),
    stderr: result.stderr,
  };
}

/** One line on stderr, nothing on stdout, no stack trace: what someone sees when they get a command wrong. */
function failure(code: number, pattern: RegExp): ReturnType<typeof outcome> {
  return {
    code,
    stdout: "",
    stderrLines: 1,
    stackTrace: false,
    stderr: expect.stringMatching(pattern) as unknown as string,
  };
}

describe("catalog check", () => {
  it("summarises a clean folder and exits 0", async () => {
    const result = await run(["check", goodDir]);
    expect(result.code).toBe(EXIT_OK);
    expect(result.stdout).toContain("4 data files read");
    expect(result.stdout).toContain("4 films loaded, 0 merges, 0 errors");
    expect(result.stderr).toBe("");
  });

  it("lists every problem as file: message, the merges, and exits 1", async () => {
    const result = await run(["check", badDir]);
    expect(result.code).toBe(EXIT_PROBLEM);
    expect(result.stdout).toContain("1 film loaded, 1 merge, 2 errors in 2 files");
    expect(result.stdout).toContain('merged: miss-you-already-2015 "Miss You Already" (2015) from dupe.json, miss.txt');
    expect(result.stdout).toMatch(/^broken\.json: invalid JSON: /m);
    expect(result.stdout).toMatch(/^empty\.txt: empty file$/m);
  });

  it("prints exactly films, errors and merges with --json", async () => {
    const result = await run(["check", badDir, "--json"]);
    expect(result.code).toBe(EXIT_PROBLEM);
    const report = JSON.parse(result.stdout) as {
      films: Film[];
      errors: { file: string; message: string }[];
      merges: unknown[];
    };
    expect(Object.keys(report)).toEqual(["films", "errors", "warnings", "merges"]);
    expect(report.films).toHaveLength(1);
    expect(report.films[0]).toMatchObject({
      id: "miss-you-already-2015",
      genres: ["Drama"],
      source: "dupe.json, miss.txt",
    });
    expect(report.errors.map((error) => error.file)).toEqual(["broken.json", "empty.txt"]);
    expect(report.merges).toHaveLength(1);
  });

  it("prints valid JSON for a clean folder and for an empty one", async () => {
    const clean = await run(["check", "--json", goodDir]);
    expect(clean.code).toBe(EXIT_OK);
    expect((JSON.parse(clean.stdout) as { films: Film[] }).films.map((film) => film.title).sort()).toEqual([
      "Already Gone",
      "Amélie",
      "Miss You Already",
      "Miss You Already",
    ]);
    const emptyDir = await mkdtemp(join(tmpdir(), "film-cli-empty-"));
    const empty = await run(["check", "--json", emptyDir]);
    await rm(emptyDir, { recursive: true });
    expect(JSON.parse(empty.stdout)).toEqual({ films: [], errors: [], warnings: [], merges: [] });
  });

  it("lists warnings as warning: lines, counts them, and keeps exit code 0 for warnings alone", async () => {
    const dir = await mkdtemp(join(tmpdir(), "film-cli-warnings-"));
    await writeFiles(dir, {
      "long.jsonl": [
        JSON.stringify({ title: "Long", logline: "l".repeat(2_001) }),
        JSON.stringify({ title: "Ok" }),
      ].join("\n"),
    });
    const text = await run(["check", dir]);
    const json = await run(["check", dir, "--json"]);
    await rm(dir, { recursive: true });
    expect(text.code).toBe(EXIT_OK);
    expect(text.stdout).toContain("2 films loaded, 0 merges, 0 errors, 1 warning in 1 file");
    expect(text.stdout).toMatch(/^warning: long\.jsonl:1: logline cut to 2,000 characters \(was 2,001\)$/m);
    expect(json.code).toBe(EXIT_OK);
    const report = JSON.parse(json.stdout) as { warnings: { file: string; message: string }[] };
    expect(Object.keys(report)).toEqual(["films", "errors", "warnings", "merges"]);
    expect(report.warnings).toEqual([{ file: "long.jsonl:1", message: "logline cut to 2,000 characters (was 2,001)" }]);
  });

  it("reports files that are not film pages as errors, and a title-only page as a warning", async () => {
    const dir = await mkdtemp(join(tmpdir(), "film-cli-junk-"));
    await writeFiles(dir, {
      "heat.txt": "<!DOCTYPE html><html><head><title>Heat (1995) - IMDb</title></head></html>",
      "notes.txt": "Moderator notes\n\nRe-scrape the 1990s pages next week.\n",
      "title-only.txt": "Just A Title\n",
      "miss.txt": SEED,
    });
    const text = await run(["check", dir]);
    const json = await run(["check", dir, "--json"]);
    await rm(dir, { recursive: true });
    expect(text.code).toBe(EXIT_PROBLEM);
    expect(text.stdout).toMatch(/^heat\.txt: not a film page: an HTML document$/m);
    expect(text.stdout).toMatch(/^notes\.txt: not a film page: no film fields/m);
    expect(text.stdout).toMatch(/^warning: title-only\.txt: only a title line, no film fields$/m);
    const report = JSON.parse(json.stdout) as { films: Film[]; errors: unknown[]; warnings: unknown[] };
    expect(report.films.map((film) => film.title).sort()).toEqual(["Just A Title", "Miss You Already"]);
    expect(report.errors).toHaveLength(2);
    expect(report.warnings).toEqual([{ file: "title-only.txt", message: "only a title line, no film fields" }]);
  });

  it("counts errors and the files they are in separately: a bad line is an error, not a file", async () => {
    const dir = await mkdtemp(join(tmpdir(), "film-cli-counts-"));
    const good = JSON.stringify({ title: "Good" });
    await writeFiles(dir, {
      "lines.jsonl": [good, "{bad", "{bad", JSON.stringify({ title: 5 }), good.replace("Good", "Fine")].join("\n"),
      "many.jsonl": Array.from({ length: 60 }, () => "nope").join("\n"),
      "broken.json": "[{",
      "empty.txt": "",
      "cut.jsonl": [1, 2].map((i) => JSON.stringify({ title: `Cut ${i}`, logline: "l".repeat(2_001) })).join("\n"),
      "miss.txt": SEED,
    });
    const result = await run(["check", dir]);
    await rm(dir, { recursive: true });
    expect(result.code).toBe(EXIT_PROBLEM);
    // 3 bad lines, 60 bad lines (50 listed, 10 counted in one more line), a bad .json, an empty page.
    expect(result.stdout).toContain("5 films loaded, 0 merges, 65 errors in 4 files, 2 warnings in 1 file");
    expect(result.stdout).toMatch(/^many\.jsonl: 10 more bad lines not listed$/m);
  });

  it("defaults to $DATA_DIR", async () => {
    const result = await run(["check"], { env: { DATA_DIR: goodDir } });
    expect(result.code).toBe(EXIT_OK);
    expect(result.stdout).toContain(`${goodDir}: 4 data files read`);
  });

  it("reports a missing folder in one line", async () => {
    expect(outcome(await run(["check", "/no/such/folder"]))).toEqual(
      failure(EXIT_PROBLEM, /^catalog check: data folder not found: \/no\/such\/folder$/m),
    );
  });
});

describe("catalog search", () => {
  it("says which card /movie posts, above a ranked table", async () => {
    const result = await run(["search", "amelie", "--data", goodDir]);
    expect(result.code).toBe(EXIT_OK);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("/movie posts the card of Amélie (2001).");
    expect(lines[1]).toMatch(/^#\s+score\s+year\s+title\s+id$/);
    expect(lines[2]).toMatch(/^1\s+\d\.\d{3}\s+2001\s+Amélie\s+amelie-2001$/);
  });

  it("says /movie asks, and lists the pick menu's films, when a title names several films", async () => {
    const asked = await run(["search", "miss you already", "--data", goodDir]);
    expect(asked.code).toBe(EXIT_OK);
    const lines = asked.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe('/movie asks which film "miss you already" means, from these:');
    expect(lines.slice(2).map((line) => line.split(/\s+/).at(-1))).toEqual([
      "miss-you-already-2015",
      "miss-you-already-1990",
    ]);
    const typedYear = await run(["search", "miss you already 1975", "--data", goodDir]);
    expect(typedYear.stdout).toMatch(/^No film matches "miss you already 1975" in 1975; \/movie asks if it is one of/);
    expect(
      jsonLines((await run(["search", "miss you already 1975", "--json", "--data", goodDir])).stdout)[0],
    ).toMatchObject({
      verdict: "ask",
      answer: null,
      missingYear: 1975,
      menu: ["miss-you-already-2015", "miss-you-already-1990"],
    });
  });

  it("lists the people a name means, and not for a title", async () => {
    const byName = await run(["search", "toni collette", "--data", goodDir]);
    expect(byName.code).toBe(EXIT_OK);
    expect(byName.stdout).toMatch(/^No films match "toni collette"\.$/m);
    expect(byName.stdout).toMatch(/\nPeople \(\/person\):\n#\s+score\s+films\s+name\n1\s+1\.000\s+4\s+Toni Collette\n/);
    const surname = jsonLines((await run(["search", "barrymore", "--json", "--data", goodDir])).stdout)[0];
    expect(surname).toMatchObject({ verdict: "none", people: [{ name: "Drew Barrymore", films: 4 }] });
    const title = jsonLines((await run(["search", "amelie", "--json", "--data", goodDir])).stdout)[0];
    expect(title).toMatchObject({ verdict: "answer", people: [] });
  });

  it("joins several words into one query", async () => {
    const result = await run(["search", "--json", "--data", goodDir, "miss", "you", "already"]);
    expect((JSON.parse(result.stdout) as { query: string }).query).toBe("miss you already");
  });

  it("prints one JSON line with --json", async () => {
    const result = await run(["search", "amelie", "--json", "--data", goodDir]);
    expect(result.code).toBe(EXIT_OK);
    expect(result.stdout.endsWith("\n")).toBe(true);
    const [line] = jsonLines(result.stdout) as {
      query: string;
      results: { id: string; title: string; year: number; score: number }[];
    }[];
    expect(line!.query).toBe("amelie");
    expect(line!.results[0]).toEqual({ id: "amelie-2001", title: "Amélie", year: 2001, score: expect.any(Number) });
    expect(Object.keys(line!.results[0]!)).toEqual(["id", "title", "year", "score"]);
  });

  it("filters by --year and caps with --limit", async () => {
    const byYear = jsonLines(
      (await run(["search", "miss you already", "--year", "1990", "--json", "--data", goodDir])).stdout,
    );
    expect(byYear).toEqual([
      expect.objectContaining({
        query: "miss you already",
        verdict: "answer",
        answer: "miss-you-already-1990",
        results: [expect.objectContaining({ id: "miss-you-already-1990" })],
      }),
    ]);
    const limited = jsonLines(
      (await run(["search", "already", "--limit", "1", "--json", "--data", goodDir])).stdout,
    ) as {
      results: unknown[];
    }[];
    expect(limited[0]!.results).toHaveLength(1);
  });

  it("reads queries from stdin, one JSON line each, loading the catalog once", async () => {
    const result = await run(["search", "--data", goodDir, "--limit", "2"], {
      stdin: "miss you\r\n\namelie\nzzqqxx\n",
    });
    expect(result.code).toBe(EXIT_OK);
    const lines = jsonLines(result.stdout) as { query: string; results: { id: string }[] }[];
    expect(lines.map((line) => line.query)).toEqual(["miss you", "amelie", "zzqqxx"]);
    expect(lines[1]!.results[0]!.id).toBe("amelie-2001");
    expect(lines[0]!.results.length).toBeLessThanOrEqual(2);
    expect(lines[2]!.results).toEqual([]);
    expect(vi.mocked(loadDataDir)).toHaveBeenCalledTimes(1);
  });

  it("says so, with the year it was given, and exits 1 when nothing matches", async () => {
    const result = await run(["search", "zzqqxx", "--data", goodDir]);
    expect(result.code).toBe(EXIT_PROBLEM);
    expect(result.stdout).toBe('No films match "zzqqxx".\n');
    const byYear = await run(["search", "amelie", "--year", "1950", "--data", goodDir]);
    expect(byYear.code).toBe(EXIT_PROBLEM);
    expect(byYear.stdout).toBe('No films match "amelie" in 1950.\n');
  });

  it("counts load problems on stderr and keeps stdout pure JSON", async () => {
    const result = await run(["search", "miss", "--json", "--data", badDir]);
    expect(result.code).toBe(EXIT_OK);
    expect(jsonLines(result.stdout)).toHaveLength(1);
    expect(result.stderr).toBe(`catalog: 2 problems loading ${badDir} (details: catalog check ${badDir})\n`);
  });

  it.each([
    [["--limit", "abc"], /--limit must be a whole number from 1 to 1000, got "abc"/],
    [["--limit", "0"], /--limit must be a whole number/],
    [["--year", "20x5"], /--year must be a year like 2015, got "20x5"/],
    [["--bogus"], /Unknown option '--bogus'/],
    [["--limit"], /argument missing/],
  ])("rejects %j in one line with exit 2", async (flags, pattern) => {
    expect(outcome(await run(["search", "x", "--data", goodDir, ...flags]))).toEqual(failure(EXIT_USAGE, pattern));
  });
});

describe("catalog show", () => {
  it("finds a film by id and prints every field, labelled", async () => {
    const result = await run(["show", "miss-you-already-2015", "--data", goodDir]);
    expect(result.code).toBe(EXIT_OK);
    for (const label of [
      "Id:",
      "Title:",
      "Year:",
      "Release date:",
      "Rating:",
      "Critic score:",
      "Runtime:",
      "Genres:",
      "Directors:",
      "Stars:",
      "Countries:",
      "Languages:",
      "Filming locations:",
      "Website:",
      "Tagline:",
      "Certification:",
      "Alternate titles:",
      "Keywords:",
      "IMDb id:",
      "TMDb id:",
      "Poster:",
      "Trailer:",
      "Watch providers:",
      "Source:",
      "Logline:",
      "Synopsis:",
      "Cast (15):",
      "Technical specs:",
      "Trivia (1):",
      "Review:",
    ]) {
      expect(result.stdout).toContain(label);
    }
    expect(result.stdout).toMatch(/^Rating:\s+6\.6\/10 \(567 votes\)$/m);
    expect(result.stdout).toContain("  Joanna Bobin\n");
    expect(result.stdout).toContain("  Drew Barrymore — Jess\n");
  });

  it("prints the rich fields of a record: ids, links, other titles, keywords and watch providers", async () => {
    const dir = await mkdtemp(join(tmpdir(), "film-cli-rich-"));
    await writeFiles(dir, {
      "tmdb.jsonl": JSON.stringify({
        title: "The Matrix",
        year: 1999,
        imdbId: "tt0133093",
        tmdbId: 603,
        poster: "https://image.tmdb.org/t/p/w500/matrix.jpg",
        tagline: "Welcome to the Real World.",
        certification: "R",
        alternateTitles: ["Matrix"],
        keywords: ["dystopia", "hacker"],
        trailer: "https://www.youtube.com/watch?v=vKQi3bBA1y8",
        watchProviders: {
          US: { link: "https://www.themoviedb.org/movie/603/watch?locale=US", streaming: ["Max"], rent: [], buy: [] },
        },
      }),
    });
    const text = await run(["show", "the-matrix-1999", "--data", dir]);
    const json = await run(["check", dir, "--json"]);
    await rm(dir, { recursive: true });
    for (const line of [
      /^Tagline:\s+Welcome to the Real World\.$/m,
      /^Certification:\s+R$/m,
      /^Alternate titles:\s+Matrix$/m,
      /^Keywords:\s+dystopia, hacker$/m,
      /^IMDb id:\s+tt0133093$/m,
      /^TMDb id:\s+603$/m,
      /^Poster:\s+https:\/\/image\.tmdb\.org\/t\/p\/w500\/matrix\.jpg$/m,
      /^Trailer:\s+https:\/\/www\.youtube\.com\/watch\?v=vKQi3bBA1y8$/m,
      /^Watch providers:\n {2}US: https:\/\/www\.themoviedb\.org\/movie\/603\/watch\?locale=US\n {4}Streaming: Max\n {4}Rent: —\n {4}Buy: —$/m,
    ])
      expect(text.stdout).toMatch(line);
    const [film] = (JSON.parse(json.stdout) as { films: Film[] }).films;
    expect(film).toMatchObject({ imdbId: "tt0133093", tmdbId: 603, keywords: ["dystopia", "hacker"] });
    expect(film?.watchProviders.US?.streaming).toEqual(["Max"]);
  });

  it("finds a film by its best title match", async () => {
    const result = await run(["show", "amelie", "--data", goodDir]);
    expect(result.code).toBe(EXIT_OK);
    expect(result.stdout.split("\n")[0]).toBe("Amélie (2001)");
  });

  it("prints the record as JSON with --json", async () => {
    const result = await run(["show", "already", "gone", "--json", "--data", goodDir]);
    const film = JSON.parse(result.stdout) as Film;
    expect(film).toMatchObject({
      id: "already-gone-2019",
      title: "Already Gone",
      year: 2019,
      source: "already/gone.txt",
    });
    expect(film.cast).toHaveLength(15);
  });

  it("says nothing was found in one line and exits 1", async () => {
    expect(outcome(await run(["show", "zzqqxx", "--data", goodDir]))).toEqual(
      failure(EXIT_PROBLEM, /^No film matches "zzqqxx"\.$/m),
    );
  });

  it("needs a query", async () => {
    expect(outcome(await run(["show", "--data", goodDir]))).toEqual(failure(EXIT_USAGE, /expected a film title or id/));
  });
});

describe("catalog: usage and errors", () => {
  it("prints usage with --help and lists every command", async () => {
    const result = await run(["--help"]);
    expect(result.code).toBe(EXIT_OK);
    for (const name of Object.keys(SUBCOMMANDS)) expect(result.stdout).toContain(name);
    expect(result.stdout).toContain("usage: npm run catalog -- <command>");
  });

  it("prints a command's usage with <command> --help", async () => {
    const result = await run(["search", "--help"]);
    expect(result.code).toBe(EXIT_OK);
    expect(result.stdout).toContain("usage: catalog search [QUERY] [--data DIR] [--year N] [--limit N] [--json]");
  });

  it("prints usage and exits 2 without a command", async () => {
    const result = await run([]);
    expect(result.code).toBe(EXIT_USAGE);
    expect(result.stdout).toContain("commands:");
  });

  it("rejects an unknown command in one line", async () => {
    expect(outcome(await run(["frobnicate"]))).toEqual(failure(EXIT_USAGE, /^catalog: unknown command "frobnicate"/));
    expect(outcome(await run(["toString"]))).toEqual(failure(EXIT_USAGE, /^catalog: unknown command "toString"/));
  });

  it("rejects a bad flag on check in one line", async () => {
    expect(outcome(await run(["check", goodDir, "--verbose"]))).toEqual(
      failure(EXIT_USAGE, /^catalog check: Unknown option '--verbose'/),
    );
    expect(outcome(await run(["check", goodDir, "other"]))).toEqual(
      failure(EXIT_USAGE, /expected one folder, got 2 arguments/),
    );
  });

  it("reports a missing folder during search and show in one line", async () => {
    expect(outcome(await run(["search", "x", "--data", "/no/such/folder"]))).toEqual(
      failure(EXIT_PROBLEM, /data folder not found: \/no\/such\/folder/),
    );
    expect(outcome(await run(["show", "x", "--data", "/no/such/folder"]))).toEqual(
      failure(EXIT_PROBLEM, /data folder not found/),
    );
  });
});

describe("catalog import", () => {
  const VEGA_FIXTURE = join(ROOT, "tests/importers/fixtures/vega/movies.json");
  const IMDB_FIXTURE = join(ROOT, "tests/importers/fixtures/imdb");

  it.each([
    [
      [],
      /^catalog import: expected a source: vega or imdb or tmdb \(usage: catalog import vega\|imdb\|tmdb \[options\]\)$/m,
    ],
    [["netflix"], /^catalog import: unknown source "netflix", expected vega or imdb or tmdb \(usage: /],
    [["toString"], /^catalog import: unknown source "toString"/],
    [["--from", "x"], /^catalog import: unknown source "--from"/],
  ])("rejects %j in one clear line with exit 2", async (args, pattern) => {
    expect(outcome(await run(["import", ...args]))).toEqual(failure(EXIT_USAGE, pattern));
  });

  it("runs the vega importer with the words after the source", async () => {
    const dir = await mkdtemp(join(tmpdir(), "film-cli-import-"));
    try {
      const result = await run(["import", "vega", "--from", VEGA_FIXTURE, "--out", join(dir, "vega.jsonl")]);
      expect(result.code).toBe(EXIT_OK);
      expect(result.stdout).toMatch(/^Imported 9 films from /);
      const loaded = await run(["check", dir]);
      expect(loaded.stdout).toContain("9 films loaded, 0 merges, 0 errors");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("runs the imdb importer with the words after the source", async () => {
    const dir = await mkdtemp(join(tmpdir(), "film-cli-import-"));
    try {
      const result = await run(["import", "imdb", "--from", IMDB_FIXTURE, "--out", join(dir, "imdb.jsonl")]);
      expect(result.code).toBe(EXIT_OK);
      expect(result.stdout).toMatch(/^Imported 7 films into /);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("passes an importer's own usage errors and exit codes through", async () => {
    const vega = await run(["import", "vega", "--bogus"]);
    expect(vega.code).toBe(EXIT_USAGE);
    expect(vega.stderr).toMatch(/^import vega: Unknown option '--bogus' \(usage: catalog import vega/);
    const imdb = await run(["import", "imdb"]);
    expect(imdb.code).toBe(EXIT_USAGE);
    expect(imdb.stderr).toMatch(/^import imdb: --from DIR is required/);
    const missing = await run(["import", "vega", "--from", "/no/such/movies.json", "--out", "/no/such/out.jsonl"]);
    expect(missing.code).toBe(EXIT_PROBLEM);
    expect(missing.stderr).toBe("import vega: cannot read /no/such/movies.json: not found\n");
  });

  it("leaves --help after the source to the importer, which lists its options", async () => {
    const vega = await run(["import", "vega", "--help"]);
    expect(vega.code).toBe(EXIT_OK);
    expect(vega.stdout).toContain("--from FILE   the movies.json to read");
    const imdb = await run(["import", "imdb", "--help"]);
    expect(imdb.stdout).toContain("--min-votes N");
  });

  it("lists the sources with import --help", async () => {
    const result = await run(["import", "--help"]);
    expect(result.code).toBe(EXIT_OK);
    expect(result.stdout).toContain("usage: catalog import vega [--from FILE] [--out FILE]");
    expect(result.stdout).toContain("usage: catalog import imdb --from DIR");
  });
});

describe("catalog card (dispatch)", () => {
  it("prints the card for a film of the data folder", async () => {
    const result = await run(["card", "amelie", "--data", goodDir, "--no-color"]);
    expect(result.code).toBe(EXIT_OK);
    expect(result.stdout.split("\n")[0]).toBe("│ Amélie (2001)");
    expect(result.stdout).toContain("( Overview ) [ Cast ] [ Trivia ] [ Review ] ( Where to watch )\n[ Similar ]");
  });

  it("loads the data folder through the same loader as show, once", async () => {
    await run(["card", "miss-you-already-2015", "--data", goodDir]);
    expect(vi.mocked(loadDataDir)).toHaveBeenCalledTimes(1);
    expect(vi.mocked(loadDataDir)).toHaveBeenCalledWith(goodDir);
  });

  it("counts load problems on stderr, as show does, and still prints the card", async () => {
    const result = await run(["card", "miss you already", "--data", badDir, "--no-color"]);
    expect(result.code).toBe(EXIT_OK);
    expect(result.stderr).toBe(`catalog: 2 problems loading ${badDir} (details: catalog check ${badDir})\n`);
    expect(result.stdout).toContain("Miss You Already (2015)");
  });

  it("says nothing was found in one line and exits 1, as show does", async () => {
    expect(outcome(await run(["card", "zzqqxx", "--data", goodDir]))).toEqual(
      failure(EXIT_PROBLEM, /^No film matches "zzqqxx"\.$/m),
    );
  });

  it("colours the card only when stdout is a terminal", async () => {
    expect(await cardStdout({ isTTY: true, stdoutIsTTY: true })).toContain("\x1b[");
    expect(await cardStdout({ isTTY: true, stdoutIsTTY: false })).not.toContain("\x1b[");
    expect(await cardStdout({ isTTY: false, stdoutIsTTY: true })).toContain("\x1b[");
    // Without stdoutIsTTY, isTTY stands for both streams.
    expect(await cardStdout({ isTTY: true })).toContain("\x1b[");
    expect(await cardStdout({})).not.toContain("\x1b[");
  });
});

describe("linesOf", () => {
  it("splits chunks into lines across chunk and UTF-8 boundaries", async () => {
    const bytes = Buffer.from("amé\r\nlie\nlast");
    const chunks = [bytes.subarray(0, 3), bytes.subarray(3, 6), bytes.subarray(6)];
    const lines: string[] = [];
    for await (const line of linesOf(Readable.from(chunks))) lines.push(line);
    expect(lines).toEqual(["amé", "lie", "last"]);
  });
});

describe("the entry point", () => {
  it("runs as a real process: npx tsx src/cli/catalog.ts check data", async () => {
    // The shared data folder may gain files with problems (exit 1); the point here is that the entry point runs.
    const processRun = await promisify(execFile)("npx", ["tsx", "src/cli/catalog.ts", "check", "data"], {
      cwd: ROOT,
    }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code?: number; stdout?: string; stderr?: string }) => ({
        code: error.code,
        stdout: error.stdout ?? "",
        stderr: error.stderr ?? "",
      }),
    );
    expect([EXIT_OK, EXIT_PROBLEM]).toContain(processRun.code);
    // Counts past 999 are written with a thousands separator ("3,201 films").
    expect(processRun.stdout).toMatch(
      /^data: [\d,]+ data files? read in .*: [\d,]+ films? loaded, [\d,]+ merges?, [\d,]+ errors?( in [\d,]+ files?)?(, [\d,]+ warnings? in [\d,]+ files?)?$/m,
    );
    expect(processRun.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});
