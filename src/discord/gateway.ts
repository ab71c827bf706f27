/**
 * The gateway transport: a discord.js client holds the WebSocket connection (identify, heartbeats, resume, shards)
 * and hands each INTERACTION_CREATE payload, raw, to the interaction router; answers go out over REST. The client
 * asks for the Guilds intent only (interactions need no other) and never pings by default. Several processes on one
 * token run different shards (SHARDS / SHARD_COUNT); Discord sends a guild's interactions to one shard, and DMs to
 * shard 0. `DISCORD_API_URL` points REST (and, via GET /gateway/bot, the gateway) at another Discord: a REST proxy,
 * or the tests' fake.
 */
import { Client, Events, GatewayDispatchEvents, GatewayIntentBits, Partials, type ClientOptions } from "discord.js";
import type { Config } from "../config/config.js";
import { NO_MENTIONS } from "../interactions/answer.js";
import type { InteractionRouter } from "../interactions/router.js";
import type { Logger } from "../logging/logger.js";
import { restResponder } from "./rest-responder.js";

export function createClient(
  config: Pick<Config, "discordApiUrl" | "shards">,
  overrides: Partial<ClientOptions> = {},
): Client {
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    partials: [Partials.Channel],
    allowedMentions: NO_MENTIONS,
    // Explicit, so discord.js does not pick up SHARDS / SHARD_COUNT from the environment unvalidated.
    ...(config.shards === undefined ? {} : { shards: [...config.shards.ids], shardCount: config.shards.count }),
    ...overrides,
    rest: { ...(config.discordApiUrl === undefined ? {} : { api: config.discordApiUrl }), ...overrides.rest },
  });
  // The router reads INTERACTION_CREATE payloads raw (connectRouter), checked at the edge. discord.js would also build
  // its own interaction objects from them, which nothing here uses, and which throws on payloads it cannot read.
  (client as unknown as DiscordJsActions).actions.InteractionCreate.handle = () => undefined;
  return client;
}

/** The part of discord.js's (undocumented) action manager that turns INTERACTION_CREATE into objects. */
interface DiscordJsActions {
  actions: { InteractionCreate: { handle(data: unknown): void } };
}

/** Close codes after which Discord will not take the session back, with what they mean for an operator. */
const FATAL_CLOSE_CODES: Readonly<Record<number, string>> = {
  4004: "the bot token was refused (reset or revoked?)",
  4010: "the shard id is not valid",
  4011: "the bot is in too many servers for one shard: set SHARDS and SHARD_COUNT",
  4012: "the gateway API version is not valid",
  4013: "the intents are not valid",
  4014: "the intents are not allowed for this application (Developer Portal → Bot → Privileged Gateway Intents)",
};

/**
 * Routes the client's interactions to `router` and logs the connection's ups and downs; a close Discord will not take
 * back (a revoked token, intents not allowed) goes to `fatal` as one line.
 */
export function connectRouter(
  client: Client,
  router: InteractionRouter,
  logger: Logger,
  fatal: (message: string) => void,
): void {
  const responder = restResponder(client.rest);
  client.ws.on(GatewayDispatchEvents.InteractionCreate, (payload: unknown) => void router.handle(payload, responder));
  client.on(Events.Error, (error) => logger.error({ err: error }, "discord client error"));
  client.on(Events.Warn, (message) => logger.warn({ message }, "discord client warning"));
  client.on(Events.ShardDisconnect, (event, shardId) => {
    logger.warn({ shardId, code: event.code }, "gateway disconnected");
    const meaning = FATAL_CLOSE_CODES[event.code];
    if (meaning !== undefined) fatal(`Discord closed the gateway connection with ${event.code}: ${meaning}`);
  });
  client.on(Events.ShardReconnecting, (shardId) => logger.info({ shardId }, "gateway reconnecting"));
  client.on(Events.ShardResume, (shardId, replayed) => logger.info({ shardId, replayed }, "gateway resumed"));
  client.on(Events.ShardError, (error, shardId) => logger.error({ err: error, shardId }, "gateway error"));
}

/** Logs in and waits for READY (login alone resolves before the client can answer anything). */
export async function logIn(client: Client, token: string, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const ready = new Promise<void>((resolve, reject) => {
    client.once(Events.ClientReady, () => resolve());
    timer = setTimeout(() => reject(new Error(`Discord did not send READY within ${timeoutMs / 1000} s`)), timeoutMs);
  });
  ready.catch(() => undefined);
  try {
    // Both: login can stay pending when the gateway takes IDENTIFY and never sends READY.
    await Promise.all([client.login(token), ready]);
  } finally {
    clearTimeout(timer);
  }
}
