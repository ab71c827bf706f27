/**
 * The real bot (startBot, the real discord.js Client, the real command list) against the fake Discord, with a data
 * folder holding the seed page and a few JSON Lines records, and a SQLite store in a temp folder.
 */
import { copyFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { Writable } from "node:stream";
import { type APIMessage, ComponentType, MessageFlags } from "discord.js";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { commands, components } from "../../commands/index.js";
import type { Film } from "../../src/catalog/film.js";
import { loadConfig, type Config } from "../../src/config/config.js";
import { startBot, type RunningBot } from "../../src/bot.js";
import type { Command } from "../../src/interactions/command.js";
import { deployCommands } from "../../src/discord/register-commands.js";
import { createLogger, type Logger } from "../../src/logging/logger.js";
import { edgeFilms, removeTempDirs, tempDir, vegaFilms, writeFilmsJsonl } from "../commands/fixtures.js";
import { seededRandom } from "../support/seeded-random.js";
import { FakeDiscord, type FakeDiscordOptions } from "../fake-discord/index.js";

export const SEED_PAGE = new URL("../../data/000_ca69434de1f8644e.txt", import.meta.url);
export const SEED_ID = "miss-you-already-2015";

/** Films written as JSON Lines next to the seed page: the hand-made edge cases and 300 real films. */
export function dataFilms(): Film[] {
  return [...edgeFilms(), ...vegaFilms().slice(0, 300)];
}

/** A data folder with the seed page and `films` as JSON Lines. */
export async function makeDataDir(films: readonly Film[] = dataFilms()): Promise<string> {
  const dir = join(await tempDir("film-bot-e2e-"), "data");
  await mkdir(dir, { recursive: true });
  await copyFile(SEED_PAGE, join(dir, "000_ca69434de1f8644e.txt"));
  await writeFilmsJsonl(dir, "films.jsonl", films);
  return dir;
}

/** Log lines kept in memory, to check what the bot logged (and that the token is not in it). */
export class LogCapture {
  readonly lines: string[] = [];
  readonly stream = new Writable({
    write: (chunk: Buffer | string, _encoding, done) => {
      this.lines.push(
        ...String(chunk)
          .split("\n")
          .filter((line) => line !== ""),
      );
      done();
    },
  });

  entries(): Record<string, unknown>[] {
    return this.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}

export interface BotUnderTest {
  bot: RunningBot;
  config: Config;
  logs: LogCapture;
  logger: Logger;
}

/** Starts the real bot against `fake` with test-friendly options (no identify wait, seeded random, fixed clock). */
export async function startTestBot(
  fake: FakeDiscord,
  env: Record<string, string>,
  options: { storeNamespace?: string; commands?: readonly Command[]; deferAfterMs?: number } = {},
): Promise<BotUnderTest> {
  const config = loadConfig({
    DISCORD_TOKEN: fake.token,
    DISCORD_API_URL: fake.restUrl,
    LOG_LEVEL: "info",
    CATALOG_SYNC_SECONDS: "0",
    ...env,
  });
  const logs = new LogCapture();
  const logger = createLogger({
    level: config.logLevel,
    pretty: false,
    destination: logs.stream,
    secrets: [config.discordToken],
  });
  const bot = await startBot({
    config,
    logger,
    clock: () => new Date(),
    random: seededRandom(7),
    clientOptions: { ws: { buildIdentifyThrottler: () => ({ waitForIdentify: async () => undefined }) } },
    ...(options.storeNamespace === undefined ? {} : { storeNamespace: options.storeNamespace }),
    commands: options.commands ?? commands,
    components,
    ...(options.deferAfterMs === undefined ? {} : { deferAfterMs: options.deferAfterMs }),
  });
  return { bot, config, logs, logger };
}

export interface Harness extends BotUnderTest {
  fake: FakeDiscord;
  dataDir: string;
  stateDir: string;
  close(): Promise<void>;
}

/** Fake Discord + commands deployed globally with the real deploy + the real bot logged in. */
/**
 * A harness started before the file's tests and closed after them, with every test checked for clean traffic
 * (no schema or limit violations, no unknown routes). The returned function gives the harness inside tests.
 */
export function useHarness(options: Parameters<typeof startHarness>[0] = {}): () => Harness {
  let harness: Harness | undefined;
  beforeAll(async () => {
    harness = await startHarness(options);
  });
  afterAll(async () => {
    await harness?.close();
    await removeTempDirs();
  });
  afterEach(() => {
    if (harness !== undefined) expectCleanTraffic(harness.fake);
  });
  return () => {
    if (harness === undefined) throw new Error("useHarness: the harness exists only inside tests");
    return harness;
  };
}

export async function startHarness(
  options: {
    /** Extra variables; a function when they depend on the fake (its guild ids). */
    env?: Record<string, string> | ((fake: FakeDiscord) => Record<string, string>);
    fake?: FakeDiscordOptions;
    films?: readonly Film[];
    /** Share a data folder between bots (default: a new one). */
    dataDir?: string;
    commands?: readonly Command[];
    storeNamespace?: string;
    /** How long the router waits for a reply before deferring it. */
    deferAfterMs?: number;
    /** How Discord delivers interactions to the bot: over the gateway (default) or POSTed to its HTTP endpoint. */
    transport?: Transport;
  } = {},
): Promise<Harness> {
  const fake = await FakeDiscord.start({ heartbeatIntervalMs: 250, ...options.fake });
  const dataDir = options.dataDir ?? (await makeDataDir(options.films));
  const stateDir = await tempDir("film-bot-state-");
  await deployCommands({
    token: fake.token,
    apiUrl: fake.restUrl,
    guildId: undefined,
    commands: options.commands ?? commands,
  });
  const underTest = await startTestBot(
    fake,
    {
      DATA_DIR: dataDir,
      STORE_URL: `sqlite://${join(stateDir, "bot.sqlite")}`,
      ...(options.transport === "http" ? httpEnv(fake) : {}),
      ...(typeof options.env === "function" ? options.env(fake) : options.env),
    },
    {
      ...(options.commands === undefined ? {} : { commands: options.commands }),
      ...(options.storeNamespace === undefined ? {} : { storeNamespace: options.storeNamespace }),
      ...(options.deferAfterMs === undefined ? {} : { deferAfterMs: options.deferAfterMs }),
    },
  );
  if (options.transport === "http") fake.setInteractionsEndpoint(interactionsUrl(underTest.bot));
  return {
    ...underTest,
    fake,
    dataDir,
    stateDir,
    close: async () => {
      await underTest.bot.stop();
      await fake.close();
    },
  };
}

/** Both ways Discord delivers interactions, for tests that must hold over either. */
export const TRANSPORTS = ["gateway", "http"] as const;
export type Transport = (typeof TRANSPORTS)[number];

/** The configuration of a bot that takes interactions over HTTP from `fake`, on a free port of 127.0.0.1. */
export function httpEnv(fake: FakeDiscord): Record<string, string> {
  return {
    INTERACTIONS: "http",
    DISCORD_PUBLIC_KEY: fake.interactionsPublicKey,
    HTTP_HOST: "127.0.0.1",
    HTTP_PORT: "0",
  };
}

/** The bot's Interactions Endpoint URL. */
export function interactionsUrl(bot: RunningBot): string {
  if (bot.http === null) throw new Error("the bot has no HTTP server");
  return `http://127.0.0.1:${bot.http.address.port}/interactions`;
}

/**
 * For afterEach: nothing the bot sent broke Discord's schema, its limits or the no-ping rule, and it called no route
 * Discord does not have. Then forgets the records for the next test.
 */
export function expectCleanTraffic(fake: FakeDiscord): void {
  expect(fake.violations).toEqual([]);
  expect(fake.unknownRoutes).toEqual([]);
  fake.clearRecords();
}

/** Whether a message, or a callback's message data, is seen only by the member (ephemeral). */
export function isEphemeral(message: unknown): boolean {
  const flags = (message as { flags?: number } | undefined)?.flags ?? 0;
  return (flags & MessageFlags.Ephemeral) !== 0;
}

/** A message's buttons, label → custom id. */
export function buttonIds(message: APIMessage): Record<string, string> {
  const ids: Record<string, string> = {};
  for (const row of message.components ?? []) {
    if (row.type !== ComponentType.ActionRow) continue;
    for (const component of row.components) {
      if (component.type === ComponentType.Button && "custom_id" in component && component.label)
        ids[component.label] = component.custom_id;
    }
  }
  return ids;
}

/** The select menu of a message: its custom id and its options' labels and values. */
export function menuOf(message: APIMessage | undefined): { customId: string; labels: string[]; values: string[] } {
  for (const row of message?.components ?? []) {
    if (row.type !== ComponentType.ActionRow) continue;
    for (const component of row.components) {
      if (component.type === ComponentType.StringSelect)
        return {
          customId: component.custom_id,
          labels: component.options.map((option) => option.label),
          values: component.options.map((option) => option.value),
        };
    }
  }
  throw new Error("the message has no select menu");
}

/** A member other than the fake Discord's default one. */
export const OTHER_MEMBER = {
  id: "222222222222222222",
  username: "someone-else",
  discriminator: "0",
  global_name: "Someone Else",
  avatar: null,
};
