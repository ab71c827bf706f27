import { GatewayIntentBits, IntentsBitField, Partials } from "discord.js";
import { describe, expect, it } from "vitest";
import { createClient } from "../../src/discord/gateway.js";

describe("createClient", () => {
  it("asks for the Guilds intent only, caches DM channels, and never pings by default", async () => {
    const client = createClient({ discordApiUrl: undefined, shards: undefined });
    expect(new IntentsBitField(client.options.intents).toArray()).toEqual(["Guilds"]);
    expect(new IntentsBitField(client.options.intents).bitfield).toBe(GatewayIntentBits.Guilds);
    expect(client.options.partials).toEqual([Partials.Channel]);
    expect(client.options.allowedMentions).toEqual({ parse: [] });
    expect(client.options.rest?.api).toBe("https://discord.com/api");
    await client.destroy();
  });

  it("points REST at DISCORD_API_URL and runs the configured shards", async () => {
    const client = createClient({ discordApiUrl: "http://127.0.0.1:9/api", shards: { ids: [1], count: 2 } });
    expect(client.options.rest?.api).toBe("http://127.0.0.1:9/api");
    expect(client.options.shards).toEqual([1]);
    expect(client.options.shardCount).toBe(2);
    await client.destroy();
  });
});
