import { describe, expect, it } from "vitest";
import { random, randomReply } from "../../commands/random.js";
import { UserFacingError } from "../../src/errors.js";
import { createTestContext, DM_INVOKER, useTestContext, FROM_DMS } from "./fixtures.js";
import { Catalog } from "../../src/catalog/catalog.js";
import { cardFilmId } from "../support/card-film-id.js";
import { seedFilm } from "../support/seed-film.js";
import { seededRandom } from "../support/seeded-random.js";

const testContext = useTestContext();

/** The seed film under another title, with `extra` fields. */
const film = (title: string, extra: object) => ({ ...seedFilm(), id: title.toLowerCase(), title, ...extra });
const titleOf = (reply: ReturnType<typeof randomReply>) => reply.embeds?.[0]?.title ?? "";
const drawTitle = (seed: number) =>
  titleOf(
    randomReply(
      { min_rating: null, year: null, genre: null },
      { ...testContext().context, random: seededRandom(seed) },
      FROM_DMS,
    ),
  );

describe("/random", () => {
  it("draws with the context's random source", () => {
    expect(drawTitle(1)).toBe(drawTitle(1));
    expect(new Set([1, 2, 3, 4, 5].map(drawTitle)).size).toBeGreaterThan(1);
  });

  it("honours the minimum rating and the year", () => {
    const rng = seededRandom(5);
    for (let draw = 0; draw < 20; draw++) {
      const reply = randomReply(
        { min_rating: 8.5, year: null, genre: null },
        { ...testContext().context, random: rng },
        FROM_DMS,
      );
      expect(testContext().context.catalog.current.get(cardFilmId(reply))?.rating?.score).toBeGreaterThanOrEqual(8.5);
    }
    expect(
      titleOf(randomReply({ min_rating: null, year: 1972, genre: null }, testContext().context, FROM_DMS)),
    ).toMatch(/\(1972\)$/);
  });

  it("says which conditions matched nothing", () => {
    expect(() => randomReply({ min_rating: 10, year: 1870, genre: null }, testContext().context, FROM_DMS)).toThrow(
      new UserFacingError("No film in the catalog is rated 10 or more and from 1870."),
    );
  });

  it("draws only films of the genre, however it is typed", () => {
    const catalog = testContext().context.catalog.current;
    const rng = seededRandom(11);
    for (const typed of ["Western", "western", "WESTERN ", "wéstern"]) {
      const reply = randomReply(
        { min_rating: null, year: null, genre: typed },
        { ...testContext().context, random: rng },
        FROM_DMS,
      );
      expect(catalog.details(cardFilmId(reply))?.genres).toContain("Western");
    }
  });

  it("answers a genre the catalog lacks privately, naming the close ones", () => {
    expect(() =>
      randomReply({ min_rating: null, year: null, genre: "Dramma" }, testContext().context, FROM_DMS),
    ).toThrow(
      new UserFacingError(
        "The catalog has no genre “Dramma”.\nClose ones: Drama.\nTip: pick a genre from the list that appears while you type.",
      ),
    );
  });

  it("says which conditions matched nothing, the genre included", () => {
    expect(() =>
      randomReply({ min_rating: 9.9, year: null, genre: "horror" }, testContext().context, FROM_DMS),
    ).toThrow(new UserFacingError("No Horror film in the catalog is rated 9.9 or more."));
  });

  it("completes the genre option with the catalog's genres and their counts", async () => {
    const choices = await random.autocomplete!(
      { subcommand: null, focused: { name: "genre", value: "wes" }, values: {} },
      testContext().context,
      DM_INVOKER,
    );
    expect(choices).toEqual([{ name: "Western (36 films)", value: "Western" }]);
  });

  it("has a cooldown", () => {
    expect(random.cooldownSeconds).toBeGreaterThan(0);
  });

  it("draws no film rated for adults unless the server allows them (/settings adult-films)", async () => {
    const films = [
      film("Flagged", { adult: true, genres: ["Horror"] }),
      film("Restricted", { certification: "R18", genres: ["Horror"] }),
      film("Kind", {}),
    ];
    const test = await createTestContext({ catalog: Catalog.build(films) });
    const guildId = "223456789012345678";
    const draws = (from: { guildId: string | null }) =>
      new Set(
        Array.from({ length: 30 }, (_, seed) =>
          titleOf(
            randomReply(
              { min_rating: null, year: null, genre: null },
              { ...test.context, random: seededRandom(seed) },
              from,
            ),
          ),
        ),
      );
    expect([...draws(FROM_DMS)].every((title) => title.startsWith("Kind"))).toBe(true);
    await test.context.settings.change(guildId, "adultFilms", true, "user:1 (mod)");
    expect(draws({ guildId }).size).toBe(3);
    const adultOnly = await createTestContext({ catalog: Catalog.build(films.slice(0, 2)) });
    expect(() => randomReply({ min_rating: null, year: null, genre: null }, adultOnly.context, FROM_DMS)).toThrow(
      "Every film in the catalog is rated for adults, and this server leaves them out (`/settings set adult-films`).",
    );
    // A genre whose films are all rated for adults: said of that genre.
    expect(() => randomReply({ min_rating: null, year: null, genre: "horror" }, test.context, FROM_DMS)).toThrow(
      `Every Horror film in the catalog is rated for adults, and this server leaves them out (\`/settings set adult-films\`).`,
    );
    await adultOnly.close();
    await test.close();
  });
});
