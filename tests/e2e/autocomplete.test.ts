/**
 * Autocomplete through the real bot: answered straight from the in-memory index, never deferred, within Discord's
 * limits, a film's id as each choice's value.
 */
import {
  ApplicationCommandOptionType,
  InteractionResponseType,
  type APIApplicationCommandOptionChoice,
} from "discord.js";
import { describe, expect, it } from "vitest";
import type { AutocompleteOptions } from "../fake-discord/index.js";
import { dataFilms, SEED_ID, TRANSPORTS, useHarness } from "./harness.js";

describe.each(TRANSPORTS)("interactions over the %s", (transport) => {
  const harness = useHarness({ transport });

  async function choices(options: AutocompleteOptions): Promise<APIApplicationCommandOptionChoice[]> {
    const callback = await harness().fake.sendAutocomplete(options).response();
    expect(callback.type).toBe(InteractionResponseType.ApplicationCommandAutocompleteResult);
    const { choices: answered } = callback.data as { choices: APIApplicationCommandOptionChoice[] };
    expect(answered.length).toBeLessThanOrEqual(25);
    for (const choice of answered) {
      expect(choice.name.length).toBeGreaterThan(0);
      expect(choice.name.length).toBeLessThanOrEqual(100);
      expect(String(choice.value).length).toBeLessThanOrEqual(100);
    }
    return answered;
  }

  const filmIds = new Set([SEED_ID, ...dataFilms().map((film) => film.id)]);

  describe("title autocomplete", () => {
    it("answers empty input with 25 popular films, each labelled with its year and valued with its id", async () => {
      const answered = await choices({ name: "movie", focused: "title" });
      expect(answered).toHaveLength(25);
      const popular = harness().bot.context.catalog.current.popular(25);
      expect(answered.map((choice) => choice.value)).toEqual(popular.map((film) => film.id));
      for (const choice of answered) {
        expect(choice.name).toMatch(/ \((\d{4}|year unknown)\)$/);
        expect(filmIds.has(String(choice.value))).toBe(true);
      }
    });

    it("puts the right film first for a typo", async () => {
      expect((await choices({ name: "movie", focused: "title", options: { title: "mis you alredy" } }))[0]).toEqual({
        name: "Miss You Already (2015)",
        value: SEED_ID,
      });
      expect((await choices({ name: "cast", focused: "title", options: { title: "solaris" } }))[0]).toEqual({
        name: "Solaris (1972)",
        value: "solaris-1972",
      });
    });

    it("uses the year already filled in", async () => {
      const film = dataFilms().find((candidate) => candidate.year === 1995 && candidate.title.length > 6)!;
      const answered = await choices({
        name: "movie",
        focused: "title",
        options: { title: film.title.slice(0, 6), year: 1995 },
      });
      expect(answered.every((choice) => choice.name.endsWith("(1995)"))).toBe(true);
    });

    it("opens exactly the film chosen", async () => {
      const [choice] = await choices({ name: "movie", focused: "title", options: { title: "undated" } });
      expect(choice).toEqual({ name: "Undated Reel (year unknown)", value: "undated-reel" });
      const message = await harness()
        .fake.sendCommand({ name: "movie", options: { title: String(choice!.value) } })
        .waitForReply();
      expect(message.embeds[0]?.title).toBe("Undated Reel");
    });

    it("keeps a very long title within 100 characters, year kept", async () => {
      const [choice] = await choices({ name: "trivia", focused: "title", options: { title: "the very very very" } });
      expect(choice?.value).toBe("the-very-long-title-1999");
      expect(choice?.name).toMatch(/… \(1999\)$/);
    });

    it("copes with hostile input: huge, control characters, a number where the year goes", async () => {
      expect(
        await choices({ name: "movie", focused: "title", options: { title: "\u0000\u0007".repeat(3000) } }),
      ).toBeDefined();
      expect(await choices({ name: "movie", focused: "title", options: { title: "z".repeat(6000) } })).toEqual([]);
      const raw = [
        { type: ApplicationCommandOptionType.String, name: "title", value: "alien", focused: true },
        { type: ApplicationCommandOptionType.Integer, name: "year", value: "nineteen" },
      ];
      expect((await choices({ name: "movie", focused: "title", options: raw as never })).length).toBeGreaterThan(0);
    });
  });

  describe("person autocomplete", () => {
    it("suggests people with their film counts", async () => {
      const answered = await choices({ name: "person", focused: "name", options: { name: "hardwick" } });
      expect(answered[0]).toEqual({ name: "Catherine Hardwicke (2 films)", value: "Catherine Hardwicke" });
      expect(await choices({ name: "person", focused: "name" })).toHaveLength(25);
    });
  });

  describe("watchlist autocomplete", () => {
    it("completes add from the catalog and remove from the member's own list", async () => {
      const member = harness().fake.makeUser({ username: "listkeeper" });
      await harness().bot.context.store.watchlists.add(member.id, "solaris-1972", new Date());
      await harness().bot.context.store.watchlists.add(member.id, SEED_ID, new Date());
      const forAdd = await choices({
        name: "watchlist",
        subcommand: "add",
        focused: "title",
        options: { title: "solar" },
        user: member,
      });
      expect(forAdd[0]?.value).toBe("solaris-1972");
      const forRemove = await choices({ name: "watchlist", subcommand: "remove", focused: "title", user: member });
      expect(forRemove).toEqual([
        { name: "Solaris (1972)", value: "solaris-1972" },
        { name: "Miss You Already (2015)", value: SEED_ID },
      ]);
      expect(
        await choices({
          name: "watchlist",
          subcommand: "remove",
          focused: "title",
          options: { title: "miss" },
          user: member,
        }),
      ).toEqual([{ name: "Miss You Already (2015)", value: SEED_ID }]);
    });
  });
});
