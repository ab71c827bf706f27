/**
 * The catalog that ships in data/: it must load clean (the bot starts on it out of the box), and the generated
 * starter file must be what `catalog import vega` makes today.
 */
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Film } from "../../src/catalog/film.js";
import { loadDataDir } from "../../src/catalog/load.js";
import { runCatalogCli } from "../../src/cli/catalog.js";
import { runImportVega } from "../../src/cli/import-vega.js";

const DATA = fileURLToPath(new URL("../../data/", import.meta.url));
const STARTER = "vega-movies.jsonl";
const SEED_PAGE = "000_ca69434de1f8644e.txt";

async function catalog(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await runCatalogCli(argv, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    stdin: Readable.from([]),
    env: {},
  });
  return { code, stdout, stderr };
}

describe("catalog check on the shipped data folder", () => {
  it("exits 0 with at least 3,200 films, no errors and no merges", async () => {
    const result = await catalog(["check", DATA]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const summary = /: ([\d,]+) data files read in .*: ([\d,]+) films loaded, 0 merges, 0 errors$/m.exec(result.stdout);
    expect(summary, result.stdout).not.toBeNull();
    expect(Number(summary![2]!.replaceAll(",", ""))).toBeGreaterThanOrEqual(3200);
    expect(result.stdout.trimEnd().split("\n")).toHaveLength(1);
  });

  it("has the seed film once, from its page: no starter film shares its title and year", async () => {
    const result = await loadDataDir(DATA);
    const seeds = result.films.filter((film) => film.title === "Miss You Already");
    expect(seeds.map((film) => [film.id, film.source])).toEqual([["miss-you-already-2015", SEED_PAGE]]);
    expect(new Set(result.films.map((film) => film.id)).size).toBe(result.films.length);
  });
});

describe("data/README.md", () => {
  it("exists and is not read as data: only .txt, .json and .jsonl files are", async () => {
    const names = await readdir(DATA);
    expect(names).toContain("README.md");
    const dataFiles = names.filter((name) => /\.(txt|json|jsonl)$/i.test(name) && !name.startsWith("."));
    const result = await loadDataDir(DATA);
    expect(result.filesRead).toBe(dataFiles.length);
    expect(result.errors).toEqual([]);
  });

  it("names each shipped data file and the command that regenerates the starter catalog", async () => {
    const readme = await readFile(join(DATA, "README.md"), "utf8");
    for (const name of (await readdir(DATA)).filter((file) => file !== "README.md")) expect(readme).toContain(name);
    expect(readme).toContain("npm run catalog -- import vega");
    expect(readme).toContain("BSD-3-Clause");
  });
});

describe(`data/${STARTER}`, () => {
  let work: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), "shipped-catalog-"));
  });

  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it("is byte for byte what `catalog import vega` writes from the installed movies.json", async () => {
    const out = join(work, STARTER);
    const code = await runImportVega(["--out", out], { stdout: () => {}, stderr: () => {}, isTTY: false });
    expect(code).toBe(0);
    const shipped = await readFile(join(DATA, STARTER), "utf8");
    const fresh = await readFile(out, "utf8");
    // On a mismatch, regenerate: npm run catalog -- import vega
    expect(shipped === fresh, `data/${STARTER} is stale: regenerate it with npm run catalog -- import vega`).toBe(true);
  });

  it("holds one valid record per line, each with its id and the file's name as source", async () => {
    const lines = (await readFile(join(DATA, STARTER), "utf8")).split("\n");
    expect(lines.pop()).toBe("");
    const films = lines.map((line) => JSON.parse(line) as Film);
    expect(films.length).toBeGreaterThanOrEqual(3200);
    expect(films.every((film) => film.source === STARTER && /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(film.id))).toBe(true);
  });
});
