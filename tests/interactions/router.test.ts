/**
 * The router and its error boundary, through the real bot (startBot, discord.js Client) and the fake Discord, with
 * commands written to misbehave in every way a handler can.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { ApplicationCommandOptionType, InteractionContextType, InteractionResponseType } from "discord-api-types/v10";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { UserFacingError } from "../../src/errors.js";
import { defineCommand, type Command, type MessageReply } from "../../src/interactions/command.js";
import { ROUTER_MESSAGES } from "../../src/interactions/router.js";
import { removeTempDirs } from "../commands/fixtures.js";
import { expectCleanTraffic, type Harness, isEphemeral, startHarness, TRANSPORTS } from "../e2e/harness.js";
import type { InteractionHandle } from "../fake-discord/index.js";

/** How long the router waits for a reply before deferring, in these tests (so "slow" need not take seconds). */
const DEFER_AFTER_MS = 50;

const plain = (name: string, reply: Command["reply"], extra: Partial<Command> = {}): Command =>
  defineCommand({ definition: { name, description: `test command ${name}` }, visibility: "private", reply, ...extra });

/** A command with one autocompleted option "q". */
const withQuery = (name: string, autocomplete: NonNullable<Command["autocomplete"]>): Command =>
  defineCommand({
    definition: {
      name,
      description: `test command ${name}`,
      options: [{ type: ApplicationCommandOptionType.String, name: "q", description: "query", autocomplete: true }],
    },
    visibility: "private",
    reply: () => ({ content: "x" }),
    autocomplete,
  });

/** What a handler written in plain JavaScript might return: nothing. */
const nothing = undefined as unknown as MessageReply;

const testCommands: Command[] = [
  plain("boom", () => {
    throw new Error("kaboom");
  }),
  plain("told", () => {
    throw new UserFacingError("Nope: **this** stays as written.");
  }),
  plain(
    "defer-then-boom",
    () => {
      throw new Error("late kaboom");
    },
    { cost: "slow", visibility: "public" },
  ),
  plain("silent", () => nothing),
  plain("fast", () => ({ content: "quick" })),
  plain("slow", async () => {
    await sleep(300);
    return { content: "worth the wait" };
  }),
  plain("slow-boom", async () => {
    await sleep(300);
    throw new UserFacingError("failed after deferring");
  }),
  defineCommand({
    definition: { name: "guild", description: "server only", contexts: [InteractionContextType.Guild] },
    visibility: "private",
    reply: () => ({ content: "in a server" }),
  }),
  plain("cool", () => ({ content: "cool" }), { cooldownSeconds: 60 }),
  withQuery("ac-boom", () => {
    throw new Error("autocomplete kaboom");
  }),
  withQuery("ac-silent", () => undefined as unknown as []),
  withQuery("ac-busy", (input) => {
    // Synchronous work longer than the defer delay, as a search of a big catalog on a busy machine can be.
    const until = performance.now() + 2 * DEFER_AFTER_MS;
    while (performance.now() < until);
    return [{ name: `found ${input.focused.value}`, value: input.focused.value }];
  }),
];

async function privateReply(handle: InteractionHandle): Promise<string> {
  const callback = await handle.response();
  expect(callback.type).toBe(InteractionResponseType.ChannelMessageWithSource);
  expect(isEphemeral(callback.data)).toBe(true);
  return (callback.data as { content: string }).content;
}

describe.each(TRANSPORTS)("interactions over the %s", (transport) => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({ commands: testCommands, deferAfterMs: DEFER_AFTER_MS, transport });
  });
  afterAll(async () => {
    await harness?.close();
    await removeTempDirs();
  });
  afterEach(() => expectCleanTraffic(harness.fake));

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

  it("answers every autocomplete of a burst with what it found, even those past the deadline by the time they run", async () => {
    const handles = Array.from({ length: 12 }, (_, i) =>
      harness.fake.sendAutocomplete({ name: "ac-busy", focused: "q", options: { q: `query ${i}` } }),
    );
    const callbacks = await Promise.all(handles.map((handle) => handle.response()));
    expect(callbacks.map((callback) => callback.data)).toEqual(
      handles.map((_, i) => ({ choices: [{ name: `found query ${i}`, value: `query ${i}` }] })),
    );
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
});
