import { Client, GatewayIntentBits, Partials, type ClientOptions } from "discord.js";
import type { Config } from "../config/config.js";

/**
 * The discord.js client: the Guilds intent only (interactions need no other), DM channels as partials (so replies in
 * DMs have a channel), and silent mentions as the default for anything sent. Several processes on one token run
 * different shards (SHARDS / SHARD_COUNT); Discord sends a guild's interactions to one shard, and DMs to shard 0. `DISCORD_API_URL` points REST (and, via
 * GET /gateway/bot, the gateway) at another Discord: a REST proxy, or the tests' fake.
 */
export function createClient(
  config: Pick<Config, "discordApiUrl" | "shards">,
  overrides: Partial<ClientOptions> = {},
): Client {
  return new Client({
    intents: [GatewayIntentBits.Guilds],
    partials: [Partials.Channel],
    allowedMentions: { parse: [] },
    // Explicit, so discord.js does not pick up SHARDS / SHARD_COUNT from the environment unvalidated.
    ...(config.shards === undefined ? {} : { shards: [...config.shards.ids], shardCount: config.shards.count }),
    ...overrides,
    rest: { ...(config.discordApiUrl === undefined ? {} : { api: config.discordApiUrl }), ...overrides.rest },
  });
}
