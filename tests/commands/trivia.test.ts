import { describe, expect, it } from "vitest";
import { NO_TRIVIA_MESSAGE, noTriviaInYearMessage, triviaReply } from "../../commands/trivia.js";
import { Catalog } from "../../src/catalog/catalog.js";
import { parseCardButtonId } from "../../src/cards/film-card.js";
import { UserFacingError } from "../../src/errors.js";
import { createTestContext, messageLimitProblems, useTestContext, vegaFilms, FROM_DMS } from "./fixtures.js";
import { seededRandom } from "../support/seeded-random.js";

const testContext = useTestContext();

describe("/trivia", () => {
  it("with a title, opens the card on its trivia", () => {
    const reply = triviaReply({ title: "miss-you-already-2015", year: null }, testContext().context, FROM_DMS);
    expect(reply.embeds?.[0]?.title).toBe("Miss You Already (2015) — Trivia");
    expect(reply.embeds?.[0]?.description).toContain("Jennifer Aniston was originally cast");
  });

  it("without a title, picks one with the context's random source: the same seed, the same trivia", async () => {
    const again = await createTestContext({ random: seededRandom(42) });
    const first = triviaReply(
      { title: null, year: null },
      { ...testContext().context, random: seededRandom(3) },
      FROM_DMS,
    );
    const second = triviaReply({ title: null, year: null }, { ...again.context, random: seededRandom(3) }, FROM_DMS);
    expect(first).toEqual(second);
    expect(first.embeds?.[0]?.title).toMatch(/^Did you know\? — .+ \((\d{4}|year unknown)\)$/);
    expect(messageLimitProblems(first)).toEqual([]);
    await again.close();
  });

  it("links the random trivia to its film card, and escapes it", () => {
    const titles = new Set<string>();
    const random = seededRandom(9);
    for (let draw = 0; draw < 40; draw++) {
      const reply = triviaReply({ title: null, year: null }, { ...testContext().context, random }, FROM_DMS);
      const button = reply.components?.[0]?.components[0];
      const target = button && "custom_id" in button ? parseCardButtonId(button.custom_id) : null;
      expect(target?.view).toBe("overview");
      expect(testContext().context.catalog.current.get(target!.filmId)).toBeDefined();
      expect(reply.embeds?.[0]?.description).not.toMatch(/@here|<@&\d/);
      titles.add(reply.embeds?.[0]?.title ?? "");
    }
    expect(titles.size).toBeGreaterThan(1);
  });

  it("without a title, draws from the films of the year given", () => {
    const random = seededRandom(4);
    for (let draw = 0; draw < 10; draw++) {
      const reply = triviaReply({ title: null, year: 1972 }, { ...testContext().context, random }, FROM_DMS);
      expect(reply.embeds?.[0]?.title).toBe("Did you know? — Solaris (1972)");
      expect(reply.embeds?.[0]?.description).toBe("Tarkovsky called it his least favourite film.");
    }
    expect(() => triviaReply({ title: null, year: 1999 }, testContext().context, FROM_DMS)).toThrow(
      new UserFacingError(noTriviaInYearMessage(1999)),
    );
    expect(noTriviaInYearMessage(1999)).toBe(
      "No film from 1999 in the catalog has trivia. Try another year, or leave the year out.",
    );
  });

  it("with a title, the year still tells films of that title apart", () => {
    const reply = triviaReply({ title: "Solaris", year: 1972 }, testContext().context, FROM_DMS);
    expect(reply.embeds?.[0]?.title).toBe("Solaris (1972) — Trivia");
  });

  it("says so when the catalog has no trivia", async () => {
    const bare = await createTestContext({ catalog: Catalog.build(vegaFilms().slice(0, 10)) });
    expect(() => triviaReply({ title: null, year: null }, bare.context, FROM_DMS)).toThrow(NO_TRIVIA_MESSAGE);
    await bare.close();
  });
});
