/**
 * `npm run bench`: the numbers docs/performance.md quotes, in one run.
 *
 *   npm run bench                 search, similar, load, start, reload, IMDb import, TMDb import, scale — each in a
 *                                 fresh process, so that one part's heap does not weigh on the next one's memory
 *                                 figures
 *   npm run bench -- search       one part only (search | similar | load | start | reload | imdb | tmdb | scale)
 *
 * Targets (from the catalog issue): a keystroke query ≤ 1 ms p99 at 3k titles and ≤ 5 ms p99 at 300k, ≥ 100× faster
 * than plain fuse.js at 30k; ≥ 95 % / ≥ 99 % quality; 100,000 pages loaded and indexed in ≤ 5 s with ≤ 500 MB heap;
 * a Similar press under 5 ms p99 at 300k films (issue 11); over HTTP, a burst's p99 time to first response within 1.5×
 * the bare endpoint's at one replica; autocomplete during a 300,000-film reload ≤ 50 ms p99, with peak memory ≤ 1.5×
 * the steady state (issue 13).
 * Timings are this machine's at this moment: run it on a quiet machine.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { configureCollector } from "../src/reload/collector.js";
import { runImdbImportBench } from "./imdb-import.js";
import { runLoadBench } from "./load.js";
import { runReloadBench } from "./reload.js";
import { runScaleBench } from "./scale.js";
import { runSearchBench } from "./search.js";
import { runSimilarBench } from "./similar.js";
import { runStartBench } from "./start.js";
import { runTmdbImportBench } from "./tmdb-import.js";

/** Each part: its heading, and what runs it. The order is the order of a whole run. */
const PARTS = {
  search: ["Search (per keystroke, limit 25)", runSearchBench],
  similar: ["Similar films (one Similar press: catalog.similar(id, 10))", runSimilarBench],
  load: ["Load and index at start", runLoadBench],
  start: ["Start on 300,000 and 500,000 JSON Lines films, against reading and parsing them", runStartBench],
  reload: ["Reload of 300,000 JSON Lines films, autocomplete meanwhile", runReloadBench],
  imdb: ["IMDb importer", runImdbImportBench],
  tmdb: ["TMDb importer (against the fake TMDb)", runTmdbImportBench],
  scale: ["Scale: HTTP interactions through nginx, replicas sharing Redis, and the gateway", runScaleBench],
} as const satisfies Record<string, readonly [string, () => unknown]>;
type Part = keyof typeof PARTS;
const PART_NAMES = Object.keys(PARTS) as Part[];

async function runPart(part: Part): Promise<void> {
  const [heading, run] = PARTS[part];
  console.log(`\n## ${heading}`);
  await run();
}

const asked = process.argv.slice(2).filter((arg): arg is Part => (PART_NAMES as readonly string[]).includes(arg));
const unknown = process.argv.slice(2).filter((arg) => !(PART_NAMES as readonly string[]).includes(arg));
if (unknown.length > 0) {
  console.error(`unknown part: ${unknown.join(", ")} (parts: ${PART_NAMES.join(", ")})`);
  process.exit(2);
}
if (asked.length === 1) {
  if (typeof (globalThis as { gc?: unknown }).gc !== "function")
    console.log("(heap figures include garbage: run with node --expose-gc)");
  // The collector set as the bot sets it (src/main.ts), so that pauses and memory are the bot's.
  const missing = configureCollector();
  if (missing.length > 0) console.log(`(started without ${missing.join(" ")}: run it with npm run bench)`);
  await runPart(asked[0]!);
} else {
  const script = fileURLToPath(import.meta.url);
  for (const part of asked.length > 0 ? asked : PART_NAMES) {
    const child = spawnSync(process.execPath, [...process.execArgv, script, part], { stdio: "inherit" });
    if (child.status !== 0) process.exit(child.status ?? 1);
  }
}
