import { ComponentType } from "discord-api-types/v10";
import { describe, expect, it } from "vitest";
import { FILM_GONE_MESSAGE } from "../../commands/card-buttons.js";
import { similarFilms, similarFilmsReply } from "../../commands/similar-films.js";
import { encodeSimilarButtonId } from "../../src/cards/film-card.js";
import { Catalog } from "../../src/catalog/catalog.js";
import { emptyFilm } from "../../src/catalog/film.js";
import { UserFacingError } from "../../src/errors.js";
import { createTestContext, DM_INVOKER, messageLimitProblems, useTestContext } from "./fixtures.js";
import { seedFilm } from "../support/seed-film.js";

const testContext = useTestContext();
const invoker = DM_INVOKER;

describe("the Similar button", () => {
  it("answers privately with the films like this one and a menu that posts a film's card", async () => {
    expect(similarFilms.answer).toEqual({ reply: "private" });
    const target = similarFilms.parse(encodeSimilarButtonId("the-godfather-1972"));
    expect(target).toEqual({ filmId: "the-godfather-1972" });
    const reply = await similarFilms.reply(target!, testContext().context, { invoker, values: [] });
    expect(reply.content).toBe("Films like **The Godfather** (1972): pick one to post its card in the channel.");
    const lines = reply.embeds?.[0]?.description?.split("\n") ?? [];
    expect(lines).toHaveLength(10);
    expect(lines[0]).toBe("1. **The Godfather: Part II** (1974) ★ 9.0 — by Francis Ford Coppola");
    const menu = reply.components?.[0]?.components[0];
    expect(menu?.type).toBe(ComponentType.StringSelect);
    expect(menu && "custom_id" in menu ? menu.custom_id : "").toBe("pick:v1:card:overview");
    const values = menu?.type === ComponentType.StringSelect ? menu.options.map((option) => option.value) : [];
    expect(values).toEqual(
      testContext()
        .context.catalog.current.similar("the-godfather-1972")
        .map((match) => match.film.id),
    );
    expect(messageLimitProblems(reply)).toEqual([]);
  });

  it("names shared cast and genres, escaped", async () => {
    const catalog = Catalog.build([
      { ...seedFilm(), genres: ["Drama", "Comedy"] },
      {
        ...emptyFilm("*Friends* Forever", "t"),
        id: "friends-forever-2016",
        year: 2016,
        genres: ["Drama", "Comedy", "Romance"],
        cast: [
          { name: "Drew Barrymore", role: null },
          { name: "Toni Collette", role: null },
          { name: "Dominic Cooper", role: null },
        ],
      },
    ]);
    const two = await createTestContext({ catalog });
    const reply = similarFilmsReply({ filmId: "miss-you-already-2015" }, two.context);
    expect(reply.embeds?.[0]?.description).toBe(
      "1. **\\*Friends\\* Forever** (2016) — with Drew Barrymore, Toni Collette +1 · Drama, Comedy",
    );
    await two.close();
  });

  it("says privately that a film left the catalog, or that nothing is like it", async () => {
    const small = await createTestContext({
      catalog: Catalog.build([seedFilm(), { ...emptyFilm("Alone", "t"), id: "alone-1999", year: 1999 }]),
    });
    expect(() => similarFilmsReply({ filmId: "solaris-1972" }, small.context)).toThrow(
      new UserFacingError(FILM_GONE_MESSAGE),
    );
    expect(() => similarFilmsReply({ filmId: "alone-1999" }, small.context)).toThrow(
      "No film in the catalog is much like **Alone** (1999): it shares no director, cast member or genre with another.",
    );
    await small.close();
  });

  it.each([
    "film:v1:similar:0:",
    "film:v1:similar:1:alien-1979",
    "film:v1:similar:0:ALIEN",
    "film:v1:similar:0:alien-1979:next",
    `film:v1:similar:0:${"a".repeat(200)}`,
    "film:v1:similar",
  ])("reads nothing from the hostile id %j (the router answers it privately)", (customId) => {
    expect(similarFilms.parse(customId)).toBeNull();
  });
});
