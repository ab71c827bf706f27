/**
 * The bot at scale, for real: three replicas (`src/main.ts` processes in "http" interactions mode) behind nginx
 * (Debian's package, started here with the repository's proxy settings, deploy/nginx/film-bot-proxy.conf), sharing a
 * real redis-server. The fake Discord signs each interaction with the application's key and POSTs it to nginx, as
 * Discord does to an Interactions Endpoint URL; edits come back over REST to the fake.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { InteractionResponseType, PermissionFlagsBits } from "discord-api-types/v10";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { commands } from "../../commands/index.js";
import { encodeCardButtonId } from "../../src/cards/film-card.js";
import { deployCommands } from "../../src/discord/register-commands.js";
import { removeTempDirs, silentLogger, tempDir } from "../commands/fixtures.js";
import { FakeDiscord, permissionString } from "../fake-discord/index.js";
import { type Replica, startReplica, until } from "../support/bot-process.js";
import {
  findBinary,
  findRedisServer,
  type Nginx,
  NGINX_SKIP_MESSAGE,
  type RedisServer,
  startNginx,
  startRedisServer,
} from "../support/services.js";
import { openStore } from "../../src/store/open-store.js";
import { dataFilms, expectCleanTraffic, makeDataDir, SEED_ID } from "./harness.js";

const nginxBinary = findBinary("nginx");
const redisBinary = findRedisServer();
const available = nginxBinary !== null && redisBinary !== null;
if (!available) console.warn(NGINX_SKIP_MESSAGE);

const REPLICAS = 3;

let fake: FakeDiscord;
let redis: RedisServer;
let nginx: Nginx;
let replicas: Replica[] = [];
let dataDir: string;

/** Interactions each replica answered, from its /metrics. */
async function answeredBy(replica: Replica, command: string): Promise<number> {
  const text = await (await fetch(`${replica.url}/metrics`)).text();
  const pattern = new RegExp(
    `^film_bot_interactions_total\\{command="${command}",kind="[a-z]+",outcome="[a-z_]+"\\} (\\d+)$`,
    "gm",
  );
  let total = 0;
  for (const match of text.matchAll(pattern)) total += Number(match[1]);
  return total;
}

/** The catalog generation a replica serves, from its /metrics. */
async function generationOf(replica: Replica): Promise<string | null> {
  const text = await (await fetch(`${replica.url}/metrics`)).text();
  return /^film_bot_catalog_generation_info\{generation="([^"]+)"\} 1$/m.exec(text)?.[1] ?? null;
}

const MODERATOR = permissionString(PermissionFlagsBits.ManageGuild, PermissionFlagsBits.SendMessages);

