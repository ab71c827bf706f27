import { describe, expect, it } from "vitest";
import { movie, movieDefinition, movieReply } from "../../commands/movie.js";
import { FilmNotFoundError } from "../../src/cards/film-lookup.js";
import { buildFilmCard } from "../../src/cards/film-card.js";
import { Catalog } from "../../src/catalog/catalog.js";
import { seedFilm } from "../support/seed-film.js";
import { createTestContext, fixtureCatalog, messageLimitProblems, useTestContext, FROM_DMS } from "./fixtures.js";

const testContext = useTestContext();

describe("/movie", () => {
  it("is usable in servers and DMs, with an autocompleted title and a year", () => {
    expect(movieDefinition.contexts).toEqual([0, 1]);
    expect(movieDefinition.options.map((option) => option.name)).toEqual(["title", "year"]);
    expect(movieDefinition.options[0].autocomplete).toBe(true);
  });

  it("answers a film id with the film card, publicly", () => {
    const reply = movieReply({ title: "miss-you-already-2015", year: null }, testContext().context, FROM_DMS);
    const card = buildFilmCard(fixtureCatalog().details("miss-you-already-2015")!);
    expect(reply).toEqual({ embeds: card.embeds, components: card.components });
    expect(movie.visibility).toBe("public");
    expect(messageLimitProblems(reply)).toEqual([]);
  });

  it("enables Where to watch by the operator's region (WATCH_REGION)", async () => {
    const film = {
      ...seedFilm(),
      watchProviders: { GB: { link: null, streaming: ["BBC iPlayer"], rent: [], buy: [] } },
    };
    const catalog = Catalog.build([film]);
    const watchButton = async (region: string) => {
      const test = await createTestContext({ catalog, config: { WATCH_REGION: region } });
      const reply = movieReply({ title: film.id, year: null }, test.context, FROM_DMS);
      await test.close();
      return reply.components?.[0]?.components[4];
    };
    expect(await watchButton("GB")).toMatchObject({ label: "Where to watch", disabled: false });
    expect(await watchButton("US")).toMatchObject({ label: "Where to watch", disabled: true });
  });

  it("uses the server's region (/settings) over WATCH_REGION, and WATCH_REGION in DMs", async () => {
    const film = {
      ...seedFilm(),
      watchProviders: { GB: { link: null, streaming: ["BBC iPlayer"], rent: [], buy: [] } },
    };
    const test = await createTestContext({ catalog: Catalog.build([film]), config: { WATCH_REGION: "US" } });
    const guildId = "223456789012345678";
    await test.context.settings.change(guildId, "region", "GB", "user:1 (mod)");
    const watch = (from: { guildId: string | null }) =>
      movieReply({ title: film.id, year: null }, test.context, from).components?.[0]?.components[4];
    expect(watch({ guildId })).toMatchObject({ label: "Where to watch", disabled: false });
    expect(watch(FROM_DMS)).toMatchObject({ label: "Where to watch", disabled: true });
    await test.close();
  });

  it("answers free text through search, the year telling remakes apart", () => {
    expect(movieReply({ title: "solaris", year: 1972 }, testContext().context, FROM_DMS).embeds?.[0]?.title).toBe(
      "Solaris (1972)",
    );
    expect(movieReply({ title: "solaris", year: 2002 }, testContext().context, FROM_DMS).embeds?.[0]?.title).toBe(
      "Solaris (2002)",
    );
    expect(movieReply({ title: "the godfater", year: null }, testContext().context, FROM_DMS).embeds?.[0]?.title).toBe(
      "The Godfather (1972)",
    );
  });

  it("keeps markdown in titles literal and mentions inert", () => {
    const embed = movieReply({ title: "batteries not included", year: 1987 }, testContext().context, FROM_DMS)
      .embeds?.[0];
    expect(embed?.title).toBe("\\*batteries not included (1987)");
    expect(embed?.description).toContain("\\*\\*doomed\\*\\*");
    expect(embed?.description).not.toMatch(/@everyone|<@\d/);
  });

  it("says privately that nothing matched, with suggestions", () => {
    expect(() => movieReply({ title: "no such film qqq", year: null }, testContext().context, FROM_DMS)).toThrow(
      FilmNotFoundError,
    );
  });
});
