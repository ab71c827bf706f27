/**
 * Every command through the real bot and the fake Discord: what a member sees, privately or not, in a server and in
 * DMs, and that nothing the bot sends breaks Discord's schema, limits or the no-ping rule.
 */
import { readFile } from "node:fs/promises";
import {
  ApplicationCommandOptionType,
  InteractionResponseType,
  type APIApplicationCommandInteractionDataOption,
  type APIMessage,
} from "discord.js";
import { describe, expect, it } from "vitest";
import { commands } from "../../commands/index.js";
import { buildFilmCard } from "../../src/cards/film-card.js";
import { seedFilm } from "../support/seed-film.js";
import type { InteractionHandle } from "../fake-discord/index.js";
import { isEphemeral, SEED_ID, TRANSPORTS, useHarness } from "./harness.js";

async function reply(handle: InteractionHandle): Promise<APIMessage> {
  return handle.waitForFinalReply();
}

describe.each(TRANSPORTS)("interactions over the %s", (transport) => {
  const harness = useHarness({ transport });

  describe("deploy", () => {
    it("registered exactly the command definitions the router uses", () => {
      const registered = harness()
        .fake.commands()
        .map((command) => ({
          name: command.name,
          description: command.description,
          options: command.options ?? [],
          contexts: command.contexts,
        }));
      expect(registered).toEqual(
        commands.map(({ definition }) => ({
          name: definition.name,
          description: definition.description,
          options: definition.options ?? [],
          contexts: definition.contexts,
        })),
      );
    });
  });

  describe("/movie", () => {
    it("shows the seed film's card (by id, as autocomplete sends it), publicly and at once", async () => {
      const handle = harness().fake.sendCommand({ name: "movie", options: { title: SEED_ID } });
      const callback = await handle.response();
      expect(callback.type).toBe(InteractionResponseType.ChannelMessageWithSource);
      const message = await reply(handle);
      expect(isEphemeral(message)).toBe(false);
      // The page parsed from data/ renders exactly like the hand-written seed record.
      const card = buildFilmCard(seedFilm());
      expect(message.embeds).toEqual(card.embeds.map((embed) => ({ type: "rich", ...embed })));
      expect(message.components).toHaveLength(card.components.length);
      const json = JSON.stringify(message.embeds, null, 2);
      console.log(`The embed a member sees for /movie title:${SEED_ID}:\n${json}`);
      // docs/data.md ("What Discord receives") shows this same JSON; update it there if the card changes.
      expect(await readFile(new URL("../../docs/data.md", import.meta.url), "utf8")).toContain(json);
    });

    it("finds free text typed and sent, with the year as a filter", async () => {
      const message = await reply(
        harness().fake.sendCommand({ name: "movie", options: { title: "solaris", year: 1972 } }),
      );
      expect(message.embeds[0]?.title).toBe("Solaris (1972)");
      const typo = await reply(harness().fake.sendCommand({ name: "movie", options: { title: "mis you alredy" } }));
      expect(typo.embeds[0]?.title).toBe("Miss You Already (2015)");
    });

    it("answers privately with suggestions when nothing matches", async () => {
      const message = await reply(
        harness().fake.sendCommand({ name: "movie", options: { title: "solaris", year: 1990 } }),
      );
      expect(isEphemeral(message)).toBe(true);
      expect(message.content).toContain("No film in the catalog matches “solaris” in 1990.");
      expect(message.content).toContain("• **Solaris** (1972)");
    });

    it("works in DMs", async () => {
      const message = await reply(
        harness().fake.sendCommand({ name: "movie", options: { title: SEED_ID }, where: "dm" }),
      );
      expect(message.embeds[0]?.title).toBe("Miss You Already (2015)");
    });

    it("keeps film text from pinging or formatting", async () => {
      const message = await reply(
        harness().fake.sendCommand({ name: "movie", options: { title: "batteries-not-included-1987" } }),
      );
      expect(message.embeds[0]?.title).toBe("\\*batteries not included (1987)");
      expect(message.mention_everyone).toBe(false);
      expect(message.mentions).toEqual([]);
    });

    it("checks hostile option values", async () => {
      const tooLong = await reply(harness().fake.sendCommand({ name: "movie", options: { title: "x".repeat(5000) } }));
      expect(tooLong.content).toBe("The option `title` is too long (at most 200 characters).");
      const wrongType = await reply(
        harness().fake.sendCommand({
          name: "movie",
          options: [{ name: "title", type: ApplicationCommandOptionType.Integer, value: 5 }],
        }),
      );
      expect(wrongType.content).toBe("The option `title` has the wrong type. Try the command again.");
      expect(isEphemeral(wrongType)).toBe(true);
    });
  });

  describe("the other read-only commands", () => {
    it("/cast shows the cast view", async () => {
      const message = await reply(harness().fake.sendCommand({ name: "cast", options: { title: SEED_ID } }));
      expect(message.embeds[0]?.title).toBe("Miss You Already (2015) — Cast");
    });

    it("/trivia shows a film's trivia, or random trivia (in DMs too)", async () => {
      const film = await reply(harness().fake.sendCommand({ name: "trivia", options: { title: SEED_ID } }));
      expect(film.embeds[0]?.description).toContain("Jennifer Aniston");
      const random = await reply(harness().fake.sendCommand({ name: "trivia", where: "dm" }));
      expect(random.embeds[0]?.title).toMatch(/^Did you know\? — /);
    });

    it("/person lists a filmography", async () => {
      const message = await reply(
        harness().fake.sendCommand({ name: "person", options: { name: "Catherine Hardwicke" } }),
      );
      expect(message.embeds[0]?.description?.split("\n")[0]).toBe("• **Miss You Already** (2015) — director");
    });

    it("/random draws a film", async () => {
      const message = await reply(harness().fake.sendCommand({ name: "random", options: { min_rating: 5 } }));
      expect(message.embeds[0]?.title).toMatch(/\((\d{4}|year unknown)\)$/);
    });

    it("/top ranks films", async () => {
      const message = await reply(harness().fake.sendCommand({ name: "top", options: { count: 5 } }));
      expect(message.embeds[0]?.title).toBe("Top 5 films");
      expect(message.embeds[0]?.description?.split("\n")).toHaveLength(5);
    });

    it("/help lists the commands, privately", async () => {
      const message = await reply(harness().fake.sendCommand({ name: "help", where: "dm" }));
      expect(isEphemeral(message)).toBe(true);
      expect(message.embeds[0]?.fields?.map((field) => field.name.split(" ")[0])).toEqual(
        commands.map((command) => `/${command.definition.name}`),
      );
    });
  });

  describe("/watchlist", () => {
    it("adds, lists and removes, privately, in a server and in DMs alike", async () => {
      const member = harness().fake.makeUser({ username: "cinephile" });
      const added = await reply(
        harness().fake.sendCommand({ name: "watchlist", subcommand: "add", options: { title: SEED_ID }, user: member }),
      );
      expect(added.content).toBe("Added **Miss You Already** (2015) to your watchlist.");
      expect(isEphemeral(added)).toBe(true);
      await reply(
        harness().fake.sendCommand({
          name: "watchlist",
          subcommand: "add",
          options: { title: "solaris", year: 1972 },
          user: member,
          where: "dm",
        }),
      );
      // Raw options: the fake cannot look up a registered subcommand that has no options (Discord omits the empty list).
      const listOptions: APIApplicationCommandInteractionDataOption[] = [
        { type: ApplicationCommandOptionType.Subcommand, name: "list", options: [] },
      ];
      const listed = await reply(
        harness().fake.sendCommand({ name: "watchlist", options: listOptions, user: member, where: "dm" }),
      );
      expect(listed.embeds[0]?.description).toBe("1. **Miss You Already** (2015)\n2. **Solaris** (1972)");
      const removed = await reply(
        harness().fake.sendCommand({
          name: "watchlist",
          subcommand: "remove",
          options: { title: "solaris-1972" },
          user: member,
        }),
      );
      expect(removed.content).toBe("Removed **Solaris** (1972) from your watchlist.");
      expect(await harness().bot.context.store.watchlists.list(member.id)).toEqual([
        { filmId: SEED_ID, addedAt: expect.any(String) as unknown as string },
      ]);
    });
  });

  describe("/reload", () => {
    it("is answered in DMs with 'server only'", async () => {
      const message = await reply(harness().fake.sendCommand({ name: "reload", where: "dm" }));
      expect(message.content).toBe("This command works only in a server.");
    });
  });
});
