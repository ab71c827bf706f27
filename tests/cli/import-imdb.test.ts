import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { formatImportSummary, runImportImdb } from "../../src/cli/import-imdb.js";
import type { ImdbImportReport } from "../../src/importers/imdb.js";
import { type CliRun, filmsIn, runCli, useWorkDir } from "../support/cli.js";

const FIXTURE = fileURLToPath(new URL("../importers/fixtures/imdb/", import.meta.url));
const DATASETS = ["title.basics", "title.ratings", "title.crew", "title.principals", "name.basics", "title.akas"];

const workDir = useWorkDir("import-imdb-cli-");

function run(args: string[]): Promise<CliRun> {
  return runCli(runImportImdb, args);
}

describe("runImportImdb command line", () => {
  it.each([
    [[], "import imdb: --from DIR is required"],
    [["--from"], "import imdb: Option '--from <value>' argument missing"],
    [["--from", FIXTURE, "--bogus"], "import imdb: Unknown option '--bogus'"],
    [["--from", FIXTURE, "extra"], "import imdb: Unexpected argument 'extra'"],
    [["--from", FIXTURE, "--min-votes", "ten"], 'import imdb: --min-votes must be a whole number, got "ten"'],
    [["--from", FIXTURE, "--min-votes", "-5"], "import imdb: Option '--min-votes' argument is ambiguous ("],
    [["--from", FIXTURE, "--min-votes=-5"], 'import imdb: --min-votes must be a whole number, got "-5"'],
    [["--from", FIXTURE, "--types", " , "], "import imdb: --types needs at least one title type"],
    [
      ["--from", FIXTURE, "--types", "movie,film"],
      "import imdb: unknown title type film (known: movie, short, tvMovie,",
    ],
    [
      ["--from", FIXTURE, "--aka-regions", "US,United Kingdom,X1"],
      'import imdb: --aka-regions takes region codes like US,GB, got "United Kingdom", "X1"',
    ],
  ])("rejects %j with one clear line and exit code 2", async (args, message) => {
    const { code, stdout, stderr } = await run(args);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr.startsWith(message)).toBe(true);
    expect(stderr).toContain("usage: catalog import imdb --from DIR");
    expect(stderr.trimEnd().split("\n")).toHaveLength(1);
  });

  it("prints the help with the defaults on --help", async () => {
    const { code, stdout, stderr } = await run(["--help"]);
    expect(code).toBe(0);
    expect(stderr).toBe("");
    expect(stdout).toContain(
      "--min-votes N      leave out titles with fewer votes; 0 also keeps unrated titles (default 100)",
    );
    expect(stdout).toContain("(default data/imdb.jsonl)");
    expect(stdout).toContain("title.akas for alternate titles when it is there");
    expect(stdout).toContain("--aka-regions LIST comma-separated regions whose titles in title.akas become");
    expect(stdout).toContain("(default US,GB; empty: the original title only; at most 10 a film)");
  });
});

