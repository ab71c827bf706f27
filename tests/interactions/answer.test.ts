import { InteractionResponseType, MessageFlags } from "discord-api-types/v10";
import { describe, expect, it } from "vitest";
import { Answer, type Responder } from "../../src/interactions/answer.js";
import type { InteractionTarget } from "../../src/interactions/incoming.js";

const target: InteractionTarget = { id: "1", token: "token", applicationId: "2", type: 2 };

/** A responder that records each call as [method, body]. */
function recording(): { responder: Responder; calls: [string, unknown][] } {
  const calls: [string, unknown][] = [];
  return {
    calls,
    responder: {
      respond: async (_target, response) => void calls.push(["respond", response]),
      editOriginal: async (_target, body) => void calls.push(["editOriginal", body]),
      followUp: async (_target, body) => void calls.push(["followUp", body]),
    },
  };
}

const SILENT = { parse: [] };

describe("Answer", () => {
  it("replies with silent mentions; private replies are ephemeral", async () => {
    const { responder, calls } = recording();
    await new Answer(target, responder).send({ content: "hi" }, "private");
    await new Answer(target, responder).send({ embeds: [{ title: "t" }] }, "public");
    expect(calls).toEqual([
      [
        "respond",
        {
          type: InteractionResponseType.ChannelMessageWithSource,
          data: { content: "hi", embeds: [], components: [], allowed_mentions: SILENT, flags: MessageFlags.Ephemeral },
        },
      ],
      [
        "respond",
        {
          type: InteractionResponseType.ChannelMessageWithSource,
          data: { embeds: [{ title: "t" }], components: [], allowed_mentions: SILENT },
        },
      ],
    ]);
  });

  it("edits a deferred reply, which keeps the visibility it was deferred with, then follows up", async () => {
    const { responder, calls } = recording();
    const answer = new Answer(target, responder);
    await answer.defer("private");
    await answer.send({ content: "x" }, "public");
    await answer.send({ content: "y" }, "private");
    expect(calls).toEqual([
      ["respond", { type: InteractionResponseType.DeferredChannelMessageWithSource, data: { flags: 64 } }],
      ["editOriginal", { content: "x", embeds: [], components: [], allowed_mentions: SILENT }],
      ["followUp", { content: "y", embeds: [], components: [], allowed_mentions: SILENT, flags: 64 }],
    ]);
  });

  it("updates a button's message, or edits it once the click was acknowledged", async () => {
    const { responder, calls } = recording();
    await new Answer(target, responder).update({ embeds: [] });
    const held = new Answer(target, responder);
    await held.deferUpdate();
    await held.update({ embeds: [] });
    expect(calls).toEqual([
      [
        "respond",
        { type: InteractionResponseType.UpdateMessage, data: { embeds: [], components: [], allowed_mentions: SILENT } },
      ],
      ["respond", { type: InteractionResponseType.DeferredMessageUpdate }],
      ["editOriginal", { embeds: [], components: [], allowed_mentions: SILENT }],
    ]);
  });

  it("answers autocomplete once, and a ping with a pong", async () => {
    const { responder, calls } = recording();
    const answer = new Answer(target, responder);
    await answer.choices([{ name: "Alien (1979)", value: "alien-1979" }]);
    await answer.choices([]);
    await new Answer(target, responder).pong();
    expect(calls).toEqual([
      [
        "respond",
        {
          type: InteractionResponseType.ApplicationCommandAutocompleteResult,
          data: { choices: [{ name: "Alien (1979)", value: "alien-1979" }] },
        },
      ],
      ["respond", { type: InteractionResponseType.Pong }],
    ]);
  });
});
