/**
 * Data the previous version wrote through Keyv (one JSON value per member's list, one for the audit log, one for the
 * generation) keeps loading: it is moved into the new structures, in order, once, and nothing readable is lost.
 * The old data is written here the way the previous version wrote it: through Keyv and its adapters.
 */
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { createKeyv } from "@keyv/redis";
import { KeyvSqlite } from "@keyv/sqlite";
import { Keyv } from "keyv";
import sqlite3 from "sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_NAMESPACE, openStore } from "../../src/store/open-store.js";
import type { WatchlistEntry } from "../../src/store/store.js";
import { removeTempDirs, silentLogger, tempDir } from "../commands/fixtures.js";
import { AT, auditEntry, recordingLogger } from "./helpers.js";
import { findRedisServer, startRedisServer, type RedisServer } from "../support/services.js";

afterAll(removeTempDirs);

const entry = (filmId: string, seconds: number): WatchlistEntry => ({
  filmId,
  addedAt: new Date(AT.getTime() + seconds * 1000).toISOString(),
});
const OLD_LIST = [entry("solaris-1972", 0), entry("alien-1979", 1), entry(":colon-first", 2)];
const OLD_AUDIT = [auditEntry({ message: "newest" }), auditEntry({ message: ":older, colon first", guildId: null })];

async function writeOldSqlite(file: string, values: Record<string, unknown>, namespace = DEFAULT_NAMESPACE) {
  const keyv = new Keyv({ store: new KeyvSqlite({ uri: `sqlite://${file}` }), namespace });
  for (const [key, value] of Object.entries(values)) await keyv.set(key, value);
  await keyv.disconnect();
}

describe("SQLite file from the previous version", () => {
  it("moves lists, the audit log and the generation into the tables, in order, once", async () => {
    const file = join(await tempDir("film-migrate-"), "bot.sqlite");
    await writeOldSqlite(file, {
      "watchlist:u1": OLD_LIST,
      "watchlist:u2": [entry("heat-1995", 0)],
      "reload-audit": OLD_AUDIT,
      "catalog-generation": "2025-01-01T00:00:00.000Z/old",
    });
    const { logger, lines } = recordingLogger();
    const store = await openStore(`sqlite://${file}`, { logger });
    expect(await store.watchlists.list("u1")).toEqual(OLD_LIST);
    expect(await store.watchlists.list("u2")).toEqual([entry("heat-1995", 0)]);
    expect(await store.reloadAudit.recent(10)).toEqual(OLD_AUDIT);
    expect(await store.catalogGeneration.read()).toBe("2025-01-01T00:00:00.000Z/old");
    expect(lines.find((line) => line.msg.includes("old Keyv format"))).toMatchObject({ rows: 4 });
    // New changes go after the old ones.
    expect(await store.watchlists.add("u1", "heat-1995", AT)).toBe("added");
    expect(await store.watchlists.add("u1", "alien-1979", AT)).toBe("already-listed");
    await store.reloadAudit.record(auditEntry({ message: "after the move" }));
    await store.close();

    const again = await openStore(`sqlite://${file}`, { logger: silentLogger() });
    expect((await again.watchlists.list("u1")).map((row) => row.filmId)).toEqual([
      "solaris-1972",
      "alien-1979",
      ":colon-first",
      "heat-1995",
    ]);
    expect((await again.reloadAudit.recent(10)).map((row) => row.message)).toEqual([
      "after the move",
      "newest",
      ":older, colon first",
    ]);
    await again.close();
    expect(await keyvRows(file)).toEqual([]);
  });

  it("drops unreadable stored entries instead of failing, and says so", async () => {
    const file = join(await tempDir("film-migrate-"), "bot.sqlite");
    await writeOldSqlite(file, {
      "watchlist:u1": [{ filmId: "alien-1979", addedAt: AT.toISOString() }, { filmId: 42 }, "junk", null],
      "watchlist:u2": { not: "a list" },
      "reload-audit": [auditEntry(), { outcome: "exploded" }],
    });
    const { logger, lines } = recordingLogger();
    const store = await openStore(`sqlite://${file}`, { logger });
    expect((await store.watchlists.list("u1")).map((row) => row.filmId)).toEqual(["alien-1979"]);
    expect(await store.watchlists.list("u2")).toEqual([]);
    expect(await store.reloadAudit.recent(10)).toEqual([auditEntry()]);
    expect(lines.filter((line) => line.msg.includes("unreadable entries"))).toHaveLength(3);
    await store.close();
  });

  it("moves each row once when two processes open the file at once", async () => {
    const file = join(await tempDir("film-migrate-"), "bot.sqlite");
    const many: Record<string, unknown> = {};
    for (let user = 0; user < 250; user++) many[`watchlist:u${user}`] = OLD_LIST;
    await writeOldSqlite(file, many);
    const stores = await Promise.all([1, 2].map(() => openStore(`sqlite://${file}`, { logger: silentLogger() })));
    for (const user of [0, 120, 249]) expect(await stores[1]!.watchlists.list(`u${user}`)).toEqual(OLD_LIST);
    await Promise.all(stores.map((store) => store.close()));
  });

  it("leaves other namespaces' rows alone, and moves rows the previous version writes later at the next open", async () => {
    const file = join(await tempDir("film-migrate-"), "bot.sqlite");
    await writeOldSqlite(file, { "watchlist:u1": [entry("alien-1979", 0)] }, "other-bot");
    const store = await openStore(`sqlite://${file}`, { logger: silentLogger() });
    await store.watchlists.add("u1", "solaris-1972", AT);
    await store.close();
    expect(await keyvRows(file)).toEqual(["other-bot:watchlist:u1"]);
    // A process of the previous version, still running during the upgrade, adds to its copy of the list.
    await writeOldSqlite(file, { "watchlist:u1": [entry("alien-1979", 0), entry("solaris-1972", 1)] });
    const again = await openStore(`sqlite://${file}`, { logger: silentLogger() });
    expect((await again.watchlists.list("u1")).map((row) => row.filmId)).toEqual(["solaris-1972", "alien-1979"]);
    await again.close();
  });
});

