/**
 * The router's visibility policy, on raw payloads and a recording responder: a command whose answers are public
 * (cards) answers privately where the server made card answers private, or outside the public channels it listed;
 * private commands stay private; a pick menu that posts a card follows the same policy; DMs are untouched.
 */
import { ChannelType, InteractionResponseType, InteractionType, MessageFlags } from "discord-api-types/v10";
import { describe, expect, it } from "vitest";
import { Catalog } from "../../src/catalog/catalog.js";
import type { Responder } from "../../src/interactions/answer.js";
import { defineCommand, defineComponent, type Command } from "../../src/interactions/command.js";
import { InteractionRouter } from "../../src/interactions/router.js";
import { nextSnowflake } from "../fake-discord/snowflake.js";
import { useTestContext } from "../commands/fixtures.js";

const APP = "100000000000000001";
const PRIVATE_GUILD = "200000000000000001";
const CHANNELS_GUILD = "200000000000000002";
const OTHER_GUILD = "200000000000000003";
const PUBLIC_CHANNEL = "300000000000000001";
const OTHER_CHANNEL = "300000000000000002";
const BY = "user:1 (mod)";

const test = useTestContext({ catalog: Catalog.build([]) });

const card = (name: string, extra: Partial<Command> = {}): Command =>
  defineCommand({
    definition: { name, description: name },
    visibility: "public",
    reply: () => ({ content: "a card" }),
    ...extra,
  });

const commands: Command[] = [
  card("card"),
  card("slow-card", { cost: "slow" }),
  defineCommand({
    definition: { name: "mine", description: "mine" },
    visibility: "private",
    reply: () => ({ content: "x" }),
  }),
];
const components = [
  defineComponent({
    prefix: "pick:",
    answer: { reply: "public" },
    parse: (customId) => customId,
    reply: () => ({ content: "the picked card" }),
  }),
];

interface Where {
  guildId?: string | null;
  channelId?: string;
  /** A thread of this channel. */
  threadOf?: string;
}

function payload(type: InteractionType, data: unknown, where: Where = {}): Record<string, unknown> {
  const user = { id: "400000000000000001", username: "member" };
  const channelId = where.channelId ?? OTHER_CHANNEL;
  const channel =
    where.threadOf === undefined
      ? { id: channelId, type: ChannelType.GuildText }
      : { id: channelId, type: ChannelType.PublicThread, parent_id: where.threadOf };
  const guildId = where.guildId === undefined ? OTHER_GUILD : where.guildId;
  return {
    id: nextSnowflake(),
    application_id: APP,
    token: "token",
    type,
    channel_id: channelId,
    ...(guildId === null
      ? { user, channel: { id: channelId, type: ChannelType.DM } }
      : { guild_id: guildId, member: { user, permissions: "0" }, channel }),
    data,
  };
}

/** How the router answered: whether the first response was "thinking…", and whether only the member sees it. */
async function answerTo(body: Record<string, unknown>): Promise<{ deferred: boolean; private: boolean }> {
  const responses: { type: number; data?: { flags?: number } }[] = [];
  const responder: Responder = {
    respond: async (_target, response) => void responses.push(response as (typeof responses)[number]),
    editOriginal: async () => undefined,
    followUp: async () => undefined,
  };
  const router = new InteractionRouter({ commands, components, context: test().context });
  await router.handle(body, responder);
  const first = responses[0];
  if (first === undefined) throw new Error("no answer");
  return {
    deferred: first.type === InteractionResponseType.DeferredChannelMessageWithSource,
    private: ((first.data?.flags ?? 0) & MessageFlags.Ephemeral) !== 0,
  };
}

const command = (name: string, where?: Where) =>
  answerTo(payload(InteractionType.ApplicationCommand, { name, type: 1 }, where));
const pick = (where?: Where) =>
  answerTo(
    payload(InteractionType.MessageComponent, { custom_id: "pick:solaris", component_type: 3, values: ["x"] }, where),
  );

describe("the router's visibility policy", () => {
  it("answers cards publicly and private commands privately where the server changed nothing", async () => {
    expect(await command("card")).toEqual({ deferred: false, private: false });
    expect(await command("mine")).toEqual({ deferred: false, private: true });
    expect(await pick()).toEqual({ deferred: false, private: false });
  });

  it("answers cards privately everywhere in a server that made card answers private, and only there", async () => {
    await test().context.settings.change(PRIVATE_GUILD, "cardVisibility", "private", BY);
    const there = { guildId: PRIVATE_GUILD };
    expect(await command("card", there)).toEqual({ deferred: false, private: true });
    expect(await command("slow-card", there)).toEqual({ deferred: true, private: true });
    expect(await pick(there)).toEqual({ deferred: false, private: true });
    expect(await command("card", { guildId: OTHER_GUILD })).toEqual({ deferred: false, private: false });
    expect(await command("card", { guildId: null })).toEqual({ deferred: false, private: false });
  });

  it("answers cards publicly only in the listed channels (and their threads) when a server listed some", async () => {
    await test().context.settings.change(CHANNELS_GUILD, "publicChannelIds", [PUBLIC_CHANNEL], BY);
    const listed = { guildId: CHANNELS_GUILD, channelId: PUBLIC_CHANNEL };
    const elsewhere = { guildId: CHANNELS_GUILD, channelId: OTHER_CHANNEL };
    const thread = { guildId: CHANNELS_GUILD, channelId: "300000000000000003", threadOf: PUBLIC_CHANNEL };
    expect(await command("card", listed)).toEqual({ deferred: false, private: false });
    expect(await command("card", thread)).toEqual({ deferred: false, private: false });
    expect(await command("slow-card", listed)).toEqual({ deferred: true, private: false });
    expect(await command("card", elsewhere)).toEqual({ deferred: false, private: true });
    expect(await pick(elsewhere)).toEqual({ deferred: false, private: true });
    expect(await command("mine", listed)).toEqual({ deferred: false, private: true });
  });

  it("asks the settings in memory: with the store closed, the policy still answers at once", async () => {
    await test().store.close();
    expect(await command("card", { guildId: PRIVATE_GUILD })).toEqual({ deferred: false, private: true });
    expect(await command("card", { guildId: CHANNELS_GUILD, channelId: PUBLIC_CHANNEL })).toEqual({
      deferred: false,
      private: false,
    });
  });
});
