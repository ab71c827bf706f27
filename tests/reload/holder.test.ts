import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, describe, expect, it } from "vitest";
import { Catalog } from "../../src/catalog/catalog.js";
import type { Film } from "../../src/catalog/film.js";
import { createCatalogHolder, losesMoreThanHalf } from "../../src/reload/holder.js";
import { loadDataDir, type LoadResult } from "../../src/catalog/load.js";
import { removeTempDirs, silentLogger, tempDir, vegaFilms, writeFilmsJsonl } from "../commands/fixtures.js";

afterAll(removeTempDirs);

/** A data folder holding `films` as JSON Lines, and a holder whose catalog is what the folder held at first. */
async function holderOver(films: readonly Film[], options: { load?: (dir: string) => Promise<LoadResult> } = {}) {
  const dataDir = join(await tempDir("film-holder-"), "data");
  await mkdir(dataDir);
  await writeFilmsJsonl(dataDir, "films.jsonl", films);
  const initial = Catalog.build((await loadDataDir(dataDir)).films);
  const holder = createCatalogHolder({ dataDir, initial, logger: silentLogger(), ...options });
  return { dataDir, holder, initial };
}

const films = vegaFilms().slice(0, 100);

/** A full garbage collection, without running the tests under --expose-gc. */
function collectGarbage(): void {
  setFlagsFromString("--expose-gc");
  (runInNewContext("gc") as () => void)();
}