async function keyvRows(file: string): Promise<string[]> {
  const db = new sqlite3.Database(file);
  const rows = await new Promise<Array<{ key: string }>>((resolve, reject) =>
    db.all("SELECT key FROM keyv ORDER BY key", (error: Error | null, found: Array<{ key: string }>) =>
      error ? reject(error) : resolve(found),
    ),
  );
  await new Promise((resolve) => db.close(resolve));
  return rows.map((row) => row.key);
}

const redisServer = findRedisServer();

describe.skipIf(redisServer === null)("Redis data from the previous version", () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedisServer(redisServer!);
  });
  afterAll(async () => {
    await redis?.stop();
  });

  /** The previous version's view of the store: Keyv over @keyv/redis, as it was configured. */
  const oldKeyv = (namespace: string): Keyv =>
    createKeyv(redis.url, { namespace, throwOnConnectError: true, throwOnErrors: true });

  it("moves a member's list and the audit log on first use, and keeps the generation readable both ways", async () => {
    const namespace = `test-${randomUUID()}`;
    const old = oldKeyv(namespace);
    await old.set("watchlist:u1", OLD_LIST);
    await old.set("reload-audit", OLD_AUDIT);
    await old.set("catalog-generation", "g-old");

    const store = await openStore(redis.url, { logger: silentLogger(), namespace });
    expect(await store.watchlists.list("u1")).toEqual(OLD_LIST);
    expect(await store.watchlists.add("u1", "heat-1995", AT)).toBe("added");
    expect(await store.watchlists.remove("u1", "alien-1979")).toBe(true);
    expect((await store.watchlists.list("u1")).map((row) => row.filmId)).toEqual([
      "solaris-1972",
      ":colon-first",
      "heat-1995",
    ]);
    expect(await store.reloadAudit.recent(10)).toEqual(OLD_AUDIT);
    await store.reloadAudit.record(auditEntry({ message: "after the move" }));
    expect((await store.reloadAudit.recent(1))[0]?.message).toBe("after the move");
    expect(await store.catalogGeneration.read()).toBe("g-old");
    // The old keys are gone; the generation stays where processes of the previous version look for it.
    expect(await old.get("watchlist:u1")).toBeUndefined();
    expect(await old.get("reload-audit")).toBeUndefined();
    await store.catalogGeneration.write(":g-new");
    expect(await old.get("catalog-generation")).toBe(":g-new");
    await store.close();
    await old.disconnect();
  });

  it("moves a list once when two processes change it at once", async () => {
    const namespace = `test-${randomUUID()}`;
    const old = oldKeyv(namespace);
    await old.set("watchlist:u1", OLD_LIST);
    const [first, second] = await Promise.all(
      [1, 2].map(() => openStore(redis.url, { logger: silentLogger(), namespace })),
    );
    const films = Array.from({ length: 20 }, (_, index) => `film-${index}`);
    const results = await Promise.all(
      films.map((film, index) => (index % 2 === 0 ? first! : second!).watchlists.add("u1", film, AT)),
    );
    expect(results.every((result) => result === "added")).toBe(true);
    const listed = (await first!.watchlists.list("u1")).map((row) => row.filmId);
    expect(listed.slice(0, 3)).toEqual(OLD_LIST.map((row) => row.filmId));
    expect(listed.slice(3).sort()).toEqual([...films].sort());
    await Promise.all([first!.close(), second!.close()]);
    await old.disconnect();
  });

  it("merges what a process of the previous version writes after the move", async () => {
    const namespace = `test-${randomUUID()}`;
    const old = oldKeyv(namespace);
    const store = await openStore(redis.url, { logger: silentLogger(), namespace });
    await store.watchlists.add("u1", "alien-1979", AT);
    // The old process does not see the new structures: it writes a list of its own.
    await old.set("watchlist:u1", [entry("heat-1995", 5), entry("alien-1979", 0)]);
    await old.set("reload-audit", [auditEntry({ message: "from the old process" })]);
    expect((await store.watchlists.list("u1")).map((row) => row.filmId)).toEqual(["alien-1979", "heat-1995"]);
    await store.reloadAudit.record(auditEntry({ message: "new" }));
    expect((await store.reloadAudit.recent(5)).map((row) => row.message)).toEqual(["new", "from the old process"]);
    await store.close();
    await old.disconnect();
  });

  it("drops unreadable old entries instead of failing, and says so", async () => {
    const namespace = `test-${randomUUID()}`;
    const old = oldKeyv(namespace);
    await old.set("watchlist:u1", [{ filmId: "alien-1979", addedAt: AT.toISOString() }, { filmId: 42 }]);
    await old.set("watchlist:u2", { not: "a list" });
    const { logger, lines } = recordingLogger();
    const store = await openStore(redis.url, { logger, namespace });
    expect((await store.watchlists.list("u1")).map((row) => row.filmId)).toEqual(["alien-1979"]);
    expect(await store.watchlists.list("u2")).toEqual([]);
    expect(lines.filter((line) => line.msg.includes("unreadable entries"))).toHaveLength(2);
    await store.close();
    await old.disconnect();
  });
});
