import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCatalogCli } from "../../src/cli/catalog.js";
import { parseMaxAge, runImportTmdb, type TmdbCliIo } from "../../src/cli/import-tmdb.js";
import { loadDataDir } from "../../src/catalog/load.js";
import { type CliRun, filmsIn, useWorkDir } from "../support/cli.js";
import { FakeTmdb } from "../importers/fake-tmdb.js";
import { ALL_MOVIES, instantTime } from "../importers/tmdb-fixtures.js";

const workDir = useWorkDir("import-tmdb-cli-");
let fake: FakeTmdb;

beforeEach(async () => {
  fake = await FakeTmdb.start({ movies: ALL_MOVIES });
});
afterEach(async () => {
  await fake.close();
});

interface RunSettings {
  env?: Record<string, string | undefined>;
  signal?: AbortSignal;
  time?: ReturnType<typeof instantTime>;
}

/** Runs the command in the work folder's terms, with the fake's URL and token unless `env` says otherwise. */
async function run(args: string[], settings: RunSettings = {}): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const time = settings.time ?? instantTime();
  const io: TmdbCliIo = {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    isTTY: false,
    env: { TMDB_API_URL: fake.url, TMDB_API_TOKEN: fake.token, ...settings.env },
    signal: settings.signal ?? new AbortController().signal,
    tuning: { now: time.now, sleep: time.sleep },
  };
  const code = await runImportTmdb(args, io);
  return { code, stdout, stderr };
}

async function idsFile(ids: number[]): Promise<string> {
  const path = join(workDir(), "ids.txt");
  await writeFile(path, ids.join("\n") + "\n");
  return path;
}

/** The flags that keep every file inside the work folder. */
function paths(): string[] {
  return [
    "--out",
    join(workDir(), "data", "tmdb.jsonl"),
    "--cache",
    join(workDir(), "cache"),
    "--report",
    join(workDir(), "report.json"),
  ];
}

describe("runImportTmdb command line", () => {
  it.each([
    [[], "import tmdb: say what to import: --ids FILE or --enrich [DIR]"],
    [["--ids", "a", "--enrich", "b"], "import tmdb: use --ids or --enrich, not both"],
    [["--ids"], "import tmdb: Option '--ids <value>' argument missing"],
    [["--ids", "a", "--bogus"], "import tmdb: Unknown option '--bogus'"],
    [["--ids", "a", "extra"], "import tmdb: Unexpected argument 'extra'"],
    [["--ids", "a", "--min-popularity", "lots"], 'import tmdb: --min-popularity must be a number, got "lots"'],
    [["--enrich", "--min-popularity", "3"], "import tmdb: --min-popularity and --include-adult go with --ids"],
    [["--ids", "a", "--region", "USA"], 'import tmdb: --region must be a two-letter country code, got "USA"'],
    [
      ["--ids", "a", "--language", "english"],
      'import tmdb: --language must be a language code like en-US, got "english"',
    ],
    [
      ["--ids", "a", "--max-age", "a week"],
      'import tmdb: --max-age must be an age like 30d, 12h, 45m or 90s, got "a week"',
    ],
    [["--ids", "a", "--out", ""], "import tmdb: --out needs a value"],
  ])("rejects %j with one clear line and exit code 2", async (args, message) => {
    const { code, stdout, stderr } = await run(args);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr.startsWith(message)).toBe(true);
    expect(stderr).toContain("(usage: catalog import tmdb (--ids FILE");
    expect(stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(fake.requestCount).toBe(0);
  });

  it("prints the help with the defaults and TMDb's attribution on --help, credentials or not", async () => {
    const { code, stdout, stderr } = await run(["--help"], { env: { TMDB_API_TOKEN: undefined } });
    expect(code).toBe(0);
    expect(stderr).toBe("");
    expect(stdout).toContain("(default data/tmdb.jsonl)");
    expect(stdout).toContain("(default state/tmdb-cache)");
    expect(stdout).toContain("This product uses the TMDB API but is not endorsed or certified by TMDB.");
  });

  it("asks for credentials in one line with exit code 2 when neither variable is set", async () => {
    const { code, stdout, stderr } = await run(["--ids", "x"], {
      env: { TMDB_API_TOKEN: undefined, TMDB_API_KEY: "  " },
    });
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toBe(
      "import tmdb: no TMDb credentials: set TMDB_API_TOKEN (v4 read access token) or TMDB_API_KEY (v3 API key); see docs/tmdb.md\n",
    );
  });

  it("reads ages in days, hours, minutes and seconds", () => {
    expect(parseMaxAge("7d")).toBe(7 * 86_400_000);
    expect(parseMaxAge("12h")).toBe(12 * 3_600_000);
    expect(parseMaxAge("45m")).toBe(45 * 60_000);
    expect(parseMaxAge("90s")).toBe(90_000);
    expect(parseMaxAge("2")).toBe(2 * 86_400_000);
    expect(parseMaxAge("0")).toBe(0);
  });
});

