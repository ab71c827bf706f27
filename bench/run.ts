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
import { runImdbImportBench } from "./imdb-import.js";
import { runLoadBench } from "./load.js";
import { runReloadBench } from "./reload.js";
import { runScaleBench } from "./scale.js";
import { runSearchBench } from "./search.js";
import { runSimilarBench } from "./similar.js";
import { runStartBench } from "./start.js";
import { runTmdbImportBench } from "./tmdb-import.js";

const PARTS = ["search", "similar", "load", "start", "reload", "imdb", "tmdb", "scale"] as const;
type Part = (typeof PARTS)[number];

async function runPart(part: Part): Promise<void> {
  if (part === "search") {
    console.log("\n## Search (per keystroke, limit 25)");
    runSearchBench();
  } else if (part === "similar") {
    console.log("\n## Similar films (one Similar press: catalog.similar(id, 10))");
    runSimilarBench();
  } else if (part === "load") {
    console.log("\n## Load and index at start");
    await runLoadBench();
  } else if (part === "start") {
    console.log("\n## Start on 300,000 and 500,000 JSON Lines films, against reading and parsing them");
    runStartBench();
  } else if (part === "reload") {
    console.log("\n## Reload of 300,000 JSON Lines films, autocomplete meanwhile");
    await runReloadBench();
  } else if (part === "imdb") {
    console.log("\n## IMDb importer");
    await runImdbImportBench();
  } else if (part === "tmdb") {
    console.log("\n## TMDb importer (against the fake TMDb)");
    await runTmdbImportBench();
  } else {
    console.log("\n## Scale: HTTP interactions through nginx, replicas sharing Redis, and the gateway");
    await runScaleBench();
  }
}

const asked = process.argv.slice(2).filter((arg): arg is Part => (PARTS as readonly string[]).includes(arg));
const unknown = process.argv.slice(2).filter((arg) => !(PARTS as readonly string[]).includes(arg));
if (unknown.length > 0) {
  console.error(`unknown part: ${unknown.join(", ")} (parts: ${PARTS.join(", ")})`);
  process.exit(2);
}
if (asked.length === 1) {
  if (typeof (globalThis as { gc?: unknown }).gc !== "function")
    console.log("(heap figures include garbage: run with node --expose-gc)");
  await runPart(asked[0]!);
} else {
  const script = fileURLToPath(import.meta.url);
  for (const part of asked.length > 0 ? asked : PARTS) {
    const child = spawnSync(process.execPath, [...process.execArgv, script, part], { stdio: "inherit" });
    if (child.status !== 0) process.exit(child.status ?? 1);
  }
}
