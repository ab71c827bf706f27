import { randomUUID } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createClient } from "@redis/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore, StoreError } from "../../src/store/open-store.js";
import {
  AUDIT_LOG_LIMIT,
  REFUSAL_LOG_LIMIT,
  SETTINGS_AUDIT_LIMIT,
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

  describe("server settings", () => {
    const by = "user:123456789012345678 (mod)";
    const change = (guildId: string, setting: string, value: string | null, minute = 0) =>
      store.guildSettings.change({
        at: new Date(AT.getTime() + minute * 60_000).toISOString(),
        by,
        guildId,
        setting,
        value,
      });

    it("changes a server's setting, audits who changed what from what to what, and reads it back", async () => {
      const guild = randomUUID();
      const before = await store.guildSettings.version();
      expect(await store.guildSettings.read(guild)).toEqual({});
      expect(await change(guild, "region", "FR", 0)).toEqual({ changed: true, from: null });
      expect(await change(guild, "region", "DE", 1)).toEqual({ changed: true, from: "FR" });
      expect(await change(guild, "card-visibility", "private", 2)).toEqual({ changed: true, from: null });
      expect(await store.guildSettings.read(guild)).toEqual({ region: "DE", "card-visibility": "private" });
      expect((await store.guildSettings.readAll()).get(guild)).toEqual({ region: "DE", "card-visibility": "private" });
      const entry = (setting: string, from: string | null, to: string | null, minute: number) => ({
        at: new Date(AT.getTime() + minute * 60_000).toISOString(),
        by,
        guildId: guild,
        setting,
        from,
        to,
      });
      expect(await store.guildSettings.recentChanges(guild, 10)).toEqual([
        entry("card-visibility", null, "private", 2),
        entry("region", "FR", "DE", 1),
        entry("region", null, "FR", 0),
      ]);
      expect(await store.guildSettings.recentChanges(guild, 1)).toHaveLength(1);
      expect(await store.guildSettings.recentChanges(guild, 0)).toEqual([]);
      expect(await store.guildSettings.version()).not.toBe(before);
    });

    it("leaves a setting that already has the value alone and unaudited; null puts it back to its default", async () => {
      const guild = randomUUID();
      await change(guild, "region", "FR");
      const version = await store.guildSettings.version();
      expect(await change(guild, "region", "FR")).toEqual({ changed: false, from: "FR" });
      expect(await store.guildSettings.version()).toBe(version);
      expect(await change(guild, "region", null)).toEqual({ changed: true, from: "FR" });
      expect(await store.guildSettings.read(guild)).toEqual({});
      expect((await store.guildSettings.readAll()).has(guild)).toBe(false);
      expect(await change(guild, "region", null)).toEqual({ changed: false, from: null });
      expect((await store.guildSettings.recentChanges(guild, 10)).map((entry) => [entry.from, entry.to])).toEqual([
        ["FR", null],
        [null, "FR"],
      ]);
    });

    it(`keeps each server's newest ${SETTINGS_AUDIT_LIMIT} changes, servers apart`, async () => {
      const [busy, quiet] = [randomUUID(), randomUUID()];
      await change(quiet, "adult-films", "true");
      for (let index = 0; index <= SETTINGS_AUDIT_LIMIT; index++)
        await change(busy, "adult-films", index % 2 === 0 ? "true" : null, index);
      const kept = await store.guildSettings.recentChanges(busy, SETTINGS_AUDIT_LIMIT + 10);
      expect(kept).toHaveLength(SETTINGS_AUDIT_LIMIT);
      expect(kept[0]?.at).toBe(new Date(AT.getTime() + SETTINGS_AUDIT_LIMIT * 60_000).toISOString());
      expect(kept.at(-1)?.at).toBe(new Date(AT.getTime() + 60_000).toISOString());
      expect(await store.guildSettings.recentChanges(quiet, 10)).toHaveLength(1);
      expect(await store.guildSettings.read(quiet)).toEqual({ "adult-films": "true" });
    });

    it("loses no change when many arrive at once", async () => {
      const guild = randomUUID();
      const settings = Array.from({ length: 20 }, (_, index) => `setting-${index}`);
      const results = await Promise.all(settings.map((setting) => change(guild, setting, "on")));
      expect(results.every((result) => result.changed)).toBe(true);
      expect(Object.keys(await store.guildSettings.read(guild)).sort()).toEqual([...settings].sort());
      expect(await store.guildSettings.recentChanges(guild, 50)).toHaveLength(20);
      // Twenty moderators setting the same value at once: one change, nineteen "already so".
      const racers = await Promise.all(Array.from({ length: 20 }, () => change(guild, "region", "JP")));
      expect(racers.filter((result) => result.changed)).toHaveLength(1);
      expect(await store.guildSettings.recentChanges(guild, 50)).toHaveLength(21);
    });

    it.runIf(options.publishes)(
      "tells subscribers which server changed, and to read everything once listening",
      async () => {
        const seen: (string | null)[] = [];
        const stop = await store.guildSettings.subscribe((guildId) => seen.push(guildId));
        expect(await waitFor(() => seen.includes(null), 2000)).toBe(true);
        const guild = randomUUID();
        await change(guild, "region", "FR");
        expect(await waitFor(() => seen.includes(guild), 2000)).toBe(true);
        await change(guild, "region", "FR");
        await stop();
        await change(guild, "region", "DE");
        expect(await waitFor(() => seen.filter((id) => id === guild).length > 1, 100)).toBe(false);
      },
    );

    it.skipIf(options.publishes)("has no settings messages: subscribing does nothing", async () => {
      const seen: (string | null)[] = [];
      const stop = await store.guildSettings.subscribe((guildId) => seen.push(guildId));
      await change(randomUUID(), "region", "FR");
      expect(await waitFor(() => seen.length > 0, 100)).toBe(false);
      await stop();
    });
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
    await first.guildSettings.change({
      at: AT.toISOString(),
      by: "user:1 (mod)",
      guildId: "g1",
      setting: "region",
      value: "FR",
    });
    expect(await second.guildSettings.read("g1")).toEqual({ region: "FR" });
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

  it("reads around a damaged server entry, and a change replaces it", async () => {
    const namespace = `test-${randomUUID()}`;
    const store = await openStore(redis.url, { logger: silentLogger(), namespace });
    const raw = createClient({ url: redis.url });
    await raw.connect();
    try {
      await raw.hSet(`${namespace}::guild-settings`, {
        broken: "{not json",
        odd: JSON.stringify({ region: 7, "adult-films": "true" }),
      });
      const all = await store.guildSettings.readAll();
      expect(Object.fromEntries(all)).toEqual({ broken: {}, odd: { "adult-films": "true" } });
      const at = AT.toISOString();
      expect(
        await store.guildSettings.change({ at, by: "user:1 (mod)", guildId: "broken", setting: "region", value: "FR" }),
      ).toEqual({ changed: true, from: null });
      expect(await store.guildSettings.read("broken")).toEqual({ region: "FR" });
    } finally {
      raw.destroy();
      await store.close();
    }
  });

  it("fails at open, at once and in one line, on a malformed URL", async () => {
    const error = await openStore("redis://127.0.0.1:6379/not-a-db", { logger: silentLogger() }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(StoreError);
    expect((error as Error).message).toMatch(/^cannot use the store redis:\/\/127\.0\.0\.1:6379\/not-a-db: /);
  });
});
