import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { emptyPlainFilm, type PlainFilm } from "../../src/catalog/film.js";
import { loadDataDir } from "../../src/catalog/load.js";
import { DEFAULT_VEGA_OUT, REPAIRS_SHOWN, runImportVega } from "../../src/cli/import-vega.js";
import { type CliRun, filmsIn, runCli, useWorkDir } from "../support/cli.js";

const FIXTURE = fileURLToPath(new URL("../importers/fixtures/vega/movies.json", import.meta.url));

const workDir = useWorkDir("import-vega-cli-");

function run(args: string[]): Promise<CliRun> {
  return runCli(runImportVega, args);
}

describe("runImportVega on the fixture", () => {
  it("writes one record per kept row and lists every dropped row and each repair", async () => {
    const out = join(workDir(), "vega-movies.jsonl");
    const { code, stdout, stderr } = await run(["--from", FIXTURE, "--out", out]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout.trimEnd().split("\n")).toEqual([
      `Imported 9 films from ${FIXTURE} (12 rows) into ${out}`,
      "Dropped 3 rows:",
      '  [2] "null": no title',
      '  [3] "null": no title',
      '  [8] "The Land Girls": duplicate of "The Land Girls" (1998)',
      "Repaired 4 rows (5 repairs):",
      '  [4] "Amélie": title "AmÈlie" tidied',
      '  [5] "Duel in the Sun": year 2046 read as 1946',
      '  [6] "The Secret": title "Secret, The" tidied',
      '  [7] "King Kong": title "King Kong (1933)" tidied',
      '  [7] "King Kong": year 2033 read as 1933',
    ]);
  });

  it("converts each oddity of the source", async () => {
    const out = join(workDir(), "vega-movies.jsonl");
    await run(["--from", FIXTURE, "--out", out]);
    const films = await filmsIn(out);
    expect(films.map((film) => [film.id, film.title, film.year])).toEqual([
      ["the-land-girls-1998", "The Land Girls", 1998],
      ["1941-1979", "1941", 1979],
      ["amelie-2001", "Amélie", 2001],
      ["duel-in-the-sun-1946", "Duel in the Sun", 1946],
      ["the-secret-2006", "The Secret", 2006],
      ["king-kong-1933", "King Kong", 1933],
      ["alice-in-wonderland-1951", "Alice in Wonderland", 1951],
      ["alice-in-wonderland-2010", "Alice in Wonderland", 2010],
      ["2046-2005", "2046", 2005],
    ]);
    // The first of the two "The Land Girls" 1998 rows is the one kept.
    expect(films[0]!.technicalSpecs).toEqual({ "MPAA Rating": "R", Distributor: "Gramercy" });
    expect(films[0]!.rating).toEqual({ score: 6.1, outOf: 10, votes: 1071 });
    expect(films[3]!.releaseDate).toBe("1946-12-31");
  });

  it("writes every field of a plain film in the contract's order, with the output file's name as source", async () => {
    const out = join(workDir(), "starter.jsonl");
    await run(["--from", FIXTURE, "--out", out]);
    const lines = (await readFile(out, "utf8")).split("\n");
    expect(lines.at(-1)).toBe(""); // the file ends with a newline
    // vega-datasets has none of the rich fields (IMDb and TMDb ids, poster, …): they are left out, not written empty.
    const contractOrder = Object.keys(emptyPlainFilm("", ""));
    for (const line of lines.slice(0, -1)) {
      const record = JSON.parse(line) as PlainFilm;
      expect(Object.keys(record)).toEqual(contractOrder);
      expect(record.source).toBe("starter.jsonl");
    }
  });

  it("writes a file the catalog loads without a single error", async () => {
    const data = join(workDir(), "data");
    await run(["--from", FIXTURE, "--out", join(data, "vega-movies.jsonl")]);
    const result = await loadDataDir(data);
    expect(result.errors).toEqual([]);
    expect(result.merges).toEqual([]);
    expect(result.films).toHaveLength(9);
    expect(result.films.find((film) => film.id === "amelie-2001")).toMatchObject({
      directors: ["Jean-Pierre Jeunet"],
      genres: ["Comedy"],
      runtimeMinutes: 122,
      criticScore: 89,
      source: "vega-movies.jsonl",
    });
  });

  it("replaces the output whole, leaving no temporary file behind", async () => {
    const out = join(workDir(), "nested", "folder", "vega.jsonl");
    await mkdir(join(workDir(), "nested", "folder"), { recursive: true });
    await writeFile(out, "an older, longer catalog\n".repeat(1000));
    expect((await run(["--from", FIXTURE, "--out", out])).code).toBe(0);
    expect(await filmsIn(out)).toHaveLength(9);
    expect(await readdir(join(workDir(), "nested", "folder"))).toEqual(["vega.jsonl"]);
  });

  it("creates the output's folder", async () => {
    const out = join(workDir(), "new", "data", "vega.jsonl");
    expect((await run(["--from", FIXTURE, "--out", out])).code).toBe(0);
    expect(await filmsIn(out)).toHaveLength(9);
  });

  it("lists only the first repairs when there are many", async () => {
    const many = Array.from({ length: REPAIRS_SHOWN + 3 }, (_, index) => ({
      Title: `Film ${index}, The`,
      "Release Date": "Jan 01 1990",
    }));
    const from = join(workDir(), "many.json");
    await writeFile(from, JSON.stringify(many));
    const { stdout } = await run(["--from", from, "--out", join(workDir(), "many.jsonl")]);
    const lines = stdout.trimEnd().split("\n");
    expect(lines[1]).toBe("Dropped no rows");
    expect(lines[2]).toBe(
      `Repaired ${REPAIRS_SHOWN + 3} rows (${REPAIRS_SHOWN + 3} repairs), the first ${REPAIRS_SHOWN}:`,
    );
    expect(lines).toHaveLength(3 + REPAIRS_SHOWN + 1);
    expect(lines.at(-1)).toBe("  … and 3 more");
  });
});

