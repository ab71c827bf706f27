/**
 * The router and its error boundary, through the real bot (startBot, discord.js Client) and the fake Discord, with
 * commands written to misbehave in every way a handler can.
 */
import { setTimeout as sleep } from "node:timers/promises";
import {
  ApplicationCommandOptionType,
  InteractionContextType,
  InteractionResponseType,
  MessageFlags,
} from "discord.js";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { defineCommand, type Command } from "../../src/discord/command.js";
import { UserFacingError } from "../../src/errors.js";
import { privateText, respond, sendReply } from "../../src/discord/reply.js";
import { ROUTER_MESSAGES } from "../../src/discord/router.js";
import { removeTempDirs } from "../commands/fixtures.js";
import { expectCleanTraffic, type Harness, isEphemeral, startHarness } from "../e2e/harness.js";
import type { InteractionHandle } from "../fake-discord/index.js";

const plain = (name: string, execute: Command["execute"], extra: Partial<Command> = {}): Command =>
  defineCommand({ definition: { name, description: `test command ${name}` }, execute, ...extra });

/** A command with one autocompleted option "q". */
const withQuery = (name: string, autocomplete: NonNullable<Command["autocomplete"]>): Command =>
  defineCommand({
    definition: {
      name,
      description: `test command ${name}`,
      options: [{ type: ApplicationCommandOptionType.String, name: "q", description: "query", autocomplete: true }],
    },
    execute: async (interaction) => sendReply(interaction, privateText("x")),
    autocomplete,
  });

const testCommands: Command[] = [
  plain("boom", async () => {
    throw new Error("kaboom");
  }),
  plain("told", async () => {
    throw new UserFacingError("Nope: **this** stays as written.");
  }),
  plain("defer-then-boom", async (interaction) => {
    await interaction.deferReply();
    throw new Error("late kaboom");
  }),
  plain("reply-then-boom", async (interaction) => {
    await sendReply(interaction, { content: "first part" });
    throw new Error("kaboom after replying");
  }),
  plain("silent", async () => undefined),
  plain("fast", async (interaction) => respond(interaction, () => privateText("quick"), { deferEphemeral: true })),
  plain("slow", async (interaction) =>
    respond(
      interaction,
      async () => {
        await sleep(300);
        return { content: "worth the wait" };
      },
      { deferEphemeral: true, deferAfterMs: 50 },
    ),
  ),
  plain("slow-boom", async (interaction) =>
    respond(
      interaction,
      async () => {
        await sleep(300);
        throw new UserFacingError("failed after deferring");
      },
      { deferEphemeral: true, deferAfterMs: 50 },
    ),
  ),
  defineCommand({
    definition: { name: "guild", description: "server only", contexts: [InteractionContextType.Guild] },
    execute: async (interaction) => sendReply(interaction, privateText("in a server")),
  }),
  plain("cool", async (interaction) => sendReply(interaction, privateText("cool")), { cooldownSeconds: 60 }),
  withQuery("ac-boom", async () => {
    throw new Error("autocomplete kaboom");
  }),
  withQuery("ac-silent", async () => undefined),
];

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness({ commands: testCommands });
});
afterAll(async () => {
  await harness?.close();
  await removeTempDirs();
});
afterEach(() => expectCleanTraffic(harness.fake));

async function privateReply(handle: InteractionHandle): Promise<string> {
  const callback = await handle.response();
  expect(callback.type).toBe(InteractionResponseType.ChannelMessageWithSource);
  expect(isEphemeral(callback.data)).toBe(true);
  return (callback.data as { content: string }).content;
}

function logsFor(interactionId: string): Record<string, unknown>[] {
  return harness.logs.entries().filter((entry) => entry["interactionId"] === interactionId);
}

