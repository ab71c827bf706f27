/**
 * Redis that stops answering or goes away: calls reject with StoreUnavailableError within the deadline instead of
 * hanging, and the store works again by itself once Redis is back. Timing bounds are generous: they tell "fails
 * fast" from "hangs", nothing finer.
 */
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/keyv-store.js";
import { StoreUnavailableError, type BotStore } from "../../src/store/store.js";
import { silentLogger } from "../commands/fixtures.js";
import { AT, auditEntry, timed, waitFor } from "./helpers.js";
import { findRedisServer, startRedisServer, type RedisServer } from "./redis-server.js";

const redisServer = findRedisServer();

/** Every store call a handler makes, once each. */
function everyCall(store: BotStore): Array<() => Promise<unknown>> {
  const user = randomUUID();
  return [
    () => store.watchlists.add(user, "alien-1979", AT),
    () => store.watchlists.remove(user, "alien-1979"),
    () => store.watchlists.list(user),
    () => store.reloadAudit.record(auditEntry()),
    () => store.reloadAudit.recent(5),
    () => store.reloadAudit.recordRefusal(auditEntry({ outcome: "refused" })),
    () => store.reloadAudit.recentRefusals(5),
    () => store.catalogGeneration.read(),
    () => store.catalogGeneration.write("g"),
    () => store.cooldowns.take("search", user, 10),
  ];
}

/** Whether the store answers a read now. */
async function answers(store: BotStore): Promise<boolean> {
  return store.catalogGeneration.read().then(
    () => true,
    () => false,
  );
}

/** Runs every call at once; each must reject with StoreUnavailableError, one line, well within `boundMs`. */
async function expectEveryCallRefused(store: BotStore, boundMs: number): Promise<StoreUnavailableError[]> {
  const outcomes = await Promise.all(everyCall(store).map((call) => timed(call)));
  for (const outcome of outcomes) {
    expect(outcome.error).toBeInstanceOf(StoreUnavailableError);
    expect((outcome.error as Error).message).not.toContain("\n");
    expect(outcome.ms).toBeLessThan(boundMs);
  }
  return outcomes.map((outcome) => outcome.error as StoreUnavailableError);
}

describe.skipIf(redisServer === null)("Redis store when Redis fails", () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const serve = async (options: Parameters<typeof startRedisServer>[1] = {}): Promise<RedisServer> => {
    const redis = await startRedisServer(redisServer!, options);
    cleanups.push(() => redis.stop());
    return redis;
  };
  const open = async (url: string, options: Partial<Parameters<typeof openStore>[1]> = {}): Promise<BotStore> => {
    const store = await openStore(url, { logger: silentLogger(), namespace: `test-${randomUUID()}`, ...options });
    cleanups.push(() => store.close());
    return store;
  };

  it("rejects within the deadline while Redis is frozen, and works again once it resumes", async () => {
    const redis = await serve();
    const store = await open(redis.url, { callTimeoutMs: 1000 });
    expect(await store.watchlists.add("u1", "alien-1979", AT)).toBe("added");

    redis.freeze();
    try {
      // The first calls wait out the deadline; the connection is then replaced, and calls fail at once.
      const first = await expectEveryCallRefused(store, 5000);
      expect(first.map((error) => error.reason)).toContain("timeout");
      expect(first[0]?.message).toMatch(/^watchlist add: redis:\/\/127\.0\.0\.1:\d+: no answer within 1000 ms$/);
      const again = await expectEveryCallRefused(store, 5000);
      expect(again.every((error) => error.reason === "unreachable" || error.reason === "timeout")).toBe(true);
    } finally {
      redis.thaw();
    }

    expect(await waitFor(() => answers(store), 10_000)).toBe(true);
    expect((await store.watchlists.list("u1")).map((entry) => entry.filmId)).toEqual(["alien-1979"]);
    expect(await store.watchlists.add("u1", "solaris-1972", AT)).toBe("added");
  });

  it("rejects at once while Redis is gone, and reconnects by itself when it is back", async () => {
    const redis = await serve();
    const namespace = `test-${randomUUID()}`;
    const store = await open(redis.url, { namespace });
    const seen: string[] = [];
    const stop = await store.catalogGeneration.subscribe((generation) => seen.push(generation));
    cleanups.push(stop);
    expect(await store.watchlists.add("u1", "alien-1979", AT)).toBe("added");

    await redis.stop();
    const errors = await expectEveryCallRefused(store, 3000);
    expect(errors.every((error) => error.reason === "unreachable")).toBe(true);

    const back = await serve({ port: redis.port });
    expect(await waitFor(() => answers(store), 10_000)).toBe(true);
    // The server kept nothing (no persistence in tests): the store works on what is there now.
    expect(await store.watchlists.add("u1", "solaris-1972", AT)).toBe("added");

    // The subscriber connection came back too, and subscribed again.
    const other = await open(back.url, { namespace });
    const generation = `after-restart-${randomUUID()}`;
    expect(
      await waitFor(async () => {
        await other.catalogGeneration.write(generation);
        return seen.includes(generation);
      }, 10_000),
    ).toBe(true);
  });

  it("does not run later a change it refused while disconnected", async () => {
    const redis = await serve();
    const store = await open(redis.url);
    await redis.stop();
    await expect(store.watchlists.add("u1", "refused-1999", AT)).rejects.toThrow(StoreUnavailableError);
    await serve({ port: redis.port });
    expect(await waitFor(() => answers(store), 10_000)).toBe(true);
    expect(await store.watchlists.list("u1")).toEqual([]);
  });
});