describe("runImportVega on the installed vega-datasets movies.json", () => {
  it("imports about 3,200 films and writes a byte-identical file when run again", async () => {
    const first = join(workDir(), "first", "vega-movies.jsonl");
    const second = join(workDir(), "second", "vega-movies.jsonl");
    const run1 = await run(["--out", first]);
    const run2 = await run(["--out", second]);
    expect([run1.code, run2.code]).toEqual([0, 0]);
    expect(run1.stdout).toMatch(/^Imported 3,\d{3} films from .*movies\.json \(3,201 rows\) into /);
    const text = await readFile(first, "utf8");
    expect(await readFile(second, "utf8")).toBe(text);
    const films = text.trimEnd().split("\n");
    expect(films.length).toBeGreaterThanOrEqual(3150);
    expect(films.length).toBeLessThanOrEqual(3201);
  });
});

describe("runImportVega command line", () => {
  it.each([
    [["--bogus"], "import vega: Unknown option '--bogus'"],
    [["extra"], "import vega: Unexpected argument 'extra'"],
    [["--from"], "import vega: Option '--from <value>' argument missing"],
    [["--from="], "import vega: --from needs a file"],
    [["--out="], "import vega: --out needs a file"],
  ])("rejects %j with one clear line and exit code 2", async (args, message) => {
    const { code, stdout, stderr } = await run(args);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr.startsWith(message)).toBe(true);
    expect(stderr).toContain("usage: catalog import vega [--from FILE] [--out FILE]");
    expect(stderr.trimEnd().split("\n")).toHaveLength(1);
  });

  it("prints the help with the default output on --help", async () => {
    const { code, stdout, stderr } = await run(["--help"]);
    expect(code).toBe(0);
    expect(stderr).toBe("");
    expect(stdout).toContain(`(default ${DEFAULT_VEGA_OUT})`);
  });

  it("fails with one line and exit code 1 when the input is missing, not JSON or not a list", async () => {
    const missing = join(workDir(), "nowhere.json");
    expect(await run(["--from", missing, "--out", join(workDir(), "x.jsonl")])).toEqual({
      code: 1,
      stdout: "",
      stderr: `import vega: cannot read ${missing}: not found\n`,
    });
    const broken = join(workDir(), "broken.json");
    await writeFile(broken, "[{");
    const notJson = await run(["--from", broken, "--out", join(workDir(), "x.jsonl")]);
    expect(notJson.code).toBe(1);
    expect(notJson.stderr).toMatch(
      new RegExp(`^import vega: ${broken.replace(/[.]/g, "\\.")} is not valid JSON: .*\\n$`),
    );
    const object = join(workDir(), "object.json");
    await writeFile(object, '{"Title": "Alone"}');
    expect((await run(["--from", object, "--out", join(workDir(), "x.jsonl")])).stderr).toBe(
      `import vega: ${object}: expected an array of films, got an object\n`,
    );
    expect(await readdir(workDir())).not.toContain("x.jsonl");
  });

  it("fails with one line and exit code 1 when the output cannot be written, leaving nothing behind", async () => {
    const blocker = join(workDir(), "a-file");
    await writeFile(blocker, "");
    const { code, stderr } = await run(["--from", FIXTURE, "--out", join(blocker, "vega.jsonl")]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^import vega: cannot write .*a-file\/vega\.jsonl: .+\n$/);
    expect(await readdir(workDir())).toEqual(["a-file"]);
  });
});
