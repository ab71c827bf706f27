/**
 * Server settings across processes, for real: two `src/main.ts` replicas in "http" interactions mode sharing a
 * redis-server, with a poll too slow to matter (CATALOG_SYNC_SECONDS=600). A moderator's change through one replica
 * must be in force on the other within 2 s: Redis pub/sub, not the poll, not a store read per interaction.
 */
import { PermissionFlagsBits } from "discord-api-types/v10";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { commands } from "../../commands/index.js";
import { deployCommands } from "../../src/discord/register-commands.js";
import { removeTempDirs, tempDir } from "../commands/fixtures.js";
import { FakeDiscord, permissionString } from "../fake-discord/index.js";
import { type Replica, startReplica } from "../support/bot-process.js";
import { findRedisServer, REDIS_SKIP_MESSAGE, startRedisServer, type RedisServer } from "../support/services.js";
import { expectCleanTraffic, isEphemeral, makeDataDir } from "./harness.js";

const redisBinary = findRedisServer();
if (redisBinary === null) console.warn(REDIS_SKIP_MESSAGE);

const MODERATOR = permissionString(PermissionFlagsBits.ManageGuild, PermissionFlagsBits.UseApplicationCommands);
/** How soon a change made through one replica must be in force on the other. */
const WITHIN_MS = 2000;

let fake: FakeDiscord;
let redis: RedisServer;
let replicas: Replica[] = [];

/** From now on, the fake POSTs interactions to `replica`. */
function talkTo(replica: Replica): void {
  fake.setInteractionsEndpoint(`${replica.url}/interactions`);
}

async function setCards(visibility: "public" | "private"): Promise<void> {
  const answer = await fake
    .sendCommand({
      name: "settings",
      subcommandGroup: "set",
      subcommand: "cards",
      options: { visibility },
      memberPermissions: MODERATOR,
    })
    .waitForReply();
  expect(answer.content).toMatch(/^\*\*Card answers\*\* changed: /);
}

/** Asks /movie until its answer is private (or not), up to `timeoutMs`; how long that took, or null. */
async function msUntilMovieIs(visibility: "public" | "private", timeoutMs: number): Promise<number | null> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    const card = await fake.sendCommand({ name: "movie", options: { title: "solaris" } }).waitForReply();
    if (isEphemeral(card) === (visibility === "private")) return performance.now() - started;
  }
  return null;
}

describe.skipIf(redisBinary === null)("server settings shared by two bot processes over Redis", () => {
  beforeAll(async () => {
    fake = await FakeDiscord.start();
    await deployCommands({ token: fake.token, apiUrl: fake.restUrl, guildId: undefined, commands });
    redis = await startRedisServer(redisBinary!);
    const env = {
      DISCORD_TOKEN: fake.token,
      DISCORD_API_URL: fake.restUrl,
      DISCORD_PUBLIC_KEY: fake.interactionsPublicKey,
      DATA_DIR: await makeDataDir(),
      STORE_URL: redis.url,
      LOG_LEVEL: "info",
      // A poll this slow cannot be what carries a change within 2 s: Redis pub/sub must.
      CATALOG_SYNC_SECONDS: "600",
    };
    const cwd = await tempDir("film-bot-settings-");
    replicas = await Promise.all([startReplica(cwd, env), startReplica(cwd, env)]);
  }, 120_000);

  afterAll(async () => {
    for (const replica of replicas) replica.signal("SIGTERM");
    await Promise.all(replicas.map((replica) => replica.exited));
    await redis?.stop();
    await fake?.close();
    await removeTempDirs();
  });

  afterEach(() => expectCleanTraffic(fake));

  it(`puts a change made through one process in force on the other within ${WITHIN_MS / 1000} s, both ways`, async () => {
    const [first, second] = [replicas[0]!, replicas[1]!];
    talkTo(second);
    expect(await msUntilMovieIs("public", 1000)).not.toBeNull();

    talkTo(first);
    await setCards("private");
    talkTo(second);
    expect(await msUntilMovieIs("private", WITHIN_MS)).not.toBeNull();

    await setCards("public");
    talkTo(first);
    expect(await msUntilMovieIs("public", WITHIN_MS)).not.toBeNull();

    // The audit is shared too: the second process lists the first one's change.
    const view = await fake
      .sendCommand({ name: "settings", subcommand: "view", memberPermissions: MODERATOR })
      .waitForReply();
    const latest = view.embeds[0]?.fields?.find((field) => field.name === "Latest changes")?.value ?? "";
    expect(latest.split("\n")).toHaveLength(2);
    expect(latest.split("\n")[1]).toContain("→ private: only the member who asked");
  });
});
