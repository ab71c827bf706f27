import { describe, expect, it } from "vitest";
import { personReply } from "../../commands/person.js";
import { Catalog } from "../../src/catalog/catalog.js";
import { emptyFilm } from "../../src/catalog/film.js";
import { UserFacingError } from "../../src/errors.js";
import { messageLimitProblems, useTestContext, createTestContext } from "./fixtures.js";

const testContext = useTestContext();

describe("/person", () => {
  it("lists a filmography newest first, as director and in the cast, with roles", () => {
    const embed = personReply({ name: "Catherine Hardwicke" }, testContext().context).embeds?.[0];
    expect(embed?.title).toBe("Catherine Hardwicke");
    const lines = embed?.description?.split("\n") ?? [];
    expect(lines[0]).toBe("• **Miss You Already** (2015) — director");
    const years = lines.map((line) => Number(/\((\d{4})\)/.exec(line)?.[1]));
    expect(years).toEqual([...years].sort((a, b) => b - a));
    expect(embed?.footer?.text).toMatch(/^\d+ films · directed \d+ · acted in \d+$/);
    expect(personReply({ name: "Drew Barrymore" }, testContext().context).embeds?.[0]?.description).toContain(
      "**Miss You Already** (2015) — as Jess",
    );
  });

  it("accepts a name typed loosely", () => {
    expect(personReply({ name: "andrei tarkovski" }, testContext().context).embeds?.[0]?.title).toBe(
      "Andrei Tarkovsky",
    );
  });

  it("trims a long filmography within Discord's limits and counts the rest", async () => {
    const films = Array.from({ length: 400 }, (_, index) => ({
      ...emptyFilm(`Sequel Number ${index} *of* many`, "x"),
      id: `sequel-${index}`,
      year: 1900 + (index % 120),
      cast: [{ name: "Prolific Person", role: `Role ${index} with a longish name` }],
    }));
    const busy = await createTestContext({ catalog: Catalog.build(films) });
    const reply = personReply({ name: "Prolific Person" }, busy.context);
    expect(messageLimitProblems(reply)).toEqual([]);
    expect(reply.embeds?.[0]?.description).toMatch(/…and \d+ more films$/);
    expect(reply.embeds?.[0]?.footer?.text).toBe("400 films · directed 0 · acted in 400");
    await busy.close();
  });

  it("explains privately when no one has that name", () => {
    expect(() => personReply({ name: "Qqqq Zzzz" }, testContext().context)).toThrow(UserFacingError);
  });
});
