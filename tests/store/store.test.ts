import { randomUUID } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore, StoreError } from "../../src/store/open-store.js";
import {
  AUDIT_LOG_LIMIT,
  REFUSAL_LOG_LIMIT,
  StoreUnavailableError,
  WATCHLIST_LIMIT,
  type BotStore,
} from "../../src/store/store.js";
import { removeTempDirs, silentLogger, tempDir } from "../commands/fixtures.js";
import { AT, auditEntry, fastDir, removeFastDirs, waitFor } from "./helpers.js";
import { findRedisServer, REDIS_SKIP_MESSAGE, startRedisServer, type RedisServer } from "../support/services.js";

afterAll(async () => {
  await removeTempDirs();
  await removeFastDirs();
});

/** A refused reload by member `member`, `minute` minutes after AT. */
const refusal = (member: number, minute: number) => ({
  at: new Date(AT.getTime() + minute * 60_000).toISOString(),
  by: `user:${member} (someone)`,
  guildId: "223456789012345678",
  message: "You need the Manage Server permission to reload the catalog.",
});

/** The BotStore contract, the same for every backend. */
function storeContract(open: () => Promise<BotStore>, options: { publishes: boolean }): void {
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

  it("keeps the order films were added in, whatever their dates", async () => {
    const user = randomUUID();
    for (const id of ["c", "a", "b"]) await store.watchlists.add(user, id, AT);
    await store.watchlists.remove(user, "a");
    await store.watchlists.add(user, "a", new Date(AT.getTime() - 1000));
    expect((await store.watchlists.list(user)).map((entry) => entry.filmId)).toEqual(["c", "b", "a"]);
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
    expect(await store.watchlists.remove(user, "film-3")).toBe(true);
    expect(await store.watchlists.add(user, "one-too-many", AT)).toBe("added");
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

  it(`keeps the newest ${AUDIT_LOG_LIMIT} audit entries`, async () => {
    for (let index = 0; index <= AUDIT_LOG_LIMIT; index++)
      await store.reloadAudit.record(auditEntry({ message: `entry ${index}` }));
    const recent = await store.reloadAudit.recent(AUDIT_LOG_LIMIT + 10);
    expect(recent).toHaveLength(AUDIT_LOG_LIMIT);
    expect(recent[0]?.message).toBe(`entry ${AUDIT_LOG_LIMIT}`);
    expect(recent.at(-1)?.message).toBe("entry 1");
  });

  it("keeps refused attempts apart, counted per member, guild and reason, so they cannot crowd out reloads", async () => {
    await store.reloadAudit.record(auditEntry({ message: "the moderator's reload" }));
    for (let minute = 0; minute < 5; minute++) await store.reloadAudit.recordRefusal(refusal(1, minute));
    // More members than the refusal log keeps.
    for (let member = 2; member < REFUSAL_LOG_LIMIT + 12; member++)
      await store.reloadAudit.recordRefusal(refusal(member, 10 + member));
    await store.reloadAudit.recordRefusal({ ...refusal(1, 5000), guildId: null, message: "not an admin guild" });

    expect((await store.reloadAudit.recent(1))[0]?.message).toBe("the moderator's reload");
    const refusals = await store.reloadAudit.recentRefusals(REFUSAL_LOG_LIMIT + 50);
    expect(refusals).toHaveLength(REFUSAL_LOG_LIMIT);
    expect(refusals[0]).toEqual({
      by: "user:1 (someone)",
      guildId: null,
      message: "not an admin guild",
      count: 1,
      firstAt: refusal(1, 5000).at,
      lastAt: refusal(1, 5000).at,
    });
    expect(refusals[1]?.by).toBe(`user:${REFUSAL_LOG_LIMIT + 11} (someone)`);
    // The oldest groups went, member 1's five refusals in that guild with them.
    expect(refusals.some((summary) => summary.by === "user:1 (someone)" && summary.guildId !== null)).toBe(false);
    expect(await store.reloadAudit.recentRefusals(0)).toEqual([]);
  });

  it("counts a member's repeated refusals as one group", async () => {
    const by = `user:${randomUUID()}`;
    for (let minute = 0; minute < 3; minute++) {
      await store.reloadAudit.recordRefusal({
        at: new Date(AT.getTime() + 3_600_000_000 + minute * 60_000).toISOString(),
        by,
        guildId: "1",
        message: "no permission",
      });
    }
    expect((await store.reloadAudit.recentRefusals(1))[0]).toEqual({
      by,
      guildId: "1",
      message: "no permission",
      count: 3,
      firstAt: new Date(AT.getTime() + 3_600_000_000).toISOString(),
      lastAt: new Date(AT.getTime() + 3_600_000_000 + 120_000).toISOString(),
    });
  });

  it("shares a catalog generation marker", async () => {
    const generation = `2025-03-01T10:00:00.000Z/${randomUUID()}`;
    await store.catalogGeneration.write(generation);
    expect(await store.catalogGeneration.read()).toBe(generation);
  });

  it.runIf(options.publishes)("tells subscribers of each new generation", async () => {
    const seen: string[] = [];
    const stop = await store.catalogGeneration.subscribe((generation) => seen.push(generation));
    const generation = `g-${randomUUID()}`;
    await store.catalogGeneration.write(generation);
    expect(await waitFor(() => seen.includes(generation), 2000)).toBe(true);
    await stop();
    await store.catalogGeneration.write(`after-${generation}`);
    expect(await waitFor(() => seen.length > 1, 100)).toBe(false);
  });

  it.skipIf(options.publishes)("has no generation messages: subscribing does nothing", async () => {
    const seen: string[] = [];
    const stop = await store.catalogGeneration.subscribe((generation) => seen.push(generation));
    await store.catalogGeneration.write(`g-${randomUUID()}`);
    expect(await waitFor(() => seen.length > 0, 100)).toBe(false);
    await stop();
  });

  it("runs cooldowns per member and command", async () => {
    const [user, other] = [randomUUID(), randomUUID()];
    expect(await store.cooldowns.take("search", user, 30)).toEqual({ allowed: true });
    const refused = await store.cooldowns.take("search", user, 30);
    expect(refused).toEqual({ allowed: false, retryAt: expect.any(Date) });
    const left = (refused.allowed ? 0 : refused.retryAt.getTime()) - Date.now();
    expect(left).toBeGreaterThan(25_000);
    expect(left).toBeLessThanOrEqual(30_000);
    expect(await store.cooldowns.take("search", other, 30)).toEqual({ allowed: true });
    expect(await store.cooldowns.take("random", user, 30)).toEqual({ allowed: true });
    expect(await store.cooldowns.take("search", user, 0)).toEqual({ allowed: true });
  });

  it("lets a member go again when the cooldown ends", async () => {
    const user = randomUUID();
    expect((await store.cooldowns.take("search", user, 0.05)).allowed).toBe(true);
    expect((await store.cooldowns.take("search", user, 0.05)).allowed).toBe(false);
    expect(await waitFor(async () => (await store.cooldowns.take("search", user, 0.05)).allowed, 2000)).toBe(true);
  });

  it("reports itself healthy", async () => {
    expect(await store.health()).toEqual({ ok: true, detail: expect.stringContaining("answers") });
  });
}

describe("SQLite store", () => {
  describe("contract", () => {
    storeContract(
      async () =>
        openStore(`sqlite://${join(await fastDir("film-store-"), "state", "bot.sqlite")}`, { logger: silentLogger() }),
      { publishes: false },
    );
  });

  it("creates the file's folder and keeps data across reopening", async () => {
    const file = join(await tempDir("film-store-"), "a", "b", "bot.sqlite");
    const first = await openStore(`sqlite://${file}`, { logger: silentLogger() });
    expect(await first.catalogGeneration.read()).toBeNull();
    await first.watchlists.add("u1", "alien-1979", AT);
    await first.catalogGeneration.write("g1");
    await first.close();
    const second = await openStore(`sqlite://${file}`, { logger: silentLogger() });
    expect((await second.watchlists.list("u1")).map((entry) => entry.filmId)).toEqual(["alien-1979"]);
    expect(await second.catalogGeneration.read()).toBe("g1");
    await second.close();
  });

  it("keeps namespaces apart in one file", async () => {
    const url = `sqlite://${join(await tempDir("film-store-"), "bot.sqlite")}`;
    const [first, second] = [
      await openStore(url, { logger: silentLogger(), namespace: "one" }),
      await openStore(url, { logger: silentLogger(), namespace: "two" }),
    ];
    await first.watchlists.add("u1", "alien-1979", AT);
    expect(await second.watchlists.list("u1")).toEqual([]);
    await Promise.all([first.close(), second.close()]);
  });

  it("waits for writes under way before closing, closes once, and refuses calls after", async () => {
    const store = await openStore(`sqlite://${join(await tempDir("film-store-"), "bot.sqlite")}`, {
      logger: silentLogger(),
    });
    const writes = Array.from({ length: 10 }, (_, index) => store.watchlists.add("u1", `film-${index}`, AT));
    await Promise.all([store.close(), store.close()]);
    expect(await Promise.all(writes)).toEqual(Array.from({ length: 10 }, () => "added"));
    await expect(store.watchlists.list("u1")).rejects.toThrow(StoreUnavailableError);
    expect((await store.health()).ok).toBe(false);
  });

  it("fails at open, in one line, when the file cannot be created", async () => {
    const blocker = join(await tempDir("film-store-"), "not-a-folder");
    await writeFile(blocker, "a file where a folder should be");
    const error = await openStore(`sqlite://${join(blocker, "bot.sqlite")}`, { logger: silentLogger() }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(StoreError);
    expect((error as Error).message).toMatch(/^cannot use the store sqlite:\/\/.*not-a-folder\/bot\.sqlite: E[A-Z]+/);
    expect((error as Error).message).not.toContain("\n");
  });

  it("fails at open, in one line, when the file is not a database", async () => {
    const file = join(await tempDir("film-store-"), "bot.sqlite");
    await writeFile(file, "not a database, just text that is long enough to fill a header ".repeat(20));
    const error = await openStore(`sqlite://${file}`, { logger: silentLogger() }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as Error).message).toMatch(/^cannot use the store sqlite:\/\/.*: SQLITE_NOTADB: /);
    expect((error as Error).message).not.toContain("\n");
  });

  it("rejects other schemes", async () => {
    await expect(openStore("mongodb://db/bot", { logger: silentLogger() })).rejects.toThrow(
      /^unsupported store URL mongodb:\/\/db\/bot /,
    );
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
    storeContract(() => openStore(redis.url, { logger: silentLogger(), namespace: `test-${randomUUID()}` }), {
      publishes: true,
    });
  });

  it("shares state between two connections (two bot processes)", async () => {
    const namespace = `test-${randomUUID()}`;
    const [first, second] = await Promise.all([
      openStore(redis.url, { logger: silentLogger(), namespace }),
      openStore(redis.url, { logger: silentLogger(), namespace }),
    ]);
    await first.watchlists.add("u1", "alien-1979", AT);
    await first.catalogGeneration.write("g1");
    await first.reloadAudit.record(auditEntry());
    expect((await second.watchlists.list("u1")).map((entry) => entry.filmId)).toEqual(["alien-1979"]);
    expect(await second.catalogGeneration.read()).toBe("g1");
    expect(await second.reloadAudit.recent(5)).toEqual([auditEntry()]);
    await Promise.all([first.close(), second.close()]);
  });

  it("keeps namespaces apart", async () => {
    const [first, second] = await Promise.all([
      openStore(redis.url, { logger: silentLogger(), namespace: `test-${randomUUID()}` }),
      openStore(redis.url, { logger: silentLogger(), namespace: `test-${randomUUID()}` }),
    ]);
    await first.watchlists.add("u1", "alien-1979", AT);
    await first.cooldowns.take("search", "u1", 60);
    expect(await second.watchlists.list("u1")).toEqual([]);
    expect(await second.cooldowns.take("search", "u1", 60)).toEqual({ allowed: true });
    await Promise.all([first.close(), second.close()]);
  });

  it("fails at open, at once and in one line, on a malformed URL", async () => {
    const error = await openStore("redis://127.0.0.1:6379/not-a-db", { logger: silentLogger() }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(StoreError);
    expect((error as Error).message).toMatch(/^cannot use the store redis:\/\/127\.0\.0\.1:6379\/not-a-db: /);
  });
});