describe("runImportImdb import", () => {
  it("imports with the defaults, prints the summary and reports progress on stderr", async () => {
    const out = join(workDir(), "data", "imdb.jsonl");
    const { code, stdout, stderr } = await run(["--from", FIXTURE, "--out", out]);
    expect(code).toBe(0);
    const films = await filmsIn(out);
    expect(films).toHaveLength(7);
    expect(films.every((film) => film.source === "imdb.jsonl")).toBe(true);

    const lines = stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(
      new RegExp(`^Imported 7 films into ${out.replace(/[.]/g, "\\.")} in \\d+\\.\\d s \\(peak memory [\\d.]+ MB\\)$`),
    );
    expect(lines[1]).toMatch(/^ {2}title\.basics {6}15 rows, 2 malformed in \d+\.\d s \([\d,]+ rows\/s\)$/);
    expect(lines[2]).toBe('      line 13: startYear "19x9" is not a year');
    expect(lines[3]).toBe("      line 16: expected 9 fields, found 5");
    expect(lines[4]).toMatch(/^ {2}title\.ratings {5}13 rows, 1 malformed in/);
    expect(lines[5]).toBe('      line 11: numVotes "lots" is not a number');
    expect(lines[6]).toMatch(/^ {2}title\.crew {8}12 rows in/);
    expect(lines[7]).toMatch(/^ {2}title\.principals {2}24 rows, 1 malformed in/);
    expect(lines[8]).toBe('      line 24: characters ["Broken is not a JSON array of strings');
    expect(lines[9]).toMatch(/^ {2}name\.basics {7}29 rows in/);
    expect(lines[10]).toMatch(/^ {2}title\.akas {8}42 rows, 2 malformed in \d+\.\d s \([\d,]+ rows\/s\)$/);
    expect(lines[11]).toBe("      line 19: expected 8 fields, found 4");
    expect(lines[12]).toBe('      line 37: isOriginalTitle is "yes", expected 0 or 1');
    expect(lines[13]).toBe("  1 credited person is not in name.basics (credits left out)");
    expect(lines[14]).toBe("  1 film shares title and year with a more-voted film (IMDb id added to the id)");
    expect(lines[15]).toBe("  15 alternate titles (original and US, GB titles)");
    expect(lines).toHaveLength(16);

    expect(stderr).toContain("title.basics.tsv: reading (");
    expect(stderr).toMatch(/title\.principals\.tsv: 24 rows in \d+\.\d s/);
    expect(stderr).toMatch(/title\.akas\.tsv: 42 rows in \d+\.\d s/);
    expect(films.every((film) => /^tt\d{7}$/.test((film as { imdbId?: string }).imdbId ?? ""))).toBe(true);
  });

  it("passes --aka-regions through, in either case", async () => {
    const out = join(workDir(), "fr-de.jsonl");
    const { code, stdout } = await run(["--from", FIXTURE, "--out", out, "--aka-regions", "fr, de,FR"]);
    expect(code).toBe(0);
    const amelie = (await filmsIn(out)).find((film) => film.title === "Amélie") as { alternateTitles?: string[] };
    expect(amelie.alternateTitles).toEqual(["Le fabuleux destin d'Amélie Poulain", "Die fabelhafte Welt der Amélie"]);
    expect(stdout).toContain("\n  2 alternate titles (original and FR, DE titles)\n");
  });

  it("takes an empty --aka-regions as the original titles only", async () => {
    const out = join(workDir(), "originals.jsonl");
    const { code, stdout } = await run(["--from", FIXTURE, "--out", out, "--aka-regions="]);
    expect(code).toBe(0);
    const titles = (await filmsIn(out)).flatMap((film) => (film as { alternateTitles?: string[] }).alternateTitles);
    expect(titles).toEqual(["Le fabuleux destin d'Amélie Poulain"]);
    expect(stdout).toContain("\n  1 alternate title (original titles)\n");
  });

  it("imports without title.akas and says once that alternate titles were not imported", async () => {
    const dir = join(workDir(), "no-akas");
    await mkdir(dir);
    for (const dataset of DATASETS.slice(0, 5))
      await copyFile(join(FIXTURE, `${dataset}.tsv`), join(dir, `${dataset}.tsv`));
    const out = join(workDir(), "no-akas.jsonl");
    const { code, stdout, stderr } = await run(["--from", dir, "--out", out]);
    expect(code).toBe(0);
    expect(await filmsIn(out)).toHaveLength(7);
    const lines = stdout.trimEnd().split("\n");
    expect(lines.filter((line) => line.includes("alternate titles"))).toEqual([
      "  no title.akas.tsv(.gz) in the folder: alternate titles not imported",
    ]);
    expect(lines.some((line) => line.includes("title.akas "))).toBe(false);
    expect(stderr).not.toContain("title.akas");
  });

  it("passes --types, --min-votes and --include-adult through", async () => {
    const out = join(workDir(), "all.jsonl");
    const { code } = await run([
      "--from",
      FIXTURE,
      "--out",
      out,
      "--types",
      "movie, tvMovie",
      "--min-votes",
      "0",
      "--include-adult",
    ]);
    expect(code).toBe(0);
    const titles = (await filmsIn(out)).map((film) => film.title);
    expect(titles).toHaveLength(11);
    expect(titles).toEqual(
      expect.arrayContaining(["A Christmas Story Live!", "Adult Title", "Low Votes", "No Rating"]),
    );
  });

  it("reads gzipped files", async () => {
    const dir = join(workDir(), "gz");
    await mkdir(dir);
    const { gzipSync } = await import("node:zlib");
    for (const dataset of DATASETS) {
      await writeFile(join(dir, `${dataset}.tsv.gz`), gzipSync(await readFile(join(FIXTURE, `${dataset}.tsv`))));
    }
    const { code } = await run(["--from", dir, "--out", join(workDir(), "from-gz", "imdb.jsonl")]);
    expect(code).toBe(0);
    await run(["--from", FIXTURE, "--out", join(workDir(), "from-plain", "imdb.jsonl")]);
    const fromGz = await readFile(join(workDir(), "from-gz", "imdb.jsonl"), "utf8");
    expect(fromGz).toBe(await readFile(join(workDir(), "from-plain", "imdb.jsonl"), "utf8"));
    expect(fromGz.trimEnd().split("\n")).toHaveLength(7);
  });

  it("fails with one line and exit code 1 when a file is missing", async () => {
    const dir = join(workDir(), "partial");
    await mkdir(dir);
    for (const dataset of DATASETS.slice(0, 4))
      await copyFile(join(FIXTURE, `${dataset}.tsv`), join(dir, `${dataset}.tsv`));
    const { code, stdout, stderr } = await run(["--from", dir, "--out", join(workDir(), "x.jsonl")]);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toBe(`import imdb: missing IMDb file in ${dir}: name.basics.tsv(.gz)\n`);
  });

  it("fails with one line and exit code 1 when a column is missing", async () => {
    const dir = join(workDir(), "columns");
    await mkdir(dir);
    for (const dataset of DATASETS) await copyFile(join(FIXTURE, `${dataset}.tsv`), join(dir, `${dataset}.tsv`));
    const ratings = join(dir, "title.ratings.tsv");
    await writeFile(ratings, (await readFile(ratings, "utf8")).replace("numVotes", "votes"));
    const { code, stderr } = await run(["--from", dir, "--out", join(workDir(), "x.jsonl")]);
    expect(code).toBe(1);
    expect(stderr).toBe(
      `import imdb: ${ratings}: missing required column "numVotes" (header: tconst, averageRating, votes)\n`,
    );
  });

  it("fails with one line when the --from folder does not exist", async () => {
    const missing = join(workDir(), "nowhere");
    const { code, stderr } = await run(["--from", missing]);
    expect(code).toBe(1);
    expect(stderr).toMatch(
      new RegExp(`^import imdb: missing IMDb files in ${missing}: title\\.basics\\.tsv\\(\\.gz\\), .*\\n$`),
    );
  });
});

