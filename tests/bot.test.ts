/**
 * startBot: online while the catalog loads; start-up failures are each a StartupError with one line for a person,
 * and nothing is left open.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { InteractionResponseType } from "discord.js";
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from "vitest";
import { commands, components } from "../commands/index.js";
import { loadDataDir } from "../src/catalog/load.js";
import { loadConfig } from "../src/config/config.js";
import { type RunningBot, startBot, StartupError } from "../src/bot.js";
import { deployCommands } from "../src/discord/register-commands.js";
import { encodeCardButtonId } from "../src/cards/film-card.js";
import { openStore } from "../src/store/open-store.js";
import { removeTempDirs, silentLogger, tempDir } from "./commands/fixtures.js";
import { isEphemeral, makeDataDir } from "./e2e/harness.js";
import { FakeDiscord } from "./fake-discord/index.js";

let fake: FakeDiscord;
beforeAll(async () => {
  fake = await FakeDiscord.start({ heartbeatIntervalMs: 250 });
});
afterAll(async () => {
  await fake?.close();
  await removeTempDirs();
});

async function startupError(env: Record<string, string>, readyTimeoutMs = 5000): Promise<StartupError> {
  const config = loadConfig({
    DISCORD_TOKEN: fake.token,
    DISCORD_API_URL: fake.restUrl,
    STORE_URL: `sqlite://${join(await tempDir(), "bot.sqlite")}`,
    ...env,
  });
  const error: unknown = await startBot({
    config,
    commands,
    components,
    logger: silentLogger(),
    readyTimeoutMs,
  }).then(
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
    expect((await startupError({ DATA_DIR: missing })).message).toBe(
      `cannot load the catalog: data folder not found: ${missing}`,
    );
  });

  it("a data folder with no films", async () => {
    const empty = join(await tempDir(), "data");
    await mkdir(empty);
    await writeFile(join(empty, "notes.md"), "# nothing here\n");
    expect((await startupError({ DATA_DIR: empty })).message).toBe(
      "cannot load the catalog: no films in the data folder (0 data files read, 0 problems)",
    );
  });

  it("a store it cannot open", async () => {
    const blocker = join(await tempDir(), "a-file");
    await writeFile(blocker, "not a folder");
    const error = await startupError({
      DATA_DIR: await makeDataDir(),
      STORE_URL: `sqlite://${join(blocker, "bot.sqlite")}`,
    });
    expect(error.message).toMatch(/^cannot use the store sqlite:\/\/.*a-file\/bot\.sqlite: E[A-Z]+/);
  });

  it("a token Discord refuses", async () => {
    const error = await startupError({ DATA_DIR: await makeDataDir(), DISCORD_TOKEN: "MTIzNDU2.bad.token" });
    expect(error.message).toMatch(/^cannot connect to Discord: /);
    expect(error.message).not.toContain("MTIzNDU2.bad.token");
  });

  it("a gateway that takes IDENTIFY and never sends READY", async () => {
    fake.setReady(false);
    try {
      const error = await startupError({ DATA_DIR: await makeDataDir() }, 1000);
      expect(error.message).toBe("cannot connect to Discord: Discord did not send READY within 1 s");
    } finally {
      fake.setReady(true);
    }
  });

  it("stops once, however often asked", async () => {
    const config = loadConfig({
      DISCORD_TOKEN: fake.token,
      DISCORD_API_URL: fake.restUrl,
      DATA_DIR: await makeDataDir(),
      STORE_URL: `sqlite://${join(await tempDir(), "bot.sqlite")}`,
    });
    const bot = await startBot({ config, commands, components, logger: silentLogger() });
    await Promise.all([bot.stop(), bot.stop()]);
    await bot.stop();
    expect(bot.client?.isReady()).toBe(false);
  });

  it("audits a reload still running at shutdown as interrupted, and does not wait for it", async () => {
    const storeFile = join(await tempDir(), "bot.sqlite");
    const config = loadConfig({
      DISCORD_TOKEN: fake.token,
      DISCORD_API_URL: fake.restUrl,
      DATA_DIR: await makeDataDir(),
      STORE_URL: `sqlite://${storeFile}`,
    });
    let loads = 0;
    const bot = await startBot({
      config,
      commands,
      components,
      logger: silentLogger(),
      // The first load (at start) goes through; the reload never finishes.
      loadData: async (dir) => (++loads === 1 ? loadDataDir(dir) : new Promise(() => undefined)),
    });
    void bot.reloadFromSignal("SIGHUP");
    await vi.waitFor(() => expect(loads).toBe(2));
    await bot.stop();
    const store = await openStore(`sqlite://${storeFile}`, { logger: silentLogger() });
    try {
      expect(await store.reloadAudit.recent(5)).toMatchObject([{ by: "signal:SIGHUP", outcome: "interrupted" }]);
    } finally {
      await store.close();
    }
  });
});

interface HeldStart {
  /** A Discord of its own: the other tests' sessions must not count as this bot's. */
  own: FakeDiscord;
  starting: Promise<RunningBot>;
  /** Resolves when the bot begins reading its data folder. */
  loadBegun: Promise<void>;
  /** Lets the catalog load go on. */
  release: () => void;
}

