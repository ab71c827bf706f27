/**
 * Redis that stops answering, goes away, or is not there yet: calls reject with StoreUnavailableError within the
 * deadline instead of hanging, the store says it is down, logs that once, and works again by itself once Redis is
 * back. Timing bounds are generous: they tell "fails fast" from "hangs", nothing finer.
 */
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { openStore, StoreError } from "../../src/store/open-store.js";
import { StoreUnavailableError, type BotStore } from "../../src/store/store.js";
import { silentLogger } from "../commands/fixtures.js";
import { AT, auditEntry, recordingLogger, timed, waitFor } from "./helpers.js";
import { findRedisServer, freePort, startRedisServer, type RedisServer } from "../support/services.js";

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
    const { logger, lines } = recordingLogger();
    const store = await open(redis.url, { callTimeoutMs: 1000, logger });
    expect(await store.watchlists.add("u1", "alien-1979", AT)).toBe("added");

    redis.freeze();
    try {
      // The first calls wait out the deadline; the connection is then replaced, and calls fail at once.
      const first = await expectEveryCallRefused(store, 5000);
      expect(first.map((error) => error.reason)).toContain("timeout");
      expect(first[0]?.message).toMatch(/^watchlist add: redis:\/\/127\.0\.0\.1:\d+: no answer within 1000 ms$/);
      const again = await expectEveryCallRefused(store, 5000);
      expect(again.every((error) => error.reason === "unreachable" || error.reason === "timeout")).toBe(true);
      expect(await store.health()).toEqual({ ok: false, detail: expect.stringMatching(/^health check: redis:/) });
    } finally {
      redis.thaw();
    }

    expect(await waitFor(async () => (await store.health()).ok, 10_000)).toBe(true);
    expect((await store.watchlists.list("u1")).map((entry) => entry.filmId)).toEqual(["alien-1979"]);
    expect(await store.watchlists.add("u1", "solaris-1972", AT)).toBe("added");
    const warnings = lines.filter((line) => line.msg.startsWith("store unreachable"));
    expect(warnings).toHaveLength(1);
    expect(lines.filter((line) => line.msg === "store reachable again")).toHaveLength(1);
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
    expect(await waitFor(async () => (await store.health()).ok, 10_000)).toBe(true);
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
    expect(await waitFor(async () => (await store.health()).ok, 10_000)).toBe(true);
    expect(await store.watchlists.list("u1")).toEqual([]);
  });

  it("opens while Redis is down, says so once, refuses calls, and connects when Redis comes up", async () => {
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}`;
    const { logger, lines } = recordingLogger();
    const opening = await timed(() => open(url, { logger, connectTimeoutMs: 300 }));
    expect(opening.error).toBeUndefined();
    expect(opening.ms).toBeLessThan(5000);
    const store = opening.value!;

    const health = await store.health();
    expect(health.ok).toBe(false);
    expect(health.detail).toMatch(new RegExp(`^health check: ${url.replaceAll(".", "\\.")}: `));
    expect(health.detail).not.toContain("\n");
    const errors = await expectEveryCallRefused(store, 1000);
    expect(errors.every((error) => error.reason === "unreachable")).toBe(true);
    // A few reconnection attempts later, still one line in the log.
    await new Promise((resolve) => setTimeout(resolve, 700));
    const warnings = lines.filter((line) => line.level === 40);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ store: url, msg: expect.stringMatching(/^store unreachable/) });

    await serve({ port });
    expect(await waitFor(async () => (await store.health()).ok, 10_000)).toBe(true);
    expect(await store.watchlists.add("u1", "alien-1979", AT)).toBe("added");
    expect(lines.filter((line) => line.msg === "store reachable again")).toHaveLength(1);
  });

  it("fails at open, in one line and without the password, when Redis refuses the password", async () => {
    const redis = await serve({ args: ["--requirepass", "right-password"] });
    const url = redis.url.replace("redis://", "redis://:wrong-password@");
    const error = await openStore(url, { logger: silentLogger() }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as Error).message).toMatch(/^cannot use the store redis:\/\/:\*\*\*@127\.0\.0\.1:\d+: WRONGPASS /);
    expect((error as Error).message).not.toContain("wrong-password");
    expect((error as Error).message).not.toContain("\n");
  });
});
