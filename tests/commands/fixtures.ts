import { afterAll, beforeAll } from "vitest";
/**
 * Real parts for handler tests: a Catalog built from real Film records (the seed page's film, 3,200 films from the
 * vega-datasets package, and a few hand-made ones with awkward data), a real Keyv SQLite store in a temp file, a
 * silent logger, a fixed clock and a seeded random source.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino, type Logger } from "pino";
import { Catalog } from "../../src/catalog/catalog.js";
import { emptyFilm, type Film } from "../../src/catalog/film.js";
import { createCatalogHolder } from "../../src/reload/holder.js";
import { loadConfig, type Config } from "../../src/config/config.js";
import type { Invoker } from "../../src/interactions/command.js";
import { createBotContext, type BotContext } from "../../src/interactions/context.js";
import { convertVegaMovies, vegaMoviesPath } from "../../src/importers/vega.js";
import { openStore } from "../../src/store/open-store.js";
import type { BotStore } from "../../src/store/store.js";
import { seedFilm } from "../support/seed-film.js";
import { seededRandom } from "../support/seeded-random.js";

export const FIXED_NOW = new Date("2025-01-15T12:00:00.000Z");
/** A token of the right shape; it reaches nothing. */
export const TEST_TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GabcDe.abcdefghijklmnopqrstuvwxyz0123456789AB";

let vegaCache: Film[] | undefined;

/** 3,200 real films (titles, years, ratings, directors; no cast). */
/** Asked in a DM: no server settings apply. */
export const FROM_DMS = { guildId: null } as const;

/** A member writing to the bot in a DM, for handlers that take the whole invoker. */
export const DM_INVOKER: Invoker = {
  userId: "1",
  username: "member",
  guildId: null,
  channelId: null,
  parentChannelId: null,
  permissions: null,
};

export function vegaFilms(): Film[] {
  vegaCache ??= convertVegaMovies(JSON.parse(readFileSync(vegaMoviesPath(), "utf8"))).films;
  return vegaCache;
}

function film(title: string, year: number | null, fields: Partial<Film>): Film {
  const id =
    fields.id ??
    `${title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "")}${year === null ? "" : `-${year}`}`;
  return { ...emptyFilm(title, "fixtures.jsonl"), id, year, ...fields };
}

/** Films with the data that breaks naive bots: markdown, mentions, no year, a long cast, a huge title. */
export function edgeFilms(): Film[] {
  return [
    film("*batteries not included", 1987, {
      rating: { score: 6.6, outOf: 10, votes: 40_000 },
      directors: ["Matthew Robbins"],
      cast: [
        { name: "Hume Cronyn", role: "Frank Riley" },
        { name: "Jessica Tandy", role: "Faye Riley" },
      ],
      logline: "Tenants of a **doomed** building get help from _tiny_ aliens. @everyone <@123456789012345678>",
      trivia: [
        "The title's asterisk is part of it: *batteries not included.",
        "Ping test: @here and <@&123456789012345678>.",
      ],
    }),
    film("Solaris", 1972, {
      rating: { score: 8.0, outOf: 10, votes: 95_000 },
      directors: ["Andrei Tarkovsky"],
      cast: [
        { name: "Natalya Bondarchuk", role: "Hari" },
        { name: "Donatas Banionis", role: "Kris Kelvin" },
      ],
      trivia: ["Tarkovsky called it his least favourite film."],
    }),
    film("Undated Reel", null, { id: "undated-reel", logline: "A film nobody dated." }),
    film("Crowded Picture", 2001, {
      rating: { score: 5.1, outOf: 10, votes: 900 },
      cast: Array.from({ length: 65 }, (_, index) => ({
        name: `Extra Number ${index + 1}`,
        role: `Passer-by ${index + 1}`,
      })),
      trivia: Array.from(
        { length: 30 },
        (_, index) => `Fact ${index + 1}: ${"a long and winding sentence ".repeat(8)}`,
      ),
    }),
    film(`The ${"Very ".repeat(60)}Long Title`, 1999, {
      id: "the-very-long-title-1999",
      rating: { score: 7.0, outOf: 10, votes: 50 },
      directors: ["Catherine Hardwicke"],
    }),
  ];
}

/** The seed film, the edge films and the vega films, ids unique (hand-made ones win). */
export function fixtureFilms(): Film[] {
  const films = [seedFilm(), ...edgeFilms()];
  const ids = new Set(films.map((entry) => entry.id));
  return [...films, ...vegaFilms().filter((entry) => !ids.has(entry.id))];
}

let catalogCache: Catalog | undefined;

/** A Catalog of `fixtureFilms()`, built once per test file. */
export function fixtureCatalog(): Catalog {
  catalogCache ??= Catalog.build(fixtureFilms());
  return catalogCache;
}

export function silentLogger(): Logger {
  return pino({ level: "silent" });
}

const tempDirs: string[] = [];

export async function tempDir(prefix = "film-bot-"): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/** Removes every folder made by `tempDir` (call in afterAll/afterEach). */
export async function removeTempDirs(): Promise<void> {
  await Promise.all(tempDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ DISCORD_TOKEN: TEST_TOKEN, LOG_LEVEL: "silent", ...overrides });
}

/** Writes `films` as a JSON Lines file in `dir`. */
export async function writeFilmsJsonl(dir: string, name: string, films: readonly Film[]): Promise<void> {
  await writeFile(join(dir, name), films.map((entry) => JSON.stringify(entry)).join("\n") + "\n");
}

export interface TestContext {
  context: BotContext;
  store: BotStore;
  dataDir: string;
  close(): Promise<void>;
}

/** A handler's context from real parts: the fixture catalog, a SQLite store in a temp folder. */
/**
 * A test context created before the file's tests and closed after them (its store, its temp folders). Call at the
 * top of a test file; the returned function gives the context inside tests.
 */
export function useTestContext(options: Parameters<typeof createTestContext>[0] = {}): () => TestContext {
  let test: TestContext | undefined;
  beforeAll(async () => {
    test = await createTestContext(options);
  });
  afterAll(async () => {
    await test?.close();
    await removeTempDirs();
  });
  return () => {
    if (test === undefined) throw new Error("useTestContext: the context exists only inside tests");
    return test;
  };
}

export async function createTestContext(
  options: { catalog?: Catalog; config?: Record<string, string>; random?: () => number } = {},
): Promise<TestContext> {
  const dir = await tempDir();
  const dataDir = join(dir, "data");
  const logger = silentLogger();
  const config = testConfig({
    DATA_DIR: dataDir,
    STORE_URL: `sqlite://${join(dir, "state", "bot.sqlite")}`,
    ...options.config,
  });
  const store = await openStore(config.storeUrl, { logger });
  const catalog = options.catalog ?? fixtureCatalog();
  const context = createBotContext({
    catalog: createCatalogHolder({ dataDir, initial: catalog, logger }),
    store,
    logger,
    config,
    clock: () => FIXED_NOW,
    random: options.random ?? seededRandom(42),
  });
  return { context, store, dataDir, close: () => store.close() };
}

/** Discord's documented limits broken by a reply payload (the fake Discord's own checker); [] when it is fine. */
export { messageLimitProblems } from "../fake-discord/index.js";
