/**
 * Ways to discover films, through the real bot over both transports: the genre option of /random and /top with its
 * autocomplete, /trivia for a year, the card's Similar button (a private list whose menu posts a film's card), and
 * /person for someone who directed and acted in the same film, credited by two records spelling them differently.
 */
import {
  ComponentType,
  InteractionResponseType,
  MessageFlags,
  type APIApplicationCommandOptionChoice,
} from "discord.js";
import { describe, expect, it } from "vitest";
import { emptyFilm, type Film } from "../../src/catalog/film.js";
import { cardFilmId } from "../support/card-film-id.js";
import { buttonIds, dataFilms, isEphemeral, menuOf, OTHER_MEMBER, TRANSPORTS, useHarness } from "./harness.js";

/** One film from two records (merged at load): the directing from one, the acting from the other. */
const twofold: Film[] = [
  {
    ...emptyFilm("Directed And Starred", "films.jsonl"),
    id: "directed-and-starred-2003",
    year: 2003,
    directors: ["Vera Twofold"],
  },
  {
    ...emptyFilm("Directed And Starred", "films.jsonl"),
    id: "directed-and-starred-2003",
    year: 2003,
    cast: [{ name: "VERA  TWOFOLD", role: "Herself" }],
  },
  {
    ...emptyFilm("Only Acting", "films.jsonl"),
    id: "only-acting-2005",
    year: 2005,
    cast: [{ name: "Véra Twofold", role: "Nurse" }],
  },
];

describe.each(TRANSPORTS)("over the %s", (transport) => {
  const harness = useHarness({ transport, films: [...dataFilms(), ...twofold] });
  const catalog = () => harness().bot.context.catalog.current;

  async function genreChoices(command: string, typed: string): Promise<APIApplicationCommandOptionChoice[]> {
    const callback = await harness()
      .fake.sendAutocomplete({ name: command, focused: "genre", options: { genre: typed } })
      .response();
    expect(callback.type).toBe(InteractionResponseType.ApplicationCommandAutocompleteResult);
    return (callback.data as { choices: APIApplicationCommandOptionChoice[] }).choices;
  }

  describe("the genre option", () => {
    it("completes with the catalog's genres matching what was typed, each with its film count", async () => {
      expect(await genreChoices("random", "WES")).toEqual([{ name: "Western (6 films)", value: "Western" }]);
      expect((await genreChoices("top", "com")).map((choice) => choice.value)).toEqual([
        "Comedy",
        "Romantic Comedy",
        "Black Comedy",
      ]);
      const all = await genreChoices("random", "");
      expect(all[0]).toEqual({ name: "Drama (67 films)", value: "Drama" });
      expect(all).toHaveLength(catalog().genres.length);
    });

    it("draws /random from the genre, and /top ranks within it", async () => {
      const card = await harness()
        .fake.sendCommand({ name: "random", options: { genre: "western" } })
        .waitForReply();
      expect(isEphemeral(card)).toBe(false);
      expect(catalog().details(cardFilmId(card))?.genres).toContain("Western");

      const top = await harness()
        .fake.sendCommand({ name: "top", options: { genre: "Horror", count: 3 } })
        .waitForReply();
      expect(top.embeds[0]?.title).toBe("Top 3 Horror films");
    });

    it("answers a genre the catalog lacks privately, naming the close ones", async () => {
      // Another member: /random has a cooldown, and the member above has just used it.
      const callback = await harness()
        .fake.sendCommand({ name: "random", options: { genre: "Westrn" }, user: OTHER_MEMBER })
        .response();
      expect(callback.data).toMatchObject({ flags: MessageFlags.Ephemeral });
      expect((callback.data as { content?: string }).content).toBe(
        "The catalog has no genre “Westrn”.\nClose ones: Western.\nTip: pick a genre from the list that appears while you type.",
      );
    });
  });

  describe("/trivia with a year and no title", () => {
    it("draws from the films of that year, and says privately when none has trivia", async () => {
      const reply = await harness()
        .fake.sendCommand({ name: "trivia", options: { year: 1972 } })
        .waitForReply();
      expect(reply.embeds[0]?.title).toBe("Did you know? — Solaris (1972)");
      const none = await harness()
        .fake.sendCommand({ name: "trivia", options: { year: 1999 } })
        .response();
      expect(none.data).toMatchObject({
        flags: MessageFlags.Ephemeral,
        content: "No film from 1999 in the catalog has trivia. Try another year, or leave the year out.",
      });
    });
  });

  describe("the Similar button", () => {
    it("answers privately with films like this one; picking one posts its card in the channel", async () => {
      const card = await harness()
        .fake.sendCommand({ name: "movie", options: { title: "back-to-the-future-1985" } })
        .waitForReply();
      expect(buttonIds(card)["Similar"]).toBe("film:v1:similar:0:back-to-the-future-1985");

      const press = harness().fake.sendComponent({ customId: buttonIds(card)["Similar"]!, message: card });
      expect((await press.response()).type).toBe(InteractionResponseType.ChannelMessageWithSource);
      const list = await press.waitForReply();
      expect(isEphemeral(list)).toBe(true);
      expect(list.content).toBe("Films like **Back to the Future** (1985): pick one to post its card in the channel.");
      const menu = menuOf(list);
      expect(menu.customId).toBe("pick:v1:card:overview");
      expect(menu.values).toEqual(
        catalog()
          .similar("back-to-the-future-1985")
          .map((match) => match.film.id),
      );
      expect(menu.values).toContain("back-to-the-future-part-2-1989");
      // The shared card is left as it was.
      expect(harness().fake.message(card.id)?.embeds[0]?.title).toBe("Back to the Future (1985)");

      const pick = harness().fake.sendComponent({
        customId: menu.customId,
        componentType: ComponentType.StringSelect,
        values: ["back-to-the-future-part-2-1989"],
        message: list,
      });
      const posted = await pick.waitForReply();
      expect(isEphemeral(posted)).toBe(false);
      expect(posted.embeds[0]?.title).toBe(`${catalog().get("back-to-the-future-part-2-1989")?.title} (1989)`);
    });

    it("answers a film gone from the catalog, and a forged id, privately", async () => {
      for (const customId of [
        "film:v1:similar:0:a-film-removed-since-1999",
        "film:v1:similar:0:../../x",
        "film:v1:similar:9:alien",
      ]) {
        const callback = await harness().fake.sendComponent({ customId }).response();
        expect(callback.data).toMatchObject({ flags: MessageFlags.Ephemeral });
      }
    });
  });

  describe("/person", () => {
    it("shows someone who directed and acted in one film as both, one person however each source spells them", async () => {
      const reply = await harness()
        .fake.sendCommand({ name: "person", options: { name: "vera twofold" } })
        .waitForReply();
      expect(reply.embeds[0]?.title).toBe("Véra Twofold");
      expect(reply.embeds[0]?.description?.split("\n")).toEqual([
        "• **Only Acting** (2005) — as Nurse",
        "• **Directed And Starred** (2003) — director · as Herself",
      ]);
      expect(reply.embeds[0]?.footer?.text).toBe("2 films · directed 1 · acted in 2");
    });
  });
});
