import { describe, expect, it } from "vitest";
import { castReply } from "../../commands/cast.js";
import { buildFilmCard } from "../../src/cards/film-card.js";
import { fixtureCatalog, messageLimitProblems, useTestContext, FROM_DMS } from "./fixtures.js";

const testContext = useTestContext();

describe("/cast", () => {
  it("opens the film card on its first cast page", () => {
    const reply = castReply({ title: "crowded picture", year: null }, testContext().context, FROM_DMS);
    const card = buildFilmCard(fixtureCatalog().details("crowded-picture-2001")!, "cast", 0);
    expect(reply).toEqual({ embeds: card.embeds, components: card.components });
    expect(reply.embeds?.[0]?.title).toBe("Crowded Picture (2001) — Cast");
    expect(messageLimitProblems(reply)).toEqual([]);
  });

  it("shows the seed film's roles", () => {
    expect(
      castReply({ title: "miss-you-already-2015", year: null }, testContext().context, FROM_DMS).embeds?.[0]
        ?.description,
    ).toContain("**Drew Barrymore** — Jess");
  });
});