describe("the error boundary", () => {
  it("turns an exception into a private apology with a reference, and logs it with the interaction id", async () => {
    const handle = harness.fake.sendCommand({ name: "boom" });
    expect(await privateReply(handle)).toBe(ROUTER_MESSAGES.failed(handle.id));
    const logged = logsFor(handle.id).find((entry) => entry["msg"] === "interaction failed");
    expect(logged).toMatchObject({ level: 50, command: "boom", err: { message: "kaboom" } });
  });

  it("shows a UserFacingError's message as is", async () => {
    expect(await privateReply(harness.fake.sendCommand({ name: "told" }))).toBe("Nope: **this** stays as written.");
  });

  it("edits a deferred reply with the apology", async () => {
    const handle = harness.fake.sendCommand({ name: "defer-then-boom" });
    expect((await handle.response()).type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    expect((await handle.waitForReply()).content).toBe(ROUTER_MESSAGES.failed(handle.id));
  });

  it("follows up privately when the reply was already sent", async () => {
    const handle = harness.fake.sendCommand({ name: "reply-then-boom" });
    const [followUp] = await handle.waitForFollowUps(1);
    expect(followUp?.content).toBe(ROUTER_MESSAGES.failed(handle.id));
    expect((followUp?.flags ?? 0) & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    expect((await handle.waitForReply()).content).toBe("first part");
  });

  it("answers for a handler that forgot to", async () => {
    const handle = harness.fake.sendCommand({ name: "silent" });
    expect(await privateReply(handle)).toBe(ROUTER_MESSAGES.failed(handle.id));
  });

  it("answers autocomplete failures, and silences, with no choices", async () => {
    for (const name of ["ac-boom", "ac-silent"]) {
      const callback = await harness.fake.sendAutocomplete({ name, focused: "q" }).response();
      expect(callback.type).toBe(InteractionResponseType.ApplicationCommandAutocompleteResult);
      expect(callback.data).toEqual({ choices: [] });
    }
  });
});

describe("routing", () => {
  it("tells a member about an unknown command, and logs it", async () => {
    const handle = harness.fake.sendCommand({ name: "no-such-command" });
    expect(await privateReply(handle)).toBe(ROUTER_MESSAGES.unknownCommand);
    expect(logsFor(handle.id).some((entry) => entry["msg"] === "unknown command")).toBe(true);
    expect((await harness.fake.sendAutocomplete({ name: "no-such-command", focused: "q" }).response()).data).toEqual({
      choices: [],
    });
  });

  it("tells a member about an unknown button, and logs it", async () => {
    const handle = harness.fake.sendComponent({ customId: "mystery:42" });
    expect(await privateReply(handle)).toBe(ROUTER_MESSAGES.unknownButton);
    expect(
      logsFor(handle.id).some((entry) => entry["msg"] === "unknown button" && entry["customId"] === "mystery:42"),
    ).toBe(true);
  });

  it("turns down a server-only command in DMs", async () => {
    expect(await privateReply(harness.fake.sendCommand({ name: "guild", where: "dm" }))).toBe(
      ROUTER_MESSAGES.guildOnly,
    );
    expect(await privateReply(harness.fake.sendCommand({ name: "guild" }))).toBe("in a server");
  });

  it("applies a per-member cooldown, saying when to try again", async () => {
    const member = harness.fake.makeUser({ username: "eager" });
    expect(await privateReply(harness.fake.sendCommand({ name: "cool", user: member }))).toBe("cool");
    const refusal = await privateReply(harness.fake.sendCommand({ name: "cool", user: member }));
    const retryAt = Number(/<t:(\d+):R>/.exec(refusal)?.[1]);
    expect(refusal).toMatch(/^Easy there: you can use `\/cool` again <t:\d+:R>\.$/);
    expect(retryAt * 1000).toBeGreaterThan(Date.now() + 50_000);
    // Another member is not slowed down.
    expect(await privateReply(harness.fake.sendCommand({ name: "cool" }))).toBe("cool");
  });
});

describe("respond", () => {
  it("replies at once when the answer is ready", async () => {
    expect(await privateReply(harness.fake.sendCommand({ name: "fast" }))).toBe("quick");
  });

  it("defers privately when the answer is slow, then edits", async () => {
    const handle = harness.fake.sendCommand({ name: "slow" });
    const callback = await handle.response();
    expect(callback.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    expect(isEphemeral(callback.data)).toBe(true);
    expect((await handle.waitForReply()).content).toBe("worth the wait");
  });

  it("edits the deferred reply when the slow work fails", async () => {
    const handle = harness.fake.sendCommand({ name: "slow-boom" });
    expect((await handle.waitForReply()).content).toBe("failed after deferring");
  });
});

describe("shutting down", () => {
  it("answers interactions arriving while stopping with a private 'restarting'", async () => {
    harness.bot.router.stopAccepting();
    expect(await privateReply(harness.fake.sendCommand({ name: "fast" }))).toBe(ROUTER_MESSAGES.restarting);
    expect((await harness.fake.sendAutocomplete({ name: "ac-silent", focused: "q" }).response()).data).toEqual({
      choices: [],
    });
  });
});
