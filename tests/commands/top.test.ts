import { describe, expect, it } from "vitest";
import { DEFAULT_TOP_COUNT, top, topDefinition, topReply } from "../../commands/top.js";
import { Catalog } from "../../src/catalog/catalog.js";
import { UserFacingError } from "../../src/errors.js";
import { messageLimitProblems, vegaFilms, useTestContext, createTestContext, FROM_DMS } from "./fixtures.js";
import { seedFilm } from "../support/seed-film.js";

const testContext = useTestContext();

/** The seed film under another title, rated `score`, with `extra` fields. */
const rated = (title: string, score: number, extra: object) => ({
  ...seedFilm(),
  id: title.toLowerCase(),
  title,
  rating: { score, outOf: 10 as const, votes: 1000 },
  ...extra,
});

describe("/top", () => {
  it("limits count to 1-25 in the definition", () => {
    expect(topDefinition.options[0]).toMatchObject({ name: "count", min_value: 1, max_value: 25 });
    expect(top.cooldownSeconds).toBeGreaterThan(0);
  });

  it("ranks the catalog's best films (Catalog.top), ten by default", () => {
    const embed = topReply({ count: null, year: null, genre: null }, testContext().context, FROM_DMS).embeds?.[0];
    const expected = testContext().context.catalog.current.top(DEFAULT_TOP_COUNT);
    expect(embed?.title).toBe("Top 10 films");
    const lines = embed?.description?.split("\n") ?? [];
    expect(lines).toHaveLength(10);
    expect(lines[0]).toBe(
      `1. **${expected[0]!.title}** (${expected[0]!.year}) — ★ ${expected[0]!.rating!.score.toFixed(1)} (${expected[0]!.rating!.votes!.toLocaleString("en-US")} votes)`,
    );
  });

  it("ranks one year, 25 at most, within Discord's limits", () => {
    const reply = topReply({ count: 25, year: 1999, genre: null }, testContext().context, FROM_DMS);
    expect(reply.embeds?.[0]?.title).toBe("Top 25 films of 1999");
    expect(reply.embeds?.[0]?.description?.split("\n").every((line) => line.includes("(1999)"))).toBe(true);
    expect(messageLimitProblems(reply)).toEqual([]);
  });

  it("ranks the films of one genre, named as the catalog spells it", () => {
    const catalog = testContext().context.catalog.current;
    const reply = topReply({ count: 5, year: null, genre: "horror" }, testContext().context, FROM_DMS);
    expect(reply.embeds?.[0]?.title).toBe("Top 5 Horror films");
    const expected = catalog.top(5, { genre: "Horror" });
    expect(expected.every((film) => catalog.details(film.id)?.genres.includes("Horror"))).toBe(true);
    expect(reply.embeds?.[0]?.description?.split("\n").map((line) => line.replace(/ — .*$/, ""))).toEqual(
      expected.map((film, index) => `${index + 1}. **${film.title}** (${film.year})`),
    );
    expect(
      topReply({ count: 3, year: 1999, genre: "Comedy" }, testContext().context, FROM_DMS).embeds?.[0]?.title,
    ).toBe("Top 3 Comedy films of 1999");
  });

  it("answers a genre the catalog lacks privately, and an empty genre-and-year by name", () => {
    expect(() => topReply({ count: null, year: null, genre: "Thriler" }, testContext().context, FROM_DMS)).toThrow(
      /^The catalog has no genre “Thriler”\.\nClose ones: Thriller\./,
    );
    expect(() => topReply({ count: null, year: 1870, genre: "Western" }, testContext().context, FROM_DMS)).toThrow(
      new UserFacingError("No rated Western film from 1870 in the catalog."),
    );
  });

  it("says so when nothing is rated", async () => {
    expect(() => topReply({ count: 5, year: 1870, genre: null }, testContext().context, FROM_DMS)).toThrow(
      new UserFacingError("No rated film from 1870 in the catalog."),
    );
    const unrated = await createTestContext({
      catalog: Catalog.build(
        vegaFilms()
          .slice(0, 5)
          .map((film) => ({ ...film, rating: null })),
      ),
    });
    expect(() => topReply({ count: null, year: null, genre: null }, unrated.context, FROM_DMS)).toThrow(
      "No film in the catalog has a rating yet.",
    );
    await unrated.close();
  });

  it("leaves out films rated for adults unless the server allows them (/settings adult-films)", async () => {
    const films = [
      rated("Flagged", 9.9, { adult: true, genres: ["Horror"] }),
      rated("Eighteen", 9.8, { certification: "PG", certifications: { GB: "18" } }),
      rated("Seventeen", 9.7, { certification: "NC-17" }),
      rated("Family", 9.0, { certification: "PG", genres: ["Horror"] }),
    ];
    const test = await createTestContext({ catalog: Catalog.build(films), config: { WATCH_REGION: "US" } });
    const titles = (from: { guildId: string | null }, genre: string | null = null) =>
      (topReply({ count: 10, year: null, genre }, test.context, from).embeds?.[0]?.description ?? "")
        .split("\n")
        .map((line) => /\*\*(.+?)\*\*/.exec(line)?.[1]);
    const guildId = "223456789012345678";
    // In DMs and by default: no adult films; "18" is the GB rating, and a DM's region is WATCH_REGION (US).
    expect(titles(FROM_DMS)).toEqual(["Eighteen", "Family"]);
    // With a genre: both filters apply.
    expect(titles(FROM_DMS, "horror")).toEqual(["Family"]);
    await test.context.settings.change(guildId, "region", "GB", "user:1 (mod)");
    expect(titles({ guildId })).toEqual(["Family"]);
    await test.context.settings.change(guildId, "adultFilms", true, "user:1 (mod)");
    expect(titles({ guildId })).toEqual(["Flagged", "Eighteen", "Seventeen", "Family"]);
    expect(titles({ guildId }, "horror")).toEqual(["Flagged", "Family"]);
    await test.close();
  });
});
