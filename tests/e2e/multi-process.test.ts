/**
 * Several bot processes on one store: when one reloads, the others follow (they check the shared catalog generation
 * every CATALOG_SYNC_SECONDS). Two real bots, each with its own fake Discord (as two shards would have their own
 * gateway connections), share a data folder and a store: a SQLite file, and Redis when redis-server is installed.
 */
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { PermissionFlagsBits } from "discord.js";
import { afterAll, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir, writeFilmsJsonl } from "../commands/fixtures.js";
import { permissionString } from "../fake-discord/index.js";
import { findRedisServer, REDIS_SKIP_MESSAGE, startRedisServer } from "../support/services.js";
import { dataFilms, makeDataDir, startHarness, type Harness } from "./harness.js";

afterAll(removeTempDirs);

const MANAGE_SERVER = permissionString(PermissionFlagsBits.ManageGuild, PermissionFlagsBits.UseApplicationCommands);

async function waitFor(condition: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await sleep(50);
  }
  return condition();
}

interface FollowResult {
  firstReport: string | undefined;
  secondFollowed: boolean;
  secondAnswer: string | undefined;
  auditOutcomes: string[];
  violations: number;
  unknownRoutes: number;
}

/** Reload on the first bot; the second, polling every second, should answer with the new film without being told. */
async function reloadOnOneAnswerOnTheOther(storeUrl: string, storeNamespace?: string): Promise<FollowResult> {
  const dataDir = await makeDataDir();
  const namespace = storeNamespace === undefined ? {} : { storeNamespace };
  const first: Harness = await startHarness({
    dataDir,
    env: { STORE_URL: storeUrl, CATALOG_SYNC_SECONDS: "0" },
    ...namespace,
  });
  const second: Harness = await startHarness({
    dataDir,
    env: { STORE_URL: storeUrl, CATALOG_SYNC_SECONDS: "1" },
    ...namespace,
  });
  try {
    await writeFilmsJsonl(dataDir, "added.jsonl", [
      { ...dataFilms()[0]!, id: "shared-news-2024", title: "Shared News", year: 2024 },
    ]);
    const report = await first.fake
      .sendCommand({ name: "reload", memberPermissions: MANAGE_SERVER })
      .waitForFinalReply();
    const secondFollowed = await waitFor(
      async () => second.bot.context.catalog.current.get("shared-news-2024") !== undefined,
      5000,
    );
    const answer = await second.fake.sendCommand({ name: "movie", options: { title: "shared news" } }).waitForReply();
    return {
      firstReport: report.embeds[0]?.title,
      secondFollowed,
      secondAnswer: answer.embeds[0]?.title,
      // The audit lives in the shared store: the second process sees the first one's entry, and wrote none itself.
      auditOutcomes: (await second.bot.context.store.reloadAudit.recent(10)).map((entry) => entry.outcome),
      violations: first.fake.violations.length + second.fake.violations.length,
      unknownRoutes: first.fake.unknownRoutes.length + second.fake.unknownRoutes.length,
    };
  } finally {
    await first.close();
    await second.close();
  }
}

const FOLLOWED: FollowResult = {
  firstReport: "Catalog reloaded",
  secondFollowed: true,
  secondAnswer: "Shared News (2024)",
  auditOutcomes: ["reloaded"],
  violations: 0,
  unknownRoutes: 0,
};

describe("two bot processes sharing a store", () => {
  it("follow each other's reloads over one SQLite file", async () => {
    expect(await reloadOnOneAnswerOnTheOther(`sqlite://${join(await tempDir("film-shared-"), "bot.sqlite")}`)).toEqual(
      FOLLOWED,
    );
  });

  const redisServer = findRedisServer();
  if (redisServer === null) console.warn(REDIS_SKIP_MESSAGE);

  it.skipIf(redisServer === null)("follow each other's reloads over Redis", async () => {
    const redis = await startRedisServer(redisServer!);
    try {
      expect(await reloadOnOneAnswerOnTheOther(redis.url, `test-${randomUUID()}`)).toEqual(FOLLOWED);
    } finally {
      await redis.stop();
    }
  });
});
