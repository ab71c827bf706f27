import { execFile } from "node:child_process";
import { copyFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emptyFilm, type Film } from "../../src/catalog/film.js";
import { filmDetails } from "../../src/catalog/pages/page-film.js";
import { loadDataDir } from "../../src/catalog/load.js";
import { CARD_USAGE, runCardCommand, type FilmFinder } from "../../src/cli/card.js";
import type { CliIo } from "../../src/cli/io.js";
import { runCatalogCli } from "../../src/cli/catalog.js";
import { buildFilmCard, FILM_VIEWS, type FilmView } from "../../src/cards/film-card.js";
import { renderCardForTerminal } from "../../src/cards/terminal.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SEED_PAGE = "000_ca69434de1f8644e.txt";
const SEED_ID = "miss-you-already-2015";
/** Any ANSI escape sequence. */
const ESCAPE = "\x1b[";

/** A film with 45 cast members: three pages of cast (20 a page). */
const CROWDED: Film = {
  ...emptyFilm("A Crowded Film", "crowded.json"),
  id: "a-crowded-film-1999",
  year: 1999,
  cast: Array.from({ length: 45 }, (_, index) => ({ name: `Actor ${index + 1}`, role: `Role ${index + 1}` })),
};

/** A film with watch offers in two regions, and links. */
const STREAMED: Film = {
  ...emptyFilm("A Streamed Film", "streamed.json"),
  id: "a-streamed-film-2020",
  year: 2020,
  imdbId: "tt0000042",
  watchProviders: {
    US: { link: "https://www.themoviedb.org/movie/42/watch?locale=US", streaming: ["Netflix"], rent: [], buy: [] },
    GB: { link: null, streaming: [], rent: ["Sky Store"], buy: [] },
  },
};

let dataDir: string;
let seed: Film;
let crowded: Film;
let streamed: Film;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "card-cli-"));
  await copyFile(join(ROOT, "data", SEED_PAGE), join(dataDir, SEED_PAGE));
  await writeFile(join(dataDir, "crowded.json"), JSON.stringify(CROWDED));
  await writeFile(join(dataDir, "streamed.json"), JSON.stringify(STREAMED));
  const loaded = await loadDataDir(dataDir);
  seed = filmDetails(loaded.films.find((film) => film.id === SEED_ID)!);
  crowded = filmDetails(loaded.films.find((film) => film.id === CROWDED.id)!);
  streamed = filmDetails(loaded.films.find((film) => film.id === STREAMED.id)!);
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Through the catalog command line, as `npm run catalog -- card …` runs it; stdout is a terminal unless told. */
async function card(args: string[], options: { tty?: boolean; env?: Record<string, string> } = {}): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const code = await runCatalogCli(["card", ...args], {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    stdin: Readable.from([]),
    isTTY: false,
    stdoutIsTTY: options.tty ?? true,
    env: options.env ?? {},
  });
  return { code, stdout, stderr };
}

/** The shape of a run, to compare with `failure(code, pattern)`. */
function outcome(result: Run): { code: number; stdout: string; stderrLines: number; stderr: string } {
  return {
    code: result.code,
    stdout: result.stdout,
    stderrLines: result.stderr.trimEnd().split("\n").length,
    stderr: result.stderr,
  };
}

/** One line on stderr matching `pattern`, nothing on stdout. */
function failure(code: number, pattern: RegExp): ReturnType<typeof outcome> {
  return { code, stdout: "", stderrLines: 1, stderr: expect.stringMatching(pattern) as unknown as string };
}

/** What the bot's card code draws for this film, view, (0-based) page and region. */
function expected(film: Film, view: FilmView, page: number, color: boolean, region?: string): string {
  return renderCardForTerminal(buildFilmCard(film, view, page, region), { color });
}

