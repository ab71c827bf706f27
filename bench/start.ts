/**
 * Start-up benchmark on big JSON Lines catalogs (bench/jsonl-catalog.ts: 300,000 and 500,000 films): the first load
 * as the bot does it (the catalog holder's first reload: loadDataDir, then Catalog.buildWithPauses), next to the
 * floor — reading the same files and JSON.parse of every line, on one thread, keeping nothing. Each size runs in a
 * fresh process, so that one catalog's heap does not weigh on the next one's memory figures; the floor runs first in
 * that process, so both find the files in the page cache.
 */
import { spawnSync } from "node:child_process";
import { createReadStream, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import pino from "pino";
import { Catalog } from "../src/catalog/catalog.js";
import { createCatalogHolder } from "../src/reload/holder.js";
import { jsonLinesCatalog } from "./jsonl-catalog.js";

export interface StartFigures {
  films: number;
  megabytes: number;
  floorMs: number;
  floorCpuMs: number;
  startMs: number;
  loadMs: number;
  indexMs: number;
  startCpuMs: number;
  heapMb: number;
  rssMb: number;
  peakRssMb: number;
}

const MB = 1024 * 1024;

/** Reads every file and JSON.parses every line, keeping nothing: what any start must at least do. */
async function floor(files: readonly string[]): Promise<number> {
  let records = 0;
  for (const path of files) {
    let rest = "";
    for await (const chunk of createReadStream(path, { encoding: "utf8", highWaterMark: 1024 * 1024 })) {
      const lines = (rest + (chunk as string)).split("\n");
      rest = lines.pop() ?? "";
      for (const line of lines) if (line !== "" && JSON.parse(line) !== null) records++;
    }
    if (rest !== "" && JSON.parse(rest) !== null) records++;
  }
  return records;
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

function peakRssMb(): number {
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync("/proc/self/status", "utf8"));
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

/** One size, in this process. */
async function measureStart(films: number): Promise<StartFigures> {
  const catalog = await jsonLinesCatalog(films, (line) => console.error(line));
  let cpu = process.cpuUsage();
  let started = performance.now();
  const records = await floor(catalog.files);
  const floorMs = performance.now() - started;
  const floorCpuMs = cpuMs(cpu);
  if (records < films) throw new Error(`the floor read ${records} records, not ${films}`);
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  let loadMs = 0;
  const holder = createCatalogHolder({
    dataDir: catalog.dir,
    initial: Catalog.build([]),
    logger: pino({ level: "silent" }),
    load: async (dir, previous) => {
      const { loadDataDir } = await import("../src/catalog/load.js");
      const loadStart = performance.now();
      const loaded = await loadDataDir(dir, { previous });
      loadMs = performance.now() - loadStart;
      return loaded;
    },
  });
  cpu = process.cpuUsage();
  started = performance.now();
  const outcome = await holder.reload({ force: true });
  const startMs = performance.now() - started;
  const startCpuMs = cpuMs(cpu);
  if (outcome.status !== "reloaded") throw new Error(`the load was ${outcome.status}`);
  gc?.();
  const memory = process.memoryUsage();
  return {
    films: outcome.films,
    megabytes: catalog.bytes / MB,
    floorMs,
    floorCpuMs,
    startMs,
    loadMs,
    indexMs: startMs - loadMs,
    startCpuMs,
    heapMb: memory.heapUsed / MB,
    rssMb: memory.rss / MB,
    peakRssMb: peakRssMb(),
  };
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

export function describeStart(figures: StartFigures): string {
  return (
    `${figures.films} films (${figures.megabytes.toFixed(0)} MB of JSON Lines): floor (read + JSON.parse, one ` +
    `thread) ${seconds(figures.floorMs)}; start ${seconds(figures.startMs)} (load ${seconds(figures.loadMs)} + ` +
    `index ${seconds(figures.indexMs)}) = ${(figures.startMs / figures.floorMs).toFixed(2)}× the floor; CPU ` +
    `${seconds(figures.startCpuMs)} all threads (floor ${seconds(figures.floorCpuMs)}); heap ` +
    `${figures.heapMb.toFixed(0)} MB after GC, RSS ${figures.rssMb.toFixed(0)} MB, peak RSS ` +
    `${figures.peakRssMb.toFixed(0)} MB`
  );
}

/** Every size, each in a fresh process. */
export function runStartBench(sizes: readonly number[] = [300_000, 500_000]): StartFigures[] {
  const script = fileURLToPath(import.meta.url);
  return sizes.map((films) => {
    const child = spawnSync(process.execPath, [...process.execArgv, script, String(films)], {
      stdio: ["ignore", "pipe", "inherit"],
      encoding: "utf8",
      maxBuffer: 16 * MB,
    });
    if (child.status !== 0) throw new Error(`the start bench for ${films} films failed (${child.status})`);
    const figures = JSON.parse(child.stdout.trim().split("\n").at(-1)!) as StartFigures;
    console.log(describeStart(figures));
    return figures;
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const films = Number(process.argv[2]);
  if (!Number.isInteger(films) || films <= 0) throw new Error("usage: start.ts <films>");
  console.log(JSON.stringify(await measureStart(films)));
}