describe.skipIf(!available)("replicas behind nginx, sharing Redis", () => {
  beforeAll(async () => {
    fake = await FakeDiscord.start();
    await deployCommands({ token: fake.token, apiUrl: fake.restUrl, guildId: undefined, commands });
    redis = await startRedisServer(redisBinary!);
    dataDir = await makeDataDir();
    const cwd = await tempDir("film-bot-scale-");
    const env = {
      DISCORD_TOKEN: fake.token,
      DISCORD_API_URL: fake.restUrl,
      DISCORD_PUBLIC_KEY: fake.interactionsPublicKey,
      DATA_DIR: dataDir,
      STORE_URL: redis.url,
      LOG_LEVEL: "info",
      // A poll this slow cannot be what makes replicas follow a reload within seconds: Redis pub/sub must.
      CATALOG_SYNC_SECONDS: "600",
    };
    replicas = await Promise.all(Array.from({ length: REPLICAS }, () => startReplica(cwd, env)));
    nginx = await startNginx(
      nginxBinary!,
      replicas.map((replica) => replica.url.replace("http://", "")),
    );
    fake.setInteractionsEndpoint(`${nginx.url}/interactions`);
  }, 120_000);

  afterAll(async () => {
    for (const replica of replicas) replica.signal("SIGTERM");
    await Promise.all(replicas.map((replica) => replica.exited));
    await nginx?.stop();
    await redis?.stop();
    await fake?.close();
    await removeTempDirs();
  });

  afterEach(() => expectCleanTraffic(fake));

  it("answers Discord's PING and refuses a bad signature, through nginx", async () => {
    const ping = JSON.stringify({ id: "1234567890123456789", application_id: fake.applicationId, type: 1, token: "t" });
    const pong = await fetch(`${nginx.url}/interactions`, {
      method: "POST",
      headers: { "content-type": "application/json", ...fake.signatureHeaders(ping) },
      body: ping,
    });
    expect(pong.status).toBe(200);
    expect(await pong.json()).toEqual({ type: 1 });
    const forged = await fetch(`${nginx.url}/interactions`, {
      method: "POST",
      headers: { "content-type": "application/json", ...fake.signatureHeaders(ping), "x-signature-timestamp": "1" },
      body: ping,
    });
    expect(forged.status).toBe(401);
  });

  it("answers commands, autocomplete and buttons, spread over every replica", async () => {
    const handles = Array.from({ length: 30 }, () => fake.sendCommand({ name: "movie", options: { title: SEED_ID } }));
    for (const handle of handles)
      expect((await handle.waitForReply()).embeds[0]?.title).toBe("Miss You Already (2015)");
    const choices = await fake
      .sendAutocomplete({ name: "movie", focused: "title", options: { title: "solar" } })
      .response();
    expect(choices.type).toBe(InteractionResponseType.ApplicationCommandAutocompleteResult);
    const click = fake.sendComponent({ customId: encodeCardButtonId({ filmId: SEED_ID, view: "trivia", page: 0 }) });
    expect((await click.waitForReply()).embeds[0]?.title).toBe("Miss You Already (2015) — Trivia");
    for (const replica of replicas) expect(await answeredBy(replica, "movie")).toBeGreaterThan(0);
  });

  it("defers slow work and edits the answer in over REST; every replica follows the reload within 2 s", async () => {
    const before = await generationOf(replicas[0]!);
    const handle = fake.sendCommand({ name: "reload", memberPermissions: MODERATOR });
    expect((await handle.response()).type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    expect((await handle.waitForFinalReply()).embeds[0]?.title).toBe("Catalog reloaded");
    const reloadedAt = performance.now();
    // The replica that reloaded serves the new generation; the others follow it, told by Redis.
    await until(
      async () => {
        const now = new Set(await Promise.all(replicas.map(generationOf)));
        return now.size === 1 && !now.has(null) && !now.has(before);
      },
      2000,
      "every replica to serve the new catalog generation",
    );
    expect(performance.now() - reloadedAt).toBeLessThan(2000);
  });

  it("keeps every one of 40 watchlist adds sent at once through different replicas", async () => {
    const member = fake.makeUser({ username: "collector" });
    const films = dataFilms().slice(0, 40);
    const handles = films.map((film) =>
      fake.sendCommand({ name: "watchlist", subcommand: "add", options: { title: film.id }, user: member }),
    );
    const replies = await Promise.all(handles.map((handle) => handle.waitForReply()));
    for (const reply of replies) expect(reply.content).toMatch(/^Added /);
    const store = await openStore(redis.url, { logger: silentLogger() });
    try {
      const listed = await store.watchlists.list(member.id);
      expect(listed.map((entry) => entry.filmId).sort()).toEqual(films.map((film) => film.id).sort());
    } finally {
      await store.close();
    }
  });

  it("holds a member's cooldown across replicas", async () => {
    const member = fake.makeUser({ username: "impatient" });
    const replies = [];
    // One after another, so that nginx spreads them over the replicas.
    for (let i = 0; i < REPLICAS * 2; i++)
      replies.push(await fake.sendCommand({ name: "random", options: {}, user: member }).waitForReply());
    const answered = replies.filter((reply) => reply.embeds.length > 0);
    const waiting = replies.filter((reply) => reply.content.startsWith("Easy there: you can use `/random` again"));
    expect(answered).toHaveLength(1);
    expect(waiting).toHaveLength(REPLICAS * 2 - 1);
  });

  it("answers every interaction of a burst while one replica is stopped (SIGTERM) in the middle of it", async () => {
    const [stopped] = replicas.splice(0, 1);
    const handles = [];
    for (let i = 0; i < 60; i++) {
      handles.push(fake.sendCommand({ name: "movie", options: { title: i % 2 === 0 ? SEED_ID : "solaris" } }));
      if (i === 20) stopped!.signal("SIGTERM");
      await sleep(5);
    }
    for (const handle of handles)
      expect((await handle.response()).type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(await stopped!.exited).toBe(0);
  });

  it("takes a killed replica (SIGKILL) out and answers everything with the others", async () => {
    const [killed] = replicas.splice(0, 1);
    killed!.signal("SIGKILL");
    await killed!.exited;
    const handles = Array.from({ length: 20 }, () => fake.sendCommand({ name: "movie", options: { title: SEED_ID } }));
    for (const handle of handles)
      expect((await handle.response()).type).toBe(InteractionResponseType.ChannelMessageWithSource);
    await until(async () => (await answeredBy(replicas[0]!, "movie")) > 0, 5000, "the last replica to answer");
  });
});
