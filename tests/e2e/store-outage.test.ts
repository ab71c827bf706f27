/**
 * A store that fails must not hang anyone: with Redis stopped, frozen or not yet up, and with the SQLite file locked
 * by another program, cards and autocomplete keep answering, watchlist commands answer privately within the store's
 * deadline with a plain message, and the bot stops cleanly (exit 0) with its store gone.
 */
import { join } from "node:path";
import sqlite3 from "sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { commands } from "../../commands/index.js";
import { WATCHLIST_UNAVAILABLE } from "../../commands/watchlist.js";
import { deployCommands } from "../../src/discord/register-commands.js";
import { removeTempDirs, tempDir } from "../commands/fixtures.js";
import { FakeDiscord } from "../fake-discord/index.js";
import { logLines, MAIN, run, until } from "../support/bot-process.js";
import { findRedisServer, REDIS_SKIP_MESSAGE, type RedisServer, startRedisServer } from "../support/services.js";
import { type Harness, isEphemeral, makeDataDir, SEED_ID, startHarness } from "./harness.js";

const redisBinary = findRedisServer();
if (redisBinary === null) console.warn(REDIS_SKIP_MESSAGE);

afterAll(removeTempDirs);

/** The store's deadline, the router's deferral and a margin for a loaded machine. */
const ANSWER_WITHIN_MS = 6000;

/** What a member gets back from a command, and how long it took. */
async function timed(harness: Harness, send: (fake: FakeDiscord) => ReturnType<FakeDiscord["sendCommand"]>) {
  const started = performance.now();
  const reply = await send(harness.fake).waitForFinalReply({ timeoutMs: 15_000 });
  return { reply, ms: performance.now() - started };
}

const addToWatchlist = (fake: FakeDiscord) =>
  fake.sendCommand({ name: "watchlist", subcommand: "add", options: { title: SEED_ID } });

/** Cards, autocomplete and a cooldown command answer as usual. */
async function expectCatalogServed(harness: Harness): Promise<void> {
  const card = await harness.fake.sendCommand({ name: "movie", options: { title: SEED_ID } }).waitForReply();
  expect(card.embeds[0]?.title).toBe("Miss You Already (2015)");
  const choices = await harness.fake
    .sendAutocomplete({ name: "movie", focused: "title", options: { title: "miss you" } })
    .response();
  expect((choices.data as { choices: unknown[] }).choices.length).toBeGreaterThan(0);
  // Cooldowns live in the store: with the store down the command goes through.
  const random = await harness.fake.sendCommand({ name: "random", options: {} }).waitForReply();
  expect(random.embeds.length).toBe(1);
}

describe.skipIf(redisBinary === null)("with Redis", () => {
  it("answers everything while Redis is stopped, frozen, or back", async () => {
    const redis: RedisServer = await startRedisServer(redisBinary!);
    const harness = await startHarness({ env: { STORE_URL: redis.url } });
    try {
      expect((await timed(harness, addToWatchlist)).reply.content).toMatch(/^Added /);

      await redis.stop();
      const stopped = await timed(harness, addToWatchlist);
      expect(stopped.reply.content).toBe(WATCHLIST_UNAVAILABLE.tryAgain);
      expect(isEphemeral(stopped.reply)).toBe(true);
      expect(stopped.ms).toBeLessThan(ANSWER_WITHIN_MS);
      await expectCatalogServed(harness);
      expect(await harness.bot.readiness()).toMatchObject({ ready: false });

      const back = await startRedisServer(redisBinary!, { port: redis.port });
      await until(async () => (await harness.bot.readiness()).ready, 10_000, "the store to be back");
      // A new, empty Redis (no persistence in the test): the add works again.
      expect((await timed(harness, addToWatchlist)).reply.content).toMatch(/^Added /);

      back.freeze();
      const frozen = await timed(harness, addToWatchlist);
      expect(frozen.reply.content).toBe(WATCHLIST_UNAVAILABLE.tryAgain);
      expect(frozen.ms).toBeLessThan(ANSWER_WITHIN_MS);
      await expectCatalogServed(harness);
      back.thaw();
      await until(async () => (await harness.bot.readiness()).ready, 10_000, "the store to be back");
      await back.stop();
    } finally {
      await harness.close();
      await redis.stop();
    }
  }, 90_000);

  it("starts with Redis down, connects when it comes up, and stops with exit code 0 once it is gone again", async () => {
    const redis = await startRedisServer(redisBinary!);
    await redis.stop();
    const fake = await FakeDiscord.start({ heartbeatIntervalMs: 250 });
    try {
      await deployCommands({ token: fake.token, apiUrl: fake.restUrl, guildId: undefined, commands });
      const bot = run(MAIN, await tempDir("film-cwd-"), {
        DISCORD_TOKEN: fake.token,
        DISCORD_API_URL: fake.restUrl,
        DATA_DIR: await makeDataDir(),
        STORE_URL: redis.url,
      });
      await until(() => logLines(bot).some((line) => line["msg"] === "ready"), 30_000, "the bot to be ready");
      const card = await fake.sendCommand({ name: "movie", options: { title: SEED_ID } }).waitForReply();
      expect(card.embeds[0]?.title).toBe("Miss You Already (2015)");
      const up = await startRedisServer(redisBinary!, { port: redis.port });
      const member = fake.makeUser({ username: "patient" });
      await until(
        async () =>
          (
            await fake
              .sendCommand({ name: "watchlist", subcommand: "add", options: { title: SEED_ID }, user: member })
              .waitForReply()
          ).content.startsWith("Added "),
        15_000,
        "the watchlist to work once Redis is up",
      );
      await up.stop();
      const stopAsked = performance.now();
      bot.signal("SIGTERM");
      expect(await bot.exited).toBe(0);
      expect(performance.now() - stopAsked).toBeLessThan(10_000);
      expect(bot.stderr).toEqual([]);
    } finally {
      await fake.close();
    }
  }, 60_000);
});

describe("with SQLite locked by another program", () => {
  it("keeps answering cards and autocomplete, and tells a member their watchlist is unavailable", async () => {
    const harness = await startHarness();
    const locker = new sqlite3.Database(join(harness.stateDir, "bot.sqlite"));
    const exec = (sql: string) =>
      new Promise<void>((resolve, reject) => locker.exec(sql, (error) => (error ? reject(error) : resolve())));
    try {
      await exec("BEGIN EXCLUSIVE");
      const locked = await timed(harness, addToWatchlist);
      expect(locked.reply.content).toBe(WATCHLIST_UNAVAILABLE.tryAgain);
      expect(locked.ms).toBeLessThan(ANSWER_WITHIN_MS);
      await expectCatalogServed(harness);
      await exec("ROLLBACK");
      expect((await timed(harness, addToWatchlist)).reply.content).toMatch(/^Added /);
    } finally {
      await new Promise<void>((resolve) => locker.close(() => resolve()));
      await harness.close();
    }
  }, 60_000);
});
