import { describe, expect, it } from "vitest";
import { personReply } from "../../commands/person.js";
import { Catalog } from "../../src/catalog/catalog.js";
import { emptyFilm } from "../../src/catalog/film.js";
import { mergeFilms } from "../../src/catalog/merge.js";
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

  it("shows a person who directed and acted in one film as both, one person however the sources spell them", async () => {
    const films = mergeFilms([
      { ...emptyFilm("Gran Torino", "a.json"), id: "gran-torino-2008", year: 2008, directors: ["Clint Eastwood"] },
      {
        ...emptyFilm("Gran Torino", "b.json"),
        id: "gran-torino-2008",
        year: 2008,
        cast: [{ name: "CLINT  EASTWOOD", role: "Walt Kowalski" }],
      },
      {
        ...emptyFilm("Play Misty for Me", "c.json"),
        id: "play-misty-for-me-1971",
        year: 1971,
        directors: ["clint eastwood"],
        stars: ["Clint Eastwood"],
      },
      {
        ...emptyFilm("Space Cowboys", "d.json"),
        id: "space-cowboys-2000",
        year: 2000,
        cast: [{ name: "clint eastwood ", role: "Frank Corvin" }],
      },
    ]).films;
    const eastwood = await createTestContext({ catalog: Catalog.build(films) });
    const embed = personReply({ name: "clint eastwood" }, eastwood.context).embeds?.[0];
    expect(embed?.title).toBe("Clint Eastwood");
    expect(embed?.description?.split("\n")).toEqual([
      "• **Gran Torino** (2008) — director · as Walt Kowalski",
      "• **Space Cowboys** (2000) — as Frank Corvin",
      "• **Play Misty for Me** (1971) — director · cast",
    ]);
    expect(embed?.footer?.text).toBe("3 films · directed 2 · acted in 3");
    await eastwood.close();
  });

  it("explains privately when no one has that name", () => {
    expect(() => personReply({ name: "Qqqq Zzzz" }, testContext().context)).toThrow(UserFacingError);
  });
});