describe("catalog card: the seed film", () => {
  it("prints exactly what buildFilmCard + renderCardForTerminal give, coloured on a terminal", async () => {
    const result = await card([SEED_ID, "--data", dataDir]);
    expect(result).toEqual({ code: 0, stdout: expected(seed, "overview", 0, true), stderr: "" });
    expect(result.stdout).toContain(ESCAPE);
  });

  it("prints plain text with --no-color, when stdout is not a terminal, and when NO_COLOR is set", async () => {
    const plain = expected(seed, "overview", 0, false);
    expect(plain).not.toContain(ESCAPE);
    expect((await card([SEED_ID, "--data", dataDir, "--no-color"])).stdout).toBe(plain);
    expect((await card([SEED_ID, "--data", dataDir], { tty: false })).stdout).toBe(plain);
    expect((await card([SEED_ID, "--data", dataDir], { env: { NO_COLOR: "1" } })).stdout).toBe(plain);
    // An empty NO_COLOR does not count (no-color.org).
    expect((await card([SEED_ID, "--data", dataDir], { env: { NO_COLOR: "" } })).stdout).toContain(ESCAPE);
  });

  it("shows the field values the card builder produces", async () => {
    const { stdout } = await card([SEED_ID, "--data", dataDir, "--no-color"]);
    const [embed] = buildFilmCard(seed).embeds;
    expect(stdout.split("\n")[0]).toBe(`│ ${embed!.title}`);
    for (const field of embed!.fields ?? []) {
      expect(stdout).toContain(field.name);
      // Values are word-wrapped into columns: compare word by word.
      for (const word of field.value.split(/\s+/)) expect(stdout).toContain(word);
    }
    expect(stdout).toContain("6.6/10 (567 votes)");
    expect(stdout).toContain(`│ ${embed!.footer!.text}`);
    expect(stdout).toContain("( Overview ) [ Cast ] [ Trivia ] [ Review ] ( Where to watch )\n[ Similar ]");
  });

  it.each(FILM_VIEWS.map((view) => [view]))("prints the %s view", async (view) => {
    const result = await card([SEED_ID, "--data", dataDir, "--view", view, "--no-color"]);
    expect(result).toEqual({ code: 0, stdout: expected(seed, view, 0, false), stderr: "" });
  });

  it("finds the film by its best title match when the query is not an id", async () => {
    const result = await card(["miss", "you", "already", "--data", dataDir, "--view", "cast", "--no-color"]);
    expect(result.stdout).toBe(expected(seed, "cast", 0, false));
    expect(result.stdout).toContain("Drew Barrymore");
  });

  it("reads the default data folder from $DATA_DIR", async () => {
    const result = await card([SEED_ID, "--no-color"], { env: { DATA_DIR: dataDir } });
    expect(result.stdout).toBe(expected(seed, "overview", 0, false));
  });
});

describe("catalog card: pages", () => {
  it("shows the page asked for, numbered from 1 as in the footer", async () => {
    for (const page of [1, 2, 3]) {
      const result = await card([
        CROWDED.id,
        "--data",
        dataDir,
        "--view",
        "cast",
        "--page",
        String(page),
        "--no-color",
      ]);
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(expected(crowded, "cast", page - 1, false));
      expect(result.stdout).toContain(`Page ${page}/3`);
    }
    const last = await card([CROWDED.id, "--data", dataDir, "--view", "cast", "--page", "3", "--no-color"]);
    expect(last.stdout).toContain("Actor 45");
    expect(last.stdout).not.toContain("Actor 21");
    expect(last.stdout).toContain("[ ◀ ] ( ▶ )");
  });

  it("defaults to the first page", async () => {
    const result = await card([CROWDED.id, "--data", dataDir, "--view", "cast", "--no-color"]);
    expect(result.stdout).toBe(expected(crowded, "cast", 0, false));
  });
});