/** A bot started against a Discord of its own, its catalog load held back until `release()`. */
async function startHeld(options: { loadBeforeOnlineMs?: number } = {}): Promise<HeldStart> {
  const own = await FakeDiscord.start();
  onTestFinished(() => own.close());
  await deployCommands({ token: own.token, apiUrl: own.restUrl, guildId: undefined, commands });
  const config = loadConfig({
    DISCORD_TOKEN: own.token,
    DISCORD_API_URL: own.restUrl,
    DATA_DIR: await makeDataDir(),
    STORE_URL: `sqlite://${join(await tempDir(), "bot.sqlite")}`,
  });
  let release!: () => void;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  let begin!: () => void;
  const loadBegun = new Promise<void>((resolve) => {
    begin = resolve;
  });
  const starting = startBot({
    config,
    commands,
    components,
    logger: silentLogger(),
    clientOptions: { ws: { buildIdentifyThrottler: () => ({ waitForIdentify: async () => undefined }) } },
    ...options,
    loadData: async (dir) => {
      begin();
      await held;
      return loadDataDir(dir);
    },
  });
  return { own, starting, loadBegun, release };
}

describe("after the start", () => {
  it("reports a close Discord will not take back (4004: the token was revoked) as one fatal line", async () => {
    const own = await FakeDiscord.start({ heartbeatIntervalMs: 250 });
    onTestFinished(() => own.close());
    const config = loadConfig({
      DISCORD_TOKEN: own.token,
      DISCORD_API_URL: own.restUrl,
      DATA_DIR: await makeDataDir(),
      STORE_URL: `sqlite://${join(await tempDir(), "bot.sqlite")}`,
    });
    const fatal: string[] = [];
    const bot = await startBot({
      config,
      commands,
      components,
      logger: silentLogger(),
      onFatal: (message) => fatal.push(message),
    });
    onTestFinished(() => bot.stop());
    own.dropConnections(4004);
    await vi.waitFor(() => expect(fatal).toHaveLength(1), { timeout: 5000 });
    expect(fatal[0]).toBe(
      "Discord closed the gateway connection with 4004: the bot token was refused (reset or revoked?)",
    );
  });
});

describe("startBot while the catalog loads", () => {
  it("holds interactions while the catalog loads and answers them once it is in, each with its visibility", async () => {
    const { own, starting, release } = await startHeld({ loadBeforeOnlineMs: 0 });
    await own.waitForSession();

    // Acknowledged at once with the visibility of each command's answers: a card in public, /help in private.
    const card = own.sendCommand({ name: "movie", options: { title: "miss-you-already-2015" } });
    const help = own.sendCommand({ name: "help" });
    const missing = own.sendCommand({ name: "movie", options: { title: "qqqq zzzz xxxx" } });
    // A button of a card sent before a restart: the click is acknowledged, the card redrawn later.
    const click = own.sendComponent({
      customId: encodeCardButtonId({ filmId: "miss-you-already-2015", view: "cast", page: 0 }),
    });
    expect((await click.response()).type).toBe(InteractionResponseType.DeferredMessageUpdate);
    for (const handle of [card, missing]) {
      const response = await handle.response();
      expect(response.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
      expect(isEphemeral(response.data)).toBe(false);
    }
    const privateDeferral = await help.response();
    expect(privateDeferral.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    expect(isEphemeral(privateDeferral.data)).toBe(true);
    // Autocomplete cannot be deferred: after a short wait, no choices.
    expect(
      (await own.sendAutocomplete({ name: "movie", focused: "title", options: { title: "miss" } }).response()).data,
    ).toEqual({ choices: [] });

    release();
    const bot = await starting;
    try {
      expect((await card.waitForReply()).embeds?.[0]?.title).toBe("Miss You Already (2015)");
      expect((await help.waitForReply()).embeds?.[0]?.title).toBeTruthy();
      // Like any answer to a deferred reply, "not found" edits it (its visibility was set when deferred).
      expect((await missing.waitForReply()).content).toMatch(/^No film in the catalog matches/);
      expect(
        (await click.waitForReply({ until: (message) => (message.embeds?.length ?? 0) > 0 })).embeds?.[0]?.title,
      ).toMatch(/^Miss You Already/);
      expect(own.violations).toEqual([]);
    } finally {
      await bot.stop();
    }
  });

  it("connects only once a quick catalog is in, so that being online means serving", async () => {
    const { own, starting, loadBegun, release } = await startHeld();
    await loadBegun;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(own.gatewayStats.connections).toBe(0);
    release();
    await own.waitForSession();
    const served = await own.sendCommand({ name: "movie", options: { title: "miss-you-already-2015" } }).response();
    expect((served.data as { embeds?: { title?: string }[] }).embeds?.[0]?.title).toBe("Miss You Already (2015)");
    await (await starting).stop();
  });
});