describe("runImportTmdb import", () => {
  it("imports the ids, prints one summary line on stdout and progress on stderr", async () => {
    const { code, stdout, stderr } = await run(["--ids", await idsFile([603, 550, 99999]), ...paths()]);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(
      /^Wrote 2 films to .*tmdb\.jsonl in \d+\.\d s; 0 failed, 1 not found; 3 requests \(0 retried\), 0 from the cache$/,
    );
    expect(lines[1]).toBe("  ids file: 3 lines, 3 ids");
    expect(lines[2]).toBe("  not found (1):");
    expect(lines[3]).toBe("    TMDb 99999: not found on TMDb (The resource you requested could not be found.)");
    expect(lines[4]).toBe(`  full lists: ${join(workDir(), "report.json")}`);
    expect(stderr).toContain("TMDb: reading (3 films)\n");
    expect(stderr).toMatch(/TMDb: 3 films in \d+\.\d s/);
    const films = await filmsIn(join(workDir(), "data", "tmdb.jsonl"));
    expect(films.map((film) => film.title)).toEqual(["The Matrix", "Fight Club"]);
    const report = JSON.parse(await readFile(join(workDir(), "report.json"), "utf8")) as { notFound: unknown[] };
    expect(report.notFound).toHaveLength(1);
  });

  it("answers a re-run from the cache, and --max-age 0 fetches everything again", async () => {
    const file = await idsFile([603, 550]);
    const time = instantTime();
    await run(["--ids", file, ...paths()], { time });
    const second = await run(["--ids", file, ...paths()], { time });
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/; 0 requests \(0 retried\), 2 from the cache\n/);
    expect(fake.requestCount).toBe(2);
    const third = await run(["--ids", file, ...paths(), "--max-age", "0"], { time });
    expect(third.stdout).toMatch(/; 2 requests \(0 retried\), 0 from the cache\n/);
    expect(fake.requestCount).toBe(4);
  });

  it("stops at once on a rejected token with one line and exit code 1", async () => {
    const ids = Array.from({ length: 100 }, (_, index) => index + 1);
    const { code, stdout, stderr } = await run(["--ids", await idsFile(ids), ...paths()], {
      env: { TMDB_API_TOKEN: "not-the-token" },
    });
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toBe("TMDb rejected the token: Invalid API key: You must be granted a valid key.\n");
    expect(fake.requestCount).toBeLessThanOrEqual(8);
  });

  it("never prints a v3 key, even when TMDb refuses it or the network fails", async () => {
    const key = "sekrit-v3-key-4242";
    const refused = await run(["--ids", await idsFile([603]), ...paths()], {
      env: { TMDB_API_TOKEN: undefined, TMDB_API_KEY: key },
    });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("TMDb rejected the token: Invalid API key");
    const closed = await FakeTmdb.start();
    const deadUrl = closed.url;
    await closed.close();
    const unreachable = await run(["--ids", await idsFile([603]), ...paths()], {
      env: { TMDB_API_TOKEN: undefined, TMDB_API_KEY: key, TMDB_API_URL: deadUrl },
    });
    expect(unreachable.code).toBe(0);
    expect(unreachable.stdout).toContain("TMDb 603: network error (ECONNREFUSED), gave up after 5 attempts");
    for (const output of [refused.stdout, refused.stderr, unreachable.stdout, unreachable.stderr]) {
      expect(output).not.toContain(key);
    }
    expect(await readFile(join(workDir(), "report.json"), "utf8")).not.toContain(key);
  });

  it("says it was interrupted, keeps the films written so far and exits 1; the re-run completes", async () => {
    const file = await idsFile([603, 550, 4242]);
    const controller = new AbortController();
    controller.abort();
    const stopped = await run(["--ids", file, ...paths()], { signal: controller.signal });
    expect(stopped.code).toBe(1);
    expect(stopped.stdout).toMatch(/^Interrupted: wrote 0 films of 3 to /);
    expect(stopped.stdout).toContain("  run the same command again to go on: the answers so far are cached\n");
    expect(await readFile(join(workDir(), "data", "tmdb.jsonl"), "utf8")).toBe("");
    const again = await run(["--ids", file, ...paths()]);
    expect(again.code).toBe(0);
    expect(await filmsIn(join(workDir(), "data", "tmdb.jsonl"))).toHaveLength(3);
  });

  it("enriches the catalog in $DATA_DIR by default, listing what it cannot match", async () => {
    const dataDir = join(workDir(), "catalog");
    await mkdir(dataDir);
    await writeFile(
      join(dataDir, "films.jsonl"),
      [
        { title: "Heat", year: 1995, technicalSpecs: { "IMDb ID": "tt0113277" } },
        { title: "Hamlet", year: 1990 },
      ]
        .map((film) => JSON.stringify(film))
        .join("\n"),
    );
    const out = join(dataDir, "tmdb.jsonl");
    const { code, stdout } = await run(
      ["--enrich", "--out", out, "--cache", join(workDir(), "cache"), "--report", join(workDir(), "r.json")],
      { env: { DATA_DIR: dataDir } },
    );
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(
      /^Wrote 1 film to .* in \d+\.\d s; of 2 catalog films: 1 matched \(1 by IMDb id, 0 by title and year\), 0 unmatched, 1 ambiguous, 0 failed, 0 not found; 3 requests/,
    );
    expect(lines).toContain(
      '    "Hamlet" (1990): 2 TMDb films fit equally well (TMDb 10549 "Hamlet" 1990, TMDb 10550 "Hamlet" 1990)',
    );
    const loaded = await loadDataDir(dataDir);
    expect(loaded.errors).toEqual([]);
    expect(loaded.films.find((film) => film.id === "heat-1995")?.source).toBe("films.jsonl, tmdb.jsonl");
    // Again: Heat carries its TMDb id now (merged with the output), and is fetched by it, from the cache.
    const again = await run(
      ["--enrich", "--out", out, "--cache", join(workDir(), "cache"), "--report", join(workDir(), "r.json")],
      { env: { DATA_DIR: dataDir } },
    );
    expect(again.stdout.split("\n")[0]).toMatch(
      /; of 2 catalog films: 1 matched \(1 by TMDb id, 0 by IMDb id, 0 by title and year\), 0 unmatched, 1 ambiguous, 0 failed, 0 not found; 0 requests \(0 retried\), 2 from the cache$/,
    );
  });

  it.each([
    [
      ["--ids", "/no/such/ids.txt"],
      /^import tmdb: cannot read \/no\/such\/ids\.txt: ENOENT: no such file or directory/,
    ],
    [["--enrich", "/no/such/folder"], /^import tmdb: data folder not found: \/no\/such\/folder\n$/],
  ])("reports %j in one line with exit code 1", async (args, pattern) => {
    const { code, stdout, stderr } = await run([...args, ...paths()]);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toMatch(pattern);
    expect(stderr.trimEnd().split("\n")).toHaveLength(1);
  });

  it("runs through `catalog import tmdb`", async () => {
    let stdout = "";
    const code = await runCatalogCli(["import", "tmdb", "--help"], {
      stdout: (text) => (stdout += text),
      stderr: () => {},
      stdin: (async function* () {})(),
      env: {},
    });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^usage: catalog import tmdb \(--ids FILE/);
  });
});