describe("catalog card: where to watch", () => {
  it("lists the offers of --region, else of WATCH_REGION as the bot reads it, else of the US", async () => {
    const watch = [STREAMED.id, "--data", dataDir, "--view", "watch", "--no-color"];
    const us = await card(watch);
    expect(us).toEqual({ code: 0, stdout: expected(streamed, "watch", 0, false), stderr: "" });
    expect(us.stdout).toContain("│ Where to watch in US: https://www.themoviedb.org/movie/42/watch?locale=US");
    expect(us.stdout).toContain("│ Streaming data by JustWatch");
    expect(us.stdout).toContain("[ IMDb ↗ ] https://www.imdb.com/title/tt0000042/");
    const gb = expected(streamed, "watch", 0, false, "GB");
    expect(gb).toContain("Sky Store");
    expect((await card([...watch, "--region", "gb"])).stdout).toBe(gb);
    expect((await card(watch, { env: { WATCH_REGION: "GB" } })).stdout).toBe(gb);
    expect((await card([...watch, "--region", "US"], { env: { WATCH_REGION: "GB" } })).stdout).toBe(us.stdout);
  });

  it.each([
    [["--region", "USA"], {}, /^catalog card: --region must be a two-letter country code, got "USA" \(usage: /],
    [[], { WATCH_REGION: "Europe" }, /^catalog card: WATCH_REGION must be a two-letter country code, got "Europe"/],
  ])("rejects the region of %j %j in one line with exit 2", async (flags, env, pattern) => {
    expect(outcome(await card([STREAMED.id, "--data", dataDir, ...flags], { env }))).toEqual(failure(2, pattern));
  });
});

describe("catalog card: mistakes", () => {
  it("says nothing matches in one line and exits 1", async () => {
    expect(outcome(await card(["zzqqxx", "--data", dataDir]))).toEqual(failure(1, /^No film matches "zzqqxx"\.\n$/));
  });

  it.each([
    [
      ["--view", "poster"],
      /^catalog card: --view must be one of overview, cast, trivia, review, watch, got "poster" \(usage: catalog card /,
    ],
    [["--page", "0"], /^catalog card: --page must be a page number from 1, got "0"/],
    [["--page", "two"], /^catalog card: --page must be a page number from 1, got "two"/],
    [
      ["--page", "2"],
      new RegExp(
        `^catalog card: --page 2 is past the last page: the overview view of ${SEED_ID} has 1 page \\(usage: `,
      ),
    ],
    [["--view", "cast", "--page", "9"], /the cast view of miss-you-already-2015 has 1 page/],
    [["--colour"], /^catalog card: Unknown option '--colour'/],
    [["--view"], /^catalog card: Option '--view <value>' argument missing/],
  ])("rejects %j in one line with exit 2", async (flags, pattern) => {
    expect(outcome(await card([SEED_ID, "--data", dataDir, ...flags]))).toEqual(failure(2, pattern));
  });

  it("needs a query", async () => {
    expect(outcome(await card(["--data", dataDir]))).toEqual(
      failure(2, /^catalog card: expected a film title or id \(usage: catalog card QUERY\|ID/),
    );
  });

  it("reports a missing data folder in one line and exits 1", async () => {
    expect(outcome(await card(["x", "--data", "/no/such/folder"]))).toEqual(
      failure(1, /^catalog card: data folder not found: \/no\/such\/folder$/m),
    );
  });

  it("prints its usage with --help", async () => {
    const result = await card(["--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`usage: ${CARD_USAGE}`);
  });
});

describe("runCardCommand", () => {
  it("asks its lookup for the query and the --data folder, or for the default folder", async () => {
    const asked: [string, string | undefined][] = [];
    let stdout = "";
    const io: CliIo = { stdout: (text) => (stdout += text), stderr: () => {}, isTTY: false, env: {} };
    const findFilm: FilmFinder = async (query, dir) => {
      asked.push([query, dir]);
      return seed;
    };
    expect(await runCardCommand(["miss", "you", "--data", "somewhere"], io, findFilm)).toBe(0);
    expect(await runCardCommand(["miss-you-already-2015", "--view", "trivia"], io, findFilm)).toBe(0);
    expect(asked).toEqual([
      ["miss you", "somewhere"],
      ["miss-you-already-2015", undefined],
    ]);
    expect(stdout).toBe(expected(seed, "overview", 0, false) + expected(seed, "trivia", 0, false));
  });

  it("does not look anything up for a bad command line", async () => {
    let lookups = 0;
    let stderr = "";
    const io: CliIo = { stdout: () => {}, stderr: (text) => (stderr += text), isTTY: true, env: {} };
    const findFilm: FilmFinder = async () => {
      lookups++;
      return seed;
    };
    expect(await runCardCommand(["x", "--view", "nope"], io, findFilm)).toBe(2);
    expect(lookups).toBe(0);
    expect(stderr).toContain("--view must be one of");
  });
});

describe("the entry point", () => {
  it("runs as a real process: npx tsx src/cli/catalog.ts card miss-you-already-2015 --no-color", async () => {
    const { stdout, stderr } = await promisify(execFile)(
      "npx",
      ["tsx", "src/cli/catalog.ts", "card", SEED_ID, "--no-color"],
      {
        cwd: ROOT,
        env: { ...process.env, DATA_DIR: "" },
      },
    );
    // The real data folder: the seed page is there as itself (no other source describes this film).
    const real = filmDetails((await loadDataDir(join(ROOT, "data"))).films.find((film) => film.id === SEED_ID)!);
    expect(stdout).toBe(expected(real, "overview", 0, false));
    expect(stdout).toContain("Miss You Already (2015)");
    expect(stderr).toBe("");
  }, 60_000);
});
