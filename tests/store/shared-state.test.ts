/**
 * Several processes on one store: changes made at the same instant through different connections all land, a
 * cooldown taken through one holds through the other, and a new catalog generation reaches subscribers at once.
 * "Two processes" are two openStore calls, and for SQLite also two real processes (file locks between processes).
 */
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/open-store.js";
import type { BotStore } from "../../src/store/store.js";
import { removeTempDirs, silentLogger, tempDir } from "../commands/fixtures.js";
import { AT, startStoreProcess, waitFor } from "./helpers.js";
import { findRedisServer, startRedisServer, type RedisServer } from "../support/services.js";

afterAll(removeTempDirs);

const FORTY = Array.from({ length: 40 }, (_, index) => `film-${index}`);

/**
 * Forty different films for one member, half through each store, all at once; then all removed the same way.
 * Answers what each step saw, for the test to compare with what every film listed, then nothing, would give.
 */
async function fortyAtOnce(first: BotStore, second: BotStore) {
  const user = randomUUID();
  const added = await Promise.all(
    FORTY.map((film, index) => (index % 2 === 0 ? first : second).watchlists.add(user, film, AT)),
  );
  const listed = await Promise.all(
    [first, second].map(async (store) => (await store.watchlists.list(user)).map((entry) => entry.filmId).sort()),
  );
  const removed = await Promise.all(
    FORTY.map((film, index) => (index % 2 === 1 ? first : second).watchlists.remove(user, film)),
  );
  return { added, listed, removed, left: await first.watchlists.list(user) };
}

const EVERY_FILM_LANDED = {
  added: FORTY.map(() => "added"),
  listed: [[...FORTY].sort(), [...FORTY].sort()],
  removed: FORTY.map(() => true),
  left: [],
};

describe("SQLite file shared by two connections", () => {
  let url: string;
  let first: BotStore;
  let second: BotStore;
  beforeAll(async () => {
    url = `sqlite://${join(await tempDir("film-shared-"), "bot.sqlite")}`;
    // A generous deadline: forty commits queue behind one another, and this is about none being lost.
    first = await openStore(url, { logger: silentLogger(), callTimeoutMs: 20_000 });
    second = await openStore(url, { logger: silentLogger(), callTimeoutMs: 20_000 });
  });
  afterAll(async () => {
    await Promise.all([first?.close(), second?.close()]);
  });

  it("lands forty films added at once to one member's list", async () => {
    expect(await fortyAtOnce(first, second)).toEqual(EVERY_FILM_LANDED);
  });

  it("lands forty films added at once by two processes", async () => {
    const processes = await Promise.all([startStoreProcess(url), startStoreProcess(url)]);
    try {
      const user = randomUUID();
      const halves = [FORTY.filter((_, index) => index % 2 === 0), FORTY.filter((_, index) => index % 2 === 1)];
      const results = await Promise.all(
        processes.map((child, index) => child.request("addMany", user, ...halves[index]!)),
      );
      expect(results.flat()).toEqual(FORTY.map(() => "added"));
      expect((await first.watchlists.list(user)).map((entry) => entry.filmId).sort()).toEqual([...FORTY].sort());
    } finally {
      await Promise.all(processes.map((child) => child.request("exit")));
    }
  });

  it("keeps cooldowns per process (in memory)", async () => {
    expect(await first.cooldowns.take("search", "u1", 60)).toEqual({ allowed: true });
    expect((await first.cooldowns.take("search", "u1", 60)).allowed).toBe(false);
    expect(await second.cooldowns.take("search", "u1", 60)).toEqual({ allowed: true });
  });
});

const redisServer = findRedisServer();

describe.skipIf(redisServer === null)("one Redis shared by two connections", () => {
  let redis: RedisServer;
  let first: BotStore;
  let second: BotStore;
  beforeAll(async () => {
    redis = await startRedisServer(redisServer!);
    const namespace = `test-${randomUUID()}`;
    first = await openStore(redis.url, { logger: silentLogger(), namespace });
    second = await openStore(redis.url, { logger: silentLogger(), namespace });
  });
  afterAll(async () => {
    await Promise.all([first?.close(), second?.close()]);
    await redis?.stop();
  });

  it("lands forty films added at once to one member's list", async () => {
    expect(await fortyAtOnce(first, second)).toEqual(EVERY_FILM_LANDED);
  });

  it("caps a list once, however many adds race for the last place", async () => {
    const user = randomUUID();
    // 499 films, then twenty racing for the 500th place.
    for (let index = 0; index < 499; index++) await first.watchlists.add(user, `film-${index}`, AT);
    const racers = Array.from({ length: 20 }, (_, index) => `racer-${index}`);
    const results = await Promise.all(
      racers.map((film, index) => (index % 2 === 0 ? first : second).watchlists.add(user, film, AT)),
    );
    expect(results.filter((result) => result === "added")).toHaveLength(1);
    expect(results.filter((result) => result === "full")).toHaveLength(19);
    expect(await second.watchlists.list(user)).toHaveLength(500);
  });

  it("holds a cooldown taken through one connection through the other", async () => {
    const user = randomUUID();
    const checks = await Promise.all(
      Array.from({ length: 10 }, (_, index) => (index % 2 === 0 ? first : second).cooldowns.take("search", user, 60)),
    );
    expect(checks.filter((check) => check.allowed)).toHaveLength(1);
    const refused = await second.cooldowns.take("search", user, 60);
    expect(refused).toEqual({ allowed: false, retryAt: expect.any(Date) });
    expect(refused.allowed ? 0 : refused.retryAt.getTime()).toBeGreaterThan(Date.now() + 55_000);
  });

  it("tells the other connection of a new generation as soon as it is written", async () => {
    const seen: string[] = [];
    const stop = await second.catalogGeneration.subscribe((generation) => seen.push(generation));
    try {
      const generation = `${AT.toISOString()}/${randomUUID()}`;
      await first.catalogGeneration.write(generation);
      // Well under a second; the bound only says "not by polling".
      expect(await waitFor(() => seen.includes(generation), 1000)).toBe(true);
      expect(await second.catalogGeneration.read()).toBe(generation);
    } finally {
      await stop();
    }
  });
});
