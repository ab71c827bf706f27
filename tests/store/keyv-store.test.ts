import { randomUUID } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { KeyvSqlite } from "@keyv/sqlite";
import { Keyv } from "keyv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_NAMESPACE, openStore, StoreError } from "../../src/store/keyv-store.js";
import { WATCHLIST_LIMIT, type BotStore, type ReloadAuditEntry } from "../../src/store/store.js";
import { removeTempDirs, silentLogger, tempDir } from "../commands/fixtures.js";
import { findRedisServer, REDIS_SKIP_MESSAGE, startRedisServer, type RedisServer } from "../support/services.js";

afterAll(removeTempDirs);

const AT = new Date("2025-03-01T10:00:00.000Z");

function auditEntry(overrides: Partial<ReloadAuditEntry> = {}): ReloadAuditEntry {
  return {
    at: AT.toISOString(),
    by: "user:123456789012345678 (mod)",
    guildId: "223456789012345678",
    outcome: "reloaded",
    films: 10,
    previousFilms: 9,
    skippedFiles: 0,
    durationMs: 12,
    message: "10 films (was 9)",
    ...overrides,
  };
}

/** The BotStore contract, the same for every backend. */
function storeContract(open: () => Promise<BotStore>): void {
  let store: BotStore;
  beforeAll(async () => {
    store = await open();
  });
  afterAll(async () => {
    await store?.close();
  });

  it("adds, lists (oldest first) and removes watchlist films", async () => {
    const user = randomUUID();
    expect(await store.watchlists.list(user)).toEqual([]);
    expect(await store.watchlists.add(user, "alien-1979", AT)).toBe("added");
    expect(await store.watchlists.add(user, "solaris-1972", new Date(AT.getTime() + 1000))).toBe("added");
    expect(await store.watchlists.add(user, "alien-1979", AT)).toBe("already-listed");
    expect(await store.watchlists.list(user)).toEqual([
      { filmId: "alien-1979", addedAt: "2025-03-01T10:00:00.000Z" },
      { filmId: "solaris-1972", addedAt: "2025-03-01T10:00:01.000Z" },
    ]);
    expect(await store.watchlists.remove(user, "alien-1979")).toBe(true);
    expect(await store.watchlists.remove(user, "alien-1979")).toBe(false);
    expect((await store.watchlists.list(user)).map((entry) => entry.filmId)).toEqual(["solaris-1972"]);
    expect(await store.watchlists.remove(user, "solaris-1972")).toBe(true);
    expect(await store.watchlists.list(user)).toEqual([]);
  });

  it("keeps members' lists apart", async () => {
    const [first, second] = [randomUUID(), randomUUID()];
    await store.watchlists.add(first, "alien-1979", AT);
    expect(await store.watchlists.list(second)).toEqual([]);
    expect(await store.watchlists.remove(second, "alien-1979")).toBe(false);
  });

  it("loses no update when one member's changes arrive at once", async () => {
    const user = randomUUID();
    const ids = Array.from({ length: 30 }, (_, index) => `film-${index}`);
    await Promise.all(ids.map((id) => store.watchlists.add(user, id, AT)));
    expect((await store.watchlists.list(user)).map((entry) => entry.filmId).sort()).toEqual([...ids].sort());
    await Promise.all(ids.slice(0, 10).map((id) => store.watchlists.remove(user, id)));
    expect(await store.watchlists.list(user)).toHaveLength(20);
  });

  it(`caps a list at ${WATCHLIST_LIMIT} films`, async () => {
    const user = randomUUID();
    for (let index = 0; index < WATCHLIST_LIMIT; index++)
      expect(await store.watchlists.add(user, `film-${index}`, AT)).toBe("added");
    expect(await store.watchlists.add(user, "one-too-many", AT)).toBe("full");
    expect(await store.watchlists.add(user, "film-3", AT)).toBe("already-listed");
    expect(await store.watchlists.list(user)).toHaveLength(WATCHLIST_LIMIT);
  });

  it("records reload audit entries, newest first", async () => {
    const before = (await store.reloadAudit.recent(1000)).length;
    await store.reloadAudit.record(auditEntry({ message: "first" }));
    await store.reloadAudit.record(
      auditEntry({ outcome: "refused", message: "second", guildId: null, by: "signal:SIGHUP" }),
    );
    const recent = await store.reloadAudit.recent(2);
    expect(recent.map((entry) => entry.message)).toEqual(["second", "first"]);
    expect(recent[0]).toEqual(
      auditEntry({ outcome: "refused", message: "second", guildId: null, by: "signal:SIGHUP" }),
    );
    expect(await store.reloadAudit.recent(1000)).toHaveLength(before + 2);
    expect(await store.reloadAudit.recent(0)).toEqual([]);
  });

  it("shares a catalog generation marker", async () => {
    const generation = `2025-03-01T10:00:00.000Z/${randomUUID()}`;
    await store.catalogGeneration.write(generation);
    expect(await store.catalogGeneration.read()).toBe(generation);
  });
}

