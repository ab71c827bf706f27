/**
 * How fast does a data folder load? Generates N synthetic pages from the seed page (varied titles and years) into a
 * temporary folder, then times loadDataDir on it and prints files/s and heap.
 *
 *   npx tsx bench/load-pages.ts [N=100000] [--io sync|async] [--concurrency 64] [--dir DIR] [--keep]
 *   node --expose-gc --import tsx bench/load-pages.ts …   (heap measured after a full GC)
 *
 * --dir reuses (or creates, on first use) a folder of pages so generation is not timed again and again.
 */
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { loadDataDir } from "../src/catalog/load.js";
import { parsePage } from "../src/catalog/parse-page.js";

const SEED_PATH = new URL("../data/000_ca69434de1f8644e.txt", import.meta.url);
const SEED_TITLE = "Miss You Already";
const SEED_YEAR = "2015";
const WORDS = ["Midnight", "Garden", "River", "Silent", "Empire", "Ghost", "Summer", "Amélie", "Iron", "Paper", "Wolf", "Café"];

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    io: { type: "string", default: "sync" },
    concurrency: { type: "string", default: "64" },
    dir: { type: "string" },
    keep: { type: "boolean", default: false },
  },
});
const count = Number(positionals[0] ?? 100_000);
const io = values.io === "async" ? "async" : "sync";
const seed = readFileSync(SEED_PATH, "utf8");

/** A distinct, pronounceable title per page, so titles and ids do not collide (and nothing merges). */
function titleOf(index: number): string {
  const a = WORDS[index % WORDS.length]!;
  const b = WORDS[Math.floor(index / WORDS.length) % WORDS.length]!;
  return `${a} ${b} ${index}`;
}

function pageOf(index: number): string {
  const year = String(1950 + (index % 75));
  return seed.replaceAll(SEED_TITLE, titleOf(index)).replaceAll(SEED_YEAR, year);
}

function generate(dir: string): number {
  mkdirSync(dir, { recursive: true });
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const text = pageOf(i);
    bytes += Buffer.byteLength(text);
    writeFileSync(join(dir, `${String(i).padStart(6, "0")}.txt`), text);
  }
  return bytes;
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

function heapNow(): number {
  // With --expose-gc the number is the live heap, not live + garbage.
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  return process.memoryUsage().heapUsed;
}

const dir = values.dir ?? mkdtempSync(join(tmpdir(), "film-bench-"));
mkdirSync(dir, { recursive: true });
const existing = values.dir ? readdirSync(dir, { withFileTypes: true }).filter((entry) => entry.name.endsWith(".txt")).length : 0;
if (existing < count) {
  const started = performance.now();
  const bytes = generate(dir);
  console.log(`generated ${count} pages (${mb(bytes)}) in ${dir} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
} else {
  console.log(`reusing ${existing} pages in ${dir}`);
}

// Parsing alone, on strings already in memory and before the load fills the heap: the parser's own cost, without
// the file system's and without the garbage collector's work of keeping 100,000 films alive.
function timeParseAlone(): void {
  const sample = Array.from({ length: Math.min(count, 20_000) }, (_, i) => pageOf(i));
  const started = performance.now();
  for (const [i, text] of sample.entries()) parsePage(text, `${i}.txt`);
  const ms = performance.now() - started;
  console.log(
    `parsePage alone: ${sample.length} pages in ${ms.toFixed(0)} ms = ${((ms * 1000) / sample.length).toFixed(1)} µs/page ` +
      `(${Math.round((sample.length / ms) * 1000).toLocaleString("en")} pages/s)`,
  );
}
timeParseAlone();

const heapBefore = heapNow();
const cpuBefore = process.cpuUsage();
const result = await loadDataDir(dir, { io, concurrency: Number(values.concurrency) });
const cpu = process.cpuUsage(cpuBefore);
const heapAfter = heapNow();
const seconds = result.durationMs / 1000;
console.log(
  `loadDataDir (io=${io}): ${result.filesRead} files → ${result.films.length} films, ${result.errors.length} errors, ` +
    `${result.merges.length} merges in ${seconds.toFixed(2)} s = ${Math.round(result.filesRead / seconds).toLocaleString("en")} files/s`,
);
// CPU time next to wall time: on a shared machine the wall clock also counts other processes' turns.
console.log(`cpu: ${(cpu.user / 1e6).toFixed(2)} s user + ${(cpu.system / 1e6).toFixed(2)} s system (all threads, GC included)`);
console.log(
  `heap: ${mb(heapAfter)} used (${mb(heapAfter - heapBefore)} for the films), rss ${mb(process.memoryUsage().rss)}` +
    (typeof (globalThis as { gc?: unknown }).gc === "function" ? " (after GC)" : " (no --expose-gc: includes garbage)"),
);

if (!values.keep && !values.dir) rmSync(dir, { recursive: true, force: true });
