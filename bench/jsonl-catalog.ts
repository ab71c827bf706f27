/**
 * Realistic JSON Lines catalogs for the load and reload benchmarks: each record is a generated page (bench/pages.ts:
 * synopsis, cast of 3–18 from long-tailed pools, trivia, review) parsed in full and written as the JSON record the
 * catalog format takes, so a JSON Lines film weighs what a real one does. Titles are the real ones, then synthetic
 * ones (bench/synthetic.ts). Written once per size and kept in the system's temporary folder for the next run.
 */
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { once } from "node:events";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parsePage } from "../src/catalog/pages/parse-page.js";
import { seededRandom } from "../tests/support/seeded-random.js";
import { pageText } from "./pages.js";
import { realFilms } from "./search.js";
import { syntheticFilms } from "./synthetic.js";

/** Films per file: a big catalog comes as a few large exports, not one file per film. */
const FILMS_PER_FILE = 50_000;

export interface JsonLinesCatalog {
  dir: string;
  films: number;
  files: string[];
  bytes: number;
}

/** The folder holding `films` records as JSON Lines, generated unless a previous run left it there. */
export async function jsonLinesCatalog(
  films: number,
  log: (line: string) => void = console.log,
): Promise<JsonLinesCatalog> {
  const dir = join(tmpdir(), `film-bot-bench-jsonl-${films}`);
  const marker = join(dir, ".generated");
  const files = Array.from({ length: Math.ceil(films / FILMS_PER_FILE) }, (_, i) =>
    join(dir, `films-${String(i).padStart(2, "0")}.jsonl`),
  );
  if (existsSync(marker)) {
    const [count, bytes] = readFileSync(marker, "utf8").split(":").map(Number);
    if (count === films) return { dir, films, files, bytes: bytes ?? 0 };
  }
  const started = performance.now();
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const real = realFilms();
  const titles = [...real, ...syntheticFilms(real, Math.max(0, films - real.length))]
    .slice(0, films)
    .map((film) => film.title);
  const random = seededRandom(42);
  let bytes = 0;
  for (const [fileIndex, path] of files.entries()) {
    const out = createWriteStream(path);
    const lines: string[] = [];
    const end = Math.min(films, (fileIndex + 1) * FILMS_PER_FILE);
    for (let index = fileIndex * FILMS_PER_FILE; index < end; index++) {
      const film = parsePage(pageText(index, titles[index]!, random), "generated");
      const { id: _id, source: _source, ...record } = film;
      lines.push(JSON.stringify(record));
      if (lines.length === 1000 || index === end - 1) {
        const chunk = `${lines.join("\n")}\n`;
        bytes += Buffer.byteLength(chunk);
        lines.length = 0;
        if (!out.write(chunk)) await once(out, "drain");
      }
    }
    out.end();
    await once(out, "finish");
  }
  writeFileSync(marker, `${films}:${bytes}`);
  log(
    `generated ${films} JSON Lines films (${(bytes / 1024 / 1024).toFixed(0)} MB in ${files.length} files) in ${dir} ` +
      `in ${((performance.now() - started) / 1000).toFixed(1)} s (kept for the next run)`,
  );
  return { dir, films, files, bytes };
}