describe("SQLite store", () => {
  let path: string;
  beforeAll(async () => {
    path = join(await tempDir("film-store-"), "nested", "state", "bot.sqlite");
  });

  describe("contract", () => {
    storeContract(() => openStore(`sqlite://${path}`, { logger: silentLogger() }));
  });

  it("creates the file's folder and keeps data across reopening", async () => {
    const file = join(await tempDir("film-store-"), "a", "b", "bot.sqlite");
    const first = await openStore(`sqlite://${file}`, { logger: silentLogger() });
    expect(await first.catalogGeneration.read()).toBeNull();
    await first.watchlists.add("u1", "alien-1979", AT);
    await first.close();
    const second = await openStore(`sqlite://${file}`, { logger: silentLogger() });
    expect((await second.watchlists.list("u1")).map((entry) => entry.filmId)).toEqual(["alien-1979"]);
    await second.close();
  });

  it("drops unreadable stored entries instead of failing", async () => {
    const file = join(await tempDir("film-store-"), "bot.sqlite");
    const raw = new Keyv({ store: new KeyvSqlite({ uri: `sqlite://${file}` }), namespace: DEFAULT_NAMESPACE });
    await raw.set("watchlist:u1", [{ filmId: "alien-1979", addedAt: AT.toISOString() }, { filmId: 42 }, "junk", null]);
    await raw.set("watchlist:u2", { not: "a list" });
    await raw.set("reload-audit", [auditEntry(), { outcome: "exploded" }]);
    await raw.disconnect();
    const store = await openStore(`sqlite://${file}`, { logger: silentLogger() });
    expect((await store.watchlists.list("u1")).map((entry) => entry.filmId)).toEqual(["alien-1979"]);
    expect(await store.watchlists.list("u2")).toEqual([]);
    expect(await store.reloadAudit.recent(10)).toEqual([auditEntry()]);
    await store.close();
  });

  it("waits for writes under way before closing, and closes once", async () => {
    const store = await openStore(`sqlite://${join(await tempDir("film-store-"), "bot.sqlite")}`, {
      logger: silentLogger(),
    });
    const writes = Array.from({ length: 10 }, (_, index) => store.watchlists.add("u1", `film-${index}`, AT));
    await Promise.all([store.close(), store.close()]);
    expect(await Promise.all(writes)).toEqual(Array.from({ length: 10 }, () => "added"));
  });

  it("fails at open, in one line, when the file cannot be created", async () => {
    const blocker = join(await tempDir("film-store-"), "not-a-folder");
    await writeFile(blocker, "a file where a folder should be");
    const error = await openStore(`sqlite://${join(blocker, "bot.sqlite")}`, { logger: silentLogger() }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(Error);
    expect(String((error as Error).message)).not.toContain("\n");
  });

  it("rejects other schemes", async () => {
    await expect(openStore("mongodb://db/bot", { logger: silentLogger() })).rejects.toThrow(StoreError);
  });
});

const redisServer = findRedisServer();
if (redisServer === null) console.warn(REDIS_SKIP_MESSAGE);

describe.skipIf(redisServer === null)("Redis store (a redis-server started for the test)", () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedisServer(redisServer!);
  });
  afterAll(async () => {
    await redis?.stop();
  });

  describe("contract", () => {
    storeContract(() => openStore(redis.url, { logger: silentLogger(), namespace: `test-${randomUUID()}` }));
  });

  it("shares state between two connections (two bot processes)", async () => {
    const namespace = `test-${randomUUID()}`;
    const [first, second] = await Promise.all([
      openStore(redis.url, { logger: silentLogger(), namespace }),
      openStore(redis.url, { logger: silentLogger(), namespace }),
    ]);
    await first.watchlists.add("u1", "alien-1979", AT);
    await first.catalogGeneration.write("g1");
    expect((await second.watchlists.list("u1")).map((entry) => entry.filmId)).toEqual(["alien-1979"]);
    expect(await second.catalogGeneration.read()).toBe("g1");
    await Promise.all([first.close(), second.close()]);
  });

  it("fails at open, in one line, when nothing listens", async () => {
    const error = await openStore("redis://127.0.0.1:1", { logger: silentLogger(), connectTimeoutMs: 300 }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(StoreError);
    expect((error as Error).message).toMatch(/^cannot use the store redis:\/\/127\.0\.0\.1:1: /);
    expect((error as Error).message).not.toContain("\n");
  });
});
