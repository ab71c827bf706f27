import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Catalog } from "../../src/catalog/catalog.js";
import { createCatalogHolder } from "../../src/reload/holder.js";
import { loadDataDir } from "../../src/catalog/load.js";
import { CatalogReloader } from "../../src/reload/reloader.js";
import { signal } from "../support/signal.js";
import { openStore } from "../../src/store/open-store.js";
import type { BotStore } from "../../src/store/store.js";
import { FIXED_NOW, removeTempDirs, silentLogger, tempDir, vegaFilms, writeFilmsJsonl } from "../commands/fixtures.js";

const stores: BotStore[] = [];
afterAll(async () => {
  await Promise.all(stores.map((store) => store.close()));
  await removeTempDirs();
});

const films = vegaFilms().slice(0, 100);

/** One "process": its own holder over the shared data folder, its own connection to the shared store file. */
async function processOver(dataDir: string, storeFile: string) {
  const logger = silentLogger();
  const store = await openStore(`sqlite://${storeFile}`, { logger });
  stores.push(store);
  const holder = createCatalogHolder({ dataDir, initial: Catalog.build((await loadDataDir(dataDir)).films), logger });
  const reloader = new CatalogReloader({ holder, store, logger, clock: () => FIXED_NOW });
  await reloader.adoptCurrentGeneration();
  return { holder, store, reloader };
}

async function sharedSetup() {
  const dir = await tempDir("film-reloader-");
  const dataDir = join(dir, "data");
  await mkdir(dataDir);
  await writeFilmsJsonl(dataDir, "films.jsonl", films.slice(0, 60));
  return { dataDir, storeFile: join(dir, "state", "bot.sqlite") };
}

describe("CatalogReloader", () => {
  it("audits a reload and publishes a new generation", async () => {
    const { dataDir, storeFile } = await sharedSetup();
    const { store, reloader } = await processOver(dataDir, storeFile);
    await writeFilmsJsonl(dataDir, "more.jsonl", films.slice(60));
    const outcome = await reloader.reload({ by: "user:1 (mod)", guildId: "223456789012345678", force: false });
    expect(outcome.status).toBe("reloaded");
    expect(await store.reloadAudit.recent(5)).toEqual([
      {
        at: FIXED_NOW.toISOString(),
        by: "user:1 (mod)",
        guildId: "223456789012345678",
        outcome: "reloaded",
        films: 100,
        previousFilms: 60,
        skippedFiles: 0,
        durationMs: expect.any(Number) as unknown as number,
        message: "100 films (was 60), 0 problems skipped, 0 merges",
      },
    ]);
    expect(await store.catalogGeneration.read()).toMatch(/^2025-01-15T12:00:00\.000Z\/[0-9a-f-]{36}$/);
  });

  it("audits refusals and failures, and publishes nothing for them", async () => {
    const { dataDir, storeFile } = await sharedSetup();
    const { store, reloader } = await processOver(dataDir, storeFile);
    await reloader.recordRefusal(
      { by: "user:2 (member)", guildId: "223456789012345678", force: false },
      "no permission",
    );
    await rm(dataDir, { recursive: true });
    const failed = await reloader.reload({ by: "signal:SIGHUP", guildId: null, force: false });
    expect(failed.status).toBe("failed");
    const audit = await store.reloadAudit.recent(5);
    expect(audit.map((entry) => [entry.by, entry.outcome, entry.films])).toEqual([["signal:SIGHUP", "failed", 60]]);
    expect(await store.reloadAudit.recentRefusals(5)).toMatchObject([
      { by: "user:2 (member)", guildId: "223456789012345678", message: "no permission", count: 1 },
    ]);
    expect(await store.catalogGeneration.read()).toBeNull();
  });

  it("makes a second process sharing the store follow a reload, once", async () => {
    const { dataDir, storeFile } = await sharedSetup();
    const first = await processOver(dataDir, storeFile);
    const second = await processOver(dataDir, storeFile);
    expect(await second.reloader.followGeneration()).toBeNull();

    await writeFilmsJsonl(dataDir, "more.jsonl", films.slice(60));
    await first.reloader.reload({ by: "user:1 (mod)", guildId: "223456789012345678", force: false });
    expect(first.holder.current.size).toBe(100);
    expect(second.holder.current.size).toBe(60);

    expect(await second.reloader.followGeneration()).toMatchObject({ status: "reloaded", films: 100 });
    expect(second.holder.current.size).toBe(100);
    // Seen now: no second reload; and the process that reloaded does not reload again on its own marker.
    expect(await second.reloader.followGeneration()).toBeNull();
    expect(await first.reloader.followGeneration()).toBeNull();
    // Followers do not write audit entries: the audit has the one reload a person asked for.
    expect((await first.store.reloadAudit.recent(10)).map((entry) => entry.by)).toEqual(["user:1 (mod)"]);
  });

  it("follows even a reload that lost more than half the films (the moderator forced it)", async () => {
    const { dataDir, storeFile } = await sharedSetup();
    const first = await processOver(dataDir, storeFile);
    const second = await processOver(dataDir, storeFile);
    await writeFilmsJsonl(dataDir, "films.jsonl", films.slice(0, 10));
    expect((await first.reloader.reload({ by: "user:1", guildId: null, force: true })).status).toBe("reloaded");
    expect(await second.reloader.followGeneration()).toMatchObject({ status: "reloaded", films: 10 });
  });

  it("audits a reload cut short by shutdown as interrupted, and writes nothing more when it ends", async () => {
    const { dataDir, storeFile } = await sharedSetup();
    const logger = silentLogger();
    const store = await openStore(`sqlite://${storeFile}`, { logger });
    stores.push(store);
    const loadStarted = signal();
    const loadMayFinish = signal();
    const holder = createCatalogHolder({
      dataDir,
      initial: Catalog.build(films.slice(0, 60)),
      logger,
      load: async (dir) => {
        loadStarted.resolve();
        await loadMayFinish.promise;
        return loadDataDir(dir);
      },
    });
    const reloader = new CatalogReloader({ holder, store, logger, clock: () => FIXED_NOW });
    const reloading = reloader.reload({ by: "signal:SIGHUP", guildId: null, force: false });
    await loadStarted.promise;
    await reloader.interrupt();
    expect(await store.reloadAudit.recent(5)).toMatchObject([
      { by: "signal:SIGHUP", outcome: "interrupted", films: 60, previousFilms: 60 },
    ]);
    loadMayFinish.resolve();
    await reloading;
    expect(await store.reloadAudit.recent(5)).toHaveLength(1);
    expect(await store.catalogGeneration.read()).toBeNull();
  });
});