describe("formatImportSummary", () => {
  it("says how many more malformed rows there were than the samples shown", () => {
    const report: ImdbImportReport = {
      films: 1234,
      files: [
        {
          dataset: "title.principals",
          path: "/x/title.principals.tsv.gz",
          rows: 90_000_000,
          malformed: 7,
          malformedSamples: [{ line: 5, reason: "expected 6 fields, found 2" }],
          elapsedMs: 90_000,
        },
      ],
      unresolvedPeople: 2_500,
      idCollisions: 12,
      alternateTitles: null,
      out: null,
      elapsedMs: 125_000,
      peakRssBytes: 512 * 1024 * 1024,
    };
    expect(formatImportSummary(report)).toEqual([
      "Imported 1,234 films in 2 min 5 s (peak memory 512.0 MB)",
      "  title.principals  90,000,000 rows, 7 malformed in 1 min 30 s (1,000,000 rows/s)",
      "      line 5: expected 6 fields, found 2",
      "      … and 6 more",
      "  2,500 credited people are not in name.basics (credits left out)",
      "  12 films share title and year with a more-voted film (IMDb id added to the id)",
      "  no title.akas.tsv(.gz) in the folder: alternate titles not imported",
    ]);
    expect(
      formatImportSummary({ ...report, alternateTitles: { count: 123_456, regions: ["US", "GB", "XWW"] } }).at(-1),
    ).toBe("  123,456 alternate titles (original and US, GB, XWW titles)");
  });
});

describe("catalog import imdb as a process", () => {
  it("runs in a child with a heap ceiling, and says what it wrote", async () => {
    const out = join(workDir(), "imdb.jsonl");
    const root = fileURLToPath(new URL("../../", import.meta.url));
    const { stdout, stderr } = await promisify(execFile)(
      "npx",
      ["tsx", "src/cli/catalog.ts", "import", "imdb", "--from", FIXTURE, "--out", out, "--min-votes", "0"],
      { cwd: root, env: { ...process.env, NODE_OPTIONS: "" } },
    );
    expect(`${stdout}${stderr}`).toMatch(/Imported [\d,]+ films into /);
    expect((await filmsIn(out)).length).toBeGreaterThan(0);
  }, 30_000);
});
