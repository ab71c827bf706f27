/**
 * Free text that could be several films gets a private question with a menu instead of a guessed card; picking a
 * film posts its card in the channel (or adds it to the watchlist). And anyone may press a view button on a public
 * card: the member who asked flips the shared message, anyone else gets the view as a private copy.
 */
import { ComponentType, InteractionResponseType, MessageFlags, type APIMessage } from "discord.js";
import { describe, expect, it } from "vitest";
import { vegaFilms } from "../commands/fixtures.js";
import { withAlternateTitles } from "../catalog/search/queries/alternate-titles.js";
import { buttonIds, dataFilms, isEphemeral, menuOf, OTHER_MEMBER, TRANSPORTS, useHarness } from "./harness.js";

const EXTRA = new Set([
  "solaris-2002",
  "the-godfather-1972",
  "the-godfather-part-2-1974",
  "the-godfather-part-3-1990",
  "le-fabuleux-destin-damelie-poulain-2001",
  "amelia-2009",
]);
const films = [...dataFilms(), ...withAlternateTitles(vegaFilms().filter((film) => EXTRA.has(film.id)))];

describe.each(TRANSPORTS)("over the %s", (transport) => {
  const harness = useHarness({ transport, films });

  async function ask(options: Record<string, string | number>, name = "movie"): Promise<APIMessage> {
    const question = await harness().fake.sendCommand({ name, options }).waitForReply();
    expect(isEphemeral(question)).toBe(true);
    return question;
  }

  describe("free text that could be several films", () => {
    it("asks privately with a menu of the films and their years and directors; a pick posts the card", async () => {
      const question = await ask({ title: "solaris" });
      expect(question.content).toBe("“solaris” could be more than one film. Which one did you mean?");
      expect(question.embeds).toEqual([]);
      const menu = menuOf(question);
      expect(menu.labels).toEqual(["Solaris (1972)", "Solaris (2002)"]);
      expect(menu.customId).toBe("pick:v1:card:overview");

      const handle = harness().fake.sendComponent({
        customId: menu.customId,
        componentType: ComponentType.StringSelect,
        values: ["solaris-2002"],
        message: question,
      });
      const callback = await handle.response();
      expect(callback.type).toBe(InteractionResponseType.ChannelMessageWithSource);
      const card = await handle.waitForReply();
      expect(isEphemeral(card)).toBe(false);
      expect(card.embeds[0]?.title).toBe("Solaris (2002)");
    });

    it("answers at once when one film is clearly meant, typos and all", async () => {
      const card = await harness()
        .fake.sendCommand({ name: "movie", options: { title: "godfater" } })
        .waitForReply();
      expect(card.embeds[0]?.title).toBe("The Godfather (1972)");
      expect(isEphemeral(card)).toBe(false);
    });

    it("takes a year typed after the title like the year option, and asks when no film has it", async () => {
      const card = await harness()
        .fake.sendCommand({ name: "movie", options: { title: "solaris 2002" } })
        .waitForReply();
      expect(card.embeds[0]?.title).toBe("Solaris (2002)");

      const question = await ask({ title: "the godfather 1980" });
      expect(question.content).toBe("No film in the catalog matches “the godfather 1980” in 1980. Is it one of these?");
      expect(menuOf(question).labels[0]).toBe("The Godfather (1972)");
    });

    it("asks the same way for the watchlist; a pick adds the film, and free text removes it", async () => {
      const question = await harness()
        .fake.sendCommand({ name: "watchlist", subcommand: "add", options: { title: "solaris" } })
        .waitForReply();
      expect(isEphemeral(question)).toBe(true);
      const menu = menuOf(question);
      expect(menu.customId).toBe("pick:v1:watchlist");
      const added = await harness()
        .fake.sendComponent({
          customId: menu.customId,
          componentType: ComponentType.StringSelect,
          values: ["solaris-1972"],
          message: question,
        })
        .waitForReply();
      expect(isEphemeral(added)).toBe(true);
      expect(added.content).toContain("Added **Solaris** (1972)");
      // Removing takes what adding takes: free text with a typo finds the film on the member's own list.
      const removed = await harness()
        .fake.sendCommand({ name: "watchlist", subcommand: "remove", options: { title: "solris" } })
        .waitForReply();
      expect(removed.content).toBe("Removed **Solaris** (1972) from your watchlist.");
    });

    it("answers a picked film that has left the catalog, or a forged pick, privately", async () => {
      const gone = await harness()
        .fake.sendComponent({
          customId: "pick:v1:card:overview",
          componentType: ComponentType.StringSelect,
          values: ["a-film-removed-since-1999"],
        })
        .response();
      expect(gone.data).toMatchObject({ flags: MessageFlags.Ephemeral });
      const forged = await harness()
        .fake.sendComponent({
          customId: "pick:v1:card:secrets",
          componentType: ComponentType.StringSelect,
          values: ["x"],
        })
        .response();
      expect(forged.data).toMatchObject({ flags: MessageFlags.Ephemeral });
    });
  });

  describe("a film known by another title", () => {
    it("is offered in autocomplete with the title that matched, and found by it", async () => {
      const choices = await harness()
        .fake.sendAutocomplete({ name: "movie", focused: "title", options: { title: "amelie" } })
        .response();
      expect((choices.data as { choices: { name: string; value: string }[] }).choices[0]).toEqual({
        name: "Amélie — Le Fabuleux destin d'Amélie Poulain (2001)",
        value: "le-fabuleux-destin-damelie-poulain-2001",
      });
      const card = await harness()
        .fake.sendCommand({ name: "movie", options: { title: "Amélie" } })
        .waitForReply();
      expect(card.embeds[0]?.title).toBe("Le Fabuleux destin d'Amélie Poulain (2001)");
    });
  });

  describe("view buttons on a public card", () => {
    it("flip the shared message for the member who asked, and give anyone else a private copy", async () => {
      const card = await harness()
        .fake.sendCommand({ name: "movie", options: { title: "solaris-1972" } })
        .waitForReply();
      expect(card.embeds[0]?.title).toBe("Solaris (1972)");

      const other = harness().fake.sendComponent({
        customId: buttonIds(card)["Cast"]!,
        message: card,
        user: OTHER_MEMBER,
      });
      const otherCallback = await other.response();
      expect(otherCallback.type).toBe(InteractionResponseType.ChannelMessageWithSource);
      const copy = await other.waitForReply();
      expect(isEphemeral(copy)).toBe(true);
      expect(copy.embeds[0]?.title).toBe("Solaris (1972) — Cast");
      expect(harness().fake.message(card.id)?.embeds[0]?.title).toBe("Solaris (1972)");

      const own = harness().fake.sendComponent({ customId: buttonIds(card)["Cast"]!, message: card });
      expect((await own.response()).type).toBe(InteractionResponseType.UpdateMessage);
      expect((await own.waitForReply()).embeds[0]?.title).toBe("Solaris (1972) — Cast");
    });
  });
});
