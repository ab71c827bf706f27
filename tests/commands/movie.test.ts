import { describe, expect, it } from "vitest";
import { movie, movieDefinition, movieReply } from "../../commands/movie.js";
import { FilmNotFoundError } from "../../src/cards/film-lookup.js";
import { buildFilmCard } from "../../src/cards/film-card.js";
import { fixtureCatalog, messageLimitProblems, useTestContext } from "./fixtures.js";

const testContext = useTestContext();

describe("/movie", () => {
  it("is usable in servers and DMs, with an autocompleted title and a year", () => {
    expect(movieDefinition.contexts).toEqual([0, 1]);
    expect(movieDefinition.options.map((option) => option.name)).toEqual(["title", "year"]);
    expect(movieDefinition.options[0].autocomplete).toBe(true);
  });

  it("answers a film id with the film card, publicly", () => {
    const reply = movieReply({ title: "miss-you-already-2015", year: null }, testContext().context);
    const card = buildFilmCard(fixtureCatalog().details("miss-you-already-2015")!);
    expect(reply).toEqual({ embeds: card.embeds, components: card.components });
    expect(movie.visibility).toBe("public");
    expect(messageLimitProblems(reply)).toEqual([]);
  });

  it("answers free text through search, the year telling remakes apart", () => {
    expect(movieReply({ title: "solaris", year: 1972 }, testContext().context).embeds?.[0]?.title).toBe(
      "Solaris (1972)",
    );
    expect(movieReply({ title: "solaris", year: 2002 }, testContext().context).embeds?.[0]?.title).toBe(
      "Solaris (2002)",
    );
    expect(movieReply({ title: "the godfater", year: null }, testContext().context).embeds?.[0]?.title).toBe(
      "The Godfather (1972)",
    );
  });

  it("keeps markdown in titles literal and mentions inert", () => {
    const embed = movieReply({ title: "batteries not included", year: 1987 }, testContext().context).embeds?.[0];
    expect(embed?.title).toBe("\\*batteries not included (1987)");
    expect(embed?.description).toContain("\\*\\*doomed\\*\\*");
    expect(embed?.description).not.toMatch(/@everyone|<@\d/);
  });

  it("says privately that nothing matched, with suggestions", () => {
    expect(() => movieReply({ title: "no such film qqq", year: null }, testContext().context)).toThrow(
      FilmNotFoundError,
    );
  });
});