describe("CatalogHolder", () => {
  it("swaps in the new catalog; a reference taken before stays whole", async () => {
    const { dataDir, holder, initial } = await holderOver(films.slice(0, 60));
    const before = holder.current;
    const someId = films[0]!.id;
    await writeFilmsJsonl(dataDir, "more.jsonl", films.slice(60));
    const outcome = await holder.reload({ force: false });
    expect(outcome).toMatchObject({ status: "reloaded", films: 100, previousFilms: 60 });
    expect(holder.current).not.toBe(before);
    expect(holder.current.size).toBe(100);
    // The old catalog is untouched: an interaction that took it before the swap finishes on one whole catalog.
    expect(before).toBe(initial);
    expect(before.size).toBe(60);
    expect(before.get(films[80]!.id)).toBeUndefined();
    expect(before.get(someId)?.id).toBe(someId);
    expect(before.search(films[1]!.title, { limit: 1 })[0]?.film.id).toBe(films[1]!.id);
  });

  it("leaves nothing of a replaced catalog alive, even with every reload's outcome kept", async () => {
    const { dataDir, holder } = await holderOver(films.slice(0, 90));
    const outcomes = [await holder.reload({ force: false })];
    const replaced = new WeakRef(holder.current);
    const replacedFilm = new WeakRef(holder.current.films[0]!);
    await writeFilmsJsonl(dataDir, "more.jsonl", films.slice(90));
    outcomes.push(await holder.reload({ force: false }));
    expect(holder.current).not.toBe(replaced.deref());
    // An outcome says what the load found; the films are the catalog's, not the report's.
    for (const outcome of outcomes) expect(outcome.status === "reloaded" && "films" in outcome.load).toBe(false);
    await sleep(0);
    collectGarbage();
    expect(replaced.deref()).toBeUndefined();
    expect(replacedFilm.deref()).toBeUndefined();
    expect(outcomes).toHaveLength(2);
  });

  it("has V8 free a replaced catalog soon after the reload, with no collection forced", async () => {
    const { dataDir, holder } = await holderOver(films.slice(0, 90));
    // Watched without a WeakRef: each deref would keep the catalog alive through the job that made it.
    const replaced = { freed: false };
    const watcher = new FinalizationRegistry(() => (replaced.freed = true));
    watcher.register(holder.current, "replaced");
    await writeFilmsJsonl(dataDir, "more.jsonl", films.slice(90));
    expect(await holder.reload({ force: false })).toMatchObject({ status: "reloaded", films: 100 });
    // Left to V8's own schedule, a catalog this small would stay until the heap grew far past it.
    const deadline = performance.now() + 10_000;
    const work: unknown[] = [];
    while (!replaced.freed && performance.now() < deadline) {
      for (let i = 0; i < 200; i++) work[i] = { i, query: `keystroke ${i}` };
      await sleep(5);
    }
    expect(replaced.freed).toBe(true);
  });

  it("refuses a reload that would lose more than half the films, and keeps the catalog", async () => {
    const { dataDir, holder } = await holderOver(films);
    await writeFilmsJsonl(dataDir, "films.jsonl", films.slice(0, 40));
    const before = holder.current;
    const outcome = await holder.reload({ force: false });
    expect(outcome).toMatchObject({ status: "refused", films: 40, previousFilms: 100 });
    expect(outcome.status === "refused" && outcome.reason).toContain("would have 40 films instead of 100");
    expect(holder.current).toBe(before);
  });

  it("accepts the same reload when forced", async () => {
    const { dataDir, holder } = await holderOver(films);
    await writeFilmsJsonl(dataDir, "films.jsonl", films.slice(0, 40));
    expect(await holder.reload({ force: true })).toMatchObject({ status: "reloaded", films: 40, previousFilms: 100 });
    expect(holder.current.size).toBe(40);
  });

  it("accepts losing exactly half", async () => {
    const { dataDir, holder } = await holderOver(films);
    await writeFilmsJsonl(dataDir, "films.jsonl", films.slice(0, 50));
    expect((await holder.reload({ force: false })).status).toBe("reloaded");
  });

  it("keeps the old catalog when the folder is gone", async () => {
    const { dataDir, holder } = await holderOver(films);
    const before = holder.current;
    await rm(dataDir, { recursive: true });
    const outcome = await holder.reload({ force: true });
    expect(outcome).toMatchObject({ status: "failed", previousFilms: 100 });
    expect(outcome.status === "failed" && outcome.reason).toMatch(/^data folder not found: /);
    expect(holder.current).toBe(before);
  });

  it("keeps the old catalog when loading throws", async () => {
    const { holder } = await holderOver(films, {
      load: async () => Promise.reject(new Error("disk on fire\nsecond line")),
    });
    const before = holder.current;
    expect(await holder.reload({ force: false })).toMatchObject({ status: "failed", reason: "disk on fire" });
    expect(holder.current).toBe(before);
  });

  it("reports skipped files and keeps going", async () => {
    const { dataDir, holder } = await holderOver(films);
    await writeFile(join(dataDir, "broken.json"), "{ not json");
    const outcome = await holder.reload({ force: false });
    expect(outcome.status).toBe("reloaded");
    expect(outcome.status === "reloaded" && outcome.load.errors.map((error) => error.file)).toEqual(["broken.json"]);
  });

  it.each([
    ["read on this thread", {}],
    ["kept as bytes by the load workers", { pageWorkers: 2, jsonLinesOnWorkersFrom: 0 }],
  ])("keeps the catalog in service when no film changed (films %s), and builds anew when one did", async (_, opts) => {
    const load = (dir: string): Promise<LoadResult> => loadDataDir(dir, opts);
    const dataDir = join(await tempDir("film-holder-"), "data");
    await mkdir(dataDir);
    await writeFilmsJsonl(dataDir, "films.jsonl", films);
    const initial = Catalog.build((await load(dataDir)).films);
    const holder = createCatalogHolder({
      dataDir,
      initial,
      logger: silentLogger(),
      load: (dir, previous) => loadDataDir(dir, { ...opts, previous }),
    });
    expect(await holder.reload({ force: false })).toMatchObject({ status: "reloaded", films: 100, unchanged: true });
    expect(holder.current).toBe(initial);
    // One film's rating changes: a new catalog, with it.
    const changed = films.map((film, i): Film =>
      i === 42 ? { ...film, rating: { score: 1.5, outOf: 10, votes: 3 } } : film,
    );
    await writeFilmsJsonl(dataDir, "films.jsonl", changed);
    const outcome = await holder.reload({ force: false });
    expect(outcome).toMatchObject({ status: "reloaded", films: 100 });
    expect(outcome.status === "reloaded" && outcome.unchanged).toBeFalsy();
    expect(holder.current).not.toBe(initial);
    expect(holder.current.get(films[42]!.id)?.rating?.score).toBe(1.5);
    // The same films in another order are another catalog (the order numbers the index).
    await writeFilmsJsonl(dataDir, "films.jsonl", [...changed].reverse());
    const reordered = holder.current;
    expect(await holder.reload({ force: false })).not.toMatchObject({ unchanged: true });
    expect(holder.current).not.toBe(reordered);
  });

  it("runs concurrent reloads one after the other; each sees the folder as it then is", async () => {
    let running = 0;
    let overlapped = false;
    const load = async (dir: string): Promise<LoadResult> => {
      running++;
      if (running > 1) overlapped = true;
      await sleep(30);
      try {
        return await loadDataDir(dir);
      } finally {
        running--;
      }
    };
    const { dataDir, holder } = await holderOver(films.slice(0, 60), { load });
    const first = holder.reload({ force: false });
    await writeFilmsJsonl(dataDir, "more.jsonl", films.slice(60));
    const second = holder.reload({ force: false });
    const outcomes = await Promise.all([first, second]);
    expect(overlapped).toBe(false);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(["reloaded", "reloaded"]);
    expect(outcomes[1]).toMatchObject({ films: 100 });
    expect(holder.current.size).toBe(100);
  });

  it("collapses requests that arrive while one reload runs into one more reload", async () => {
    let loads = 0;
    const load = async (dir: string): Promise<LoadResult> => {
      loads++;
      await sleep(30);
      return loadDataDir(dir);
    };
    const { dataDir, holder } = await holderOver(films.slice(0, 60), { load });
    const running = holder.reload({ force: false });
    await sleep(5);
    await writeFilmsJsonl(dataDir, "more.jsonl", films.slice(60));
    // Twenty SIGHUPs, 100 ms apart on a supervisor's clock; here, all while the first reload runs.
    const followers = Array.from({ length: 20 }, () => holder.reload({ force: false }));
    const outcomes = await Promise.all([running, ...followers]);
    expect(loads).toBe(2);
    expect(new Set(followers).size).toBe(1);
    expect(outcomes.at(-1)).toMatchObject({ status: "reloaded", films: 100 });
  });

  it("does not empty the catalog unless forced and confirmed", async () => {
    const { dataDir, holder } = await holderOver(films.slice(0, 10));
    await writeFilmsJsonl(dataDir, "films.jsonl", []);
    for (const options of [{ force: false }, { force: true }, { force: false, confirmEmpty: true }]) {
      const outcome = await holder.reload(options);
      expect(outcome).toMatchObject({ status: "refused", films: 0, previousFilms: 10 });
      expect(outcome.status === "refused" && outcome.reason).toContain("the data folder has no films");
      expect(holder.current.size).toBe(10);
    }
    expect(await holder.reload({ force: true, confirmEmpty: true })).toMatchObject({ status: "reloaded", films: 0 });
  });
});

describe("losesMoreThanHalf", () => {
  it.each([
    [100, 49, true],
    [100, 50, false],
    [100, 200, false],
    [0, 0, false],
    [1, 0, true],
  ])("%i → %i: %s", (previous, next, expected) => {
    expect(losesMoreThanHalf(previous, next)).toBe(expected);
  });
});
