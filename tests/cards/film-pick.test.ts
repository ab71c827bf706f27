import { ComponentType } from "discord-api-types/v10";
import { describe, expect, it } from "vitest";
import { Catalog } from "../../src/catalog/catalog.js";
import { emptyFilm, type Film } from "../../src/catalog/film.js";
import { encodePickId, parsePickId, pickMessage } from "../../src/cards/film-pick.js";

function film(id: string, title: string, year: number | null, fields: Partial<Film> = {}): Film {
  return { ...emptyFilm(title, "test"), id, year, ...fields };
}

describe("pick menu ids", () => {
  it("round-trip every action", () => {
    for (const action of [{ kind: "card", view: "cast" }, { kind: "watchlist" }] as const)
      expect(parsePickId(encodePickId(action))).toEqual(action);
  });

  it.each(["pick:v1:card:secrets", "pick:v2:card:cast", "pick:v1:watchlist:x", "", "film:v1:cast:0:x", 42, null])(
    "refuse %j",
    (id) => {
      expect(parsePickId(id)).toBeNull();
    },
  );
});

describe("pickMessage", () => {
  it("offers each film with its year, director and rating, within Discord's limits", () => {
    const films = [
      film("solaris-1972", "Solaris", 1972, {
        directors: ["Andrei Tarkovsky"],
        rating: { score: 8, outOf: 10, votes: 10 },
      }),
      film("long", "L".repeat(300), null),
      ...Array.from({ length: 40 }, (_, i) => film(`f-${i}`, `Film ${i}`, 2000 + i)),
    ];
    const catalog = Catalog.build(films);
    const message = pickMessage("Which one?", films, catalog, { kind: "card", view: "overview" });
    expect(message.content).toBe("Which one?");
    const menu = message.components?.[0]?.components[0];
    expect(menu?.type).toBe(ComponentType.StringSelect);
    if (menu?.type !== ComponentType.StringSelect) return;
    expect(menu.custom_id).toBe("pick:v1:card:overview");
    expect(menu.options).toHaveLength(25);
    expect(menu.options[0]).toEqual({
      label: "Solaris (1972)",
      value: "solaris-1972",
      description: "Andrei Tarkovsky · ★ 8.0",
    });
    expect(menu.options[1]?.label).toMatch(/… \(year unknown\)$/);
    for (const option of menu.options) {
      expect(option.label.length).toBeLessThanOrEqual(100);
      expect((option.description ?? "").length).toBeLessThanOrEqual(100);
    }
  });

  it("sends the question alone when no film can be offered", () => {
    expect(pickMessage("Which one?", [], Catalog.build([]), { kind: "watchlist" })).toEqual({ content: "Which one?" });
  });
});
