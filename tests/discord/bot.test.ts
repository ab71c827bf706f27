/**
 * startBot: online while the catalog loads; start-up failures are each a StartupError with one line for a person,
 * and nothing is left open.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { InteractionResponseType, MessageFlags } from "discord.js";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { commands } from "../../commands/index.js";
import { loadDataDir } from "../../src/catalog/load.js";
import { loadConfig } from "../../src/config/config.js";
import { startBot, StartupError } from "../../src/discord/bot.js";
import { deployCommands } from "../../src/discord/deploy.js";
import { ROUTER_MESSAGES } from "../../src/discord/router.js";
import { removeTempDirs, silentLogger, tempDir } from "../commands/fixtures.js";
import { makeDataDir } from "../e2e/harness.js";
import { FakeDiscord } from "../fake-discord/index.js";

let fake: FakeDiscord;
beforeAll(async () => {
  fake = await FakeDiscord.start({ heartbeatIntervalMs: 250 });
});
afterAll(async () => {
  await fake?.close();
  await removeTempDirs();
});

async function startupError(env: Record<string, string>): Promise<StartupError> {
  const config = loadConfig({ DISCORD_TOKEN: fake.token, DISCORD_API_URL: fake.restUrl, STORE_URL: `sqlite://${join(await tempDir(), "bot.sqlite")}`, ...env });
  const error: unknown = await startBot({ config, logger: silentLogger(), readyTimeoutMs: 5000 }).then(
    async (bot) => {
      await bot.stop();
      return new Error("the bot started");
    },
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(StartupError);
  expect((error as Error).message).not.toContain("\n");
  return error as StartupError;
}

describe("startBot failures", () => {
  it("a missing data folder", async () => {
    const missing = join(await tempDir(), "no-data");
    expect((await startupError({ DATA_DIR: missing })).message).toBe(`cannot load the catalog: data folder not found: ${missing}`);
  });

  it("a store it cannot open", async () => {
    const blocker = join(await tempDir(), "a-file");
    await writeFile(blocker, "not a folder");
    const error = await startupError({ DATA_DIR: await makeDataDir(), STORE_URL: `sqlite://${join(blocker, "bot.sqlite")}` });
    expect(error.message).toMatch(/^cannot use the store sqlite:\/\/.*a-file\/bot\.sqlite: E[A-Z]+/);
  });

  it("a token Discord refuses", async () => {
    const error = await startupError({ DATA_DIR: await makeDataDir(), DISCORD_TOKEN: "MTIzNDU2.bad.token" });
    expect(error.message).toMatch(/^cannot connect to Discord: /);
    expect(error.message).not.toContain("MTIzNDU2.bad.token");
  });

  it("stops once, however often asked", async () => {
    const config = loadConfig({ DISCORD_TOKEN: fake.token, DISCORD_API_URL: fake.restUrl, DATA_DIR: await makeDataDir(), STORE_URL: `sqlite://${join(await tempDir(), "bot.sqlite")}` });
    const bot = await startBot({ config, logger: silentLogger() });
    await Promise.all([bot.stop(), bot.stop()]);
    await bot.stop();
    expect(bot.client.isReady()).toBe(false);
  });
});

describe("startBot while the catalog loads", () => {
  it("is online at once, answers 'starting up' privately until the catalog is in, then serves", async () => {
    // A Discord of its own: the other tests' sessions must not count as this bot's.
    const own = await FakeDiscord.start();
    onTestFinished(() => own.close());
    await deployCommands({ token: own.token, apiUrl: own.restUrl, guildId: undefined, commands });
    const config = loadConfig({ DISCORD_TOKEN: own.token, DISCORD_API_URL: own.restUrl, DATA_DIR: await makeDataDir(), STORE_URL: `sqlite://${join(await tempDir(), "bot.sqlite")}` });
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const starting = startBot({
      config,
      logger: silentLogger(),
      clientOptions: { ws: { buildIdentifyThrottler: () => ({ waitForIdentify: async () => undefined }) } },
      loadBeforeOnlineMs: 0,
      loadData: async (dir) => {
        await held;
        return loadDataDir(dir);
      },
    });
    await own.waitForSession();

    const early = await own.sendCommand({ name: "movie", options: { title: "miss-you-already-2015" } }).response();
    expect(early.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(early.data).toMatchObject({ content: ROUTER_MESSAGES.starting, flags: MessageFlags.Ephemeral });
    const choices = await own.sendAutocomplete({ name: "movie", focused: "title", options: { title: "miss" } }).response();
    expect(choices.data).toEqual({ choices: [] });

    release();
    const bot = await starting;
    try {
      const served = await own.sendCommand({ name: "movie", options: { title: "miss-you-already-2015" } }).response();
      expect((served.data as { embeds?: { title?: string }[] }).embeds?.[0]?.title).toBe("Miss You Already (2015)");
      expect(own.violations).toEqual([]);
    } finally {
      await bot.stop();
    }
  });

  it("connects only once a quick catalog is in, so that being online means serving", async () => {
    const own = await FakeDiscord.start();
    onTestFinished(() => own.close());
    await deployCommands({ token: own.token, apiUrl: own.restUrl, guildId: undefined, commands });
    const config = loadConfig({ DISCORD_TOKEN: own.token, DISCORD_API_URL: own.restUrl, DATA_DIR: await makeDataDir(), STORE_URL: `sqlite://${join(await tempDir(), "bot.sqlite")}` });
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let loadStarted!: () => void;
    const loading = new Promise<void>((resolve) => {
      loadStarted = resolve;
    });
    const starting = startBot({
      config,
      logger: silentLogger(),
      clientOptions: { ws: { buildIdentifyThrottler: () => ({ waitForIdentify: async () => undefined }) } },
      loadData: async (dir) => {
        loadStarted();
        await held;
        return loadDataDir(dir);
      },
    });
    await loading;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(own.gatewayStats.connections).toBe(0);
    release();
    await own.waitForSession();
    const served = await own.sendCommand({ name: "movie", options: { title: "miss-you-already-2015" } }).response();
    expect((served.data as { embeds?: { title?: string }[] }).embeds?.[0]?.title).toBe("Miss You Already (2015)");
    await (await starting).stop();
  });
});
